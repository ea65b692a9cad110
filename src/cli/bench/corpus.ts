// The benchmark corpus: by default a temp folder holding the repository's seeds plus the shared BBC corpus ("seeds + BBC"),
// and the temp folders a run works in, removed afterwards.
import { UserError } from '../../errors.js';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const BBC_CSV_PATH = path.join('corpora', 'bbc-news', 'bbc-news.csv');
export const DEV_QUESTIONS_PATH = path.join('eval', 'dev.jsonl');

/** A problem with the benchmark's inputs that the user fixes (printed without a stack trace by the CLI). */
export class BenchInputError extends UserError {}

/** A temp folder for one run, removed by `cleanup()` (nothing else is ever removed). */
export interface Workspace {
  root: string;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-bench-'));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Copies the seeds and the BBC corpus into `<dir>` (created): the corpus the benchmarks' figures are quoted on.
 * `sharedDir` is `../shared` beside the repository unless a test points elsewhere.
 */
export async function prepareDefaultCorpus(dir: string, opts: { sharedDir?: string; seedsDir?: string } = {}): Promise<string> {
  const sharedDir = opts.sharedDir ?? SHARED_DIR;
  const seedsDir = opts.seedsDir ?? path.join(REPO_ROOT, 'seeds');
  const bbc = path.join(sharedDir, BBC_CSV_PATH);
  if (!existsSync(bbc)) {
    throw new BenchInputError(
      `The default benchmark corpus (seeds + BBC) needs ${bbc}, which is missing: put the shared material at ${sharedDir} ` +
        '(beside the repository), or pass --sources DIR to benchmark another folder of articles.',
    );
  }
  if (!existsSync(seedsDir)) throw new BenchInputError(`The seeds folder ${seedsDir} is missing; pass --sources DIR instead.`);
  await cp(seedsDir, dir, { recursive: true });
  const target = path.join(dir, path.basename(bbc));
  await copyFile(bbc, target);
  // The shared copy is read-only; the bench's own copy need not be.
  await chmod(target, 0o644);
  return dir;
}

/** The question file to time, checked up front so a missing file is reported before minutes of indexing. */
export function resolveQuestionsFile(file: string | undefined, sharedDir = SHARED_DIR): string {
  const resolved = file ?? path.join(sharedDir, DEV_QUESTIONS_PATH);
  if (!existsSync(resolved)) {
    throw new BenchInputError(
      file
        ? `The question file ${resolved} does not exist.`
        : `The default question file ${resolved} is missing: put the shared material at ${sharedDir}, or pass --questions FILE.`,
    );
  }
  return resolved;
}
