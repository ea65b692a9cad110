// Builds real indexes for tests: the seed articles (and optionally more files) ingested with the offline model into a temp folder.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { ingest, type IngestOptions, type IngestReport } from '../../src/index/ingest.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SEEDS_DIR = path.join(REPO_ROOT, 'seeds');
export const MODELS_DIR = path.join(REPO_ROOT, 'models');

export interface IndexFixture {
  root: string;
  sourcesDir: string;
  indexDir: string;
  options: IngestOptions;
  ingest(extra?: Partial<IngestOptions>): Promise<IngestReport>;
  cleanup(): Promise<void>;
}

/** Ingest options for tests: the offline model, small passages as in production, no network. */
export function testIngestOptions(sourcesDir: string, indexDir: string): IngestOptions {
  return {
    sourcesDir,
    indexDir,
    modelsDir: MODELS_DIR,
    model: OFFLINE_MODEL_ID,
    allowRemoteModels: false,
    passageTokens: 200,
    overlapSentences: 1,
    hnsw: { m: 16, efConstruction: 200, efSearch: 100 },
    maxArticleBytes: 5_000_000,
  };
}

/** A temp folder with a copy of the seeds as sources and an empty index folder; call `ingest()` to build. */
export async function makeIndexFixture(opts: { withSeeds?: boolean } = {}): Promise<IndexFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-'));
  const sourcesDir = path.join(root, 'sources');
  const indexDir = path.join(root, 'index');
  if (opts.withSeeds ?? true) await cp(SEEDS_DIR, sourcesDir, { recursive: true });
  const options = testIngestOptions(sourcesDir, indexDir);
  return {
    root,
    sourcesDir,
    indexDir,
    options,
    ingest: (extra = {}) => ingest({ ...options, ...extra }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A maker of index fixtures for one test file: each fixture it makes is removed after the test that made it. */
export function fixturePerTest(): () => Promise<IndexFixture> {
  const made: IndexFixture[] = [];
  afterEach(async () => {
    for (const fx of made.splice(0)) await fx.cleanup();
  });
  return async () => {
    const fx = await makeIndexFixture();
    made.push(fx);
    return fx;
  };
}
