// One very long word or symbol run in one article must not freeze `ingest`, nor every later `ask`: the stemmer, wink-nlp
// and several regular expressions were quadratic (or worse) in a token's length, so a 1 MB word took hours.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_ARTICLES } from '../../src/cli/bench/long-words.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { startCli, type CliResult } from './cli-process.js';

// Far above the few seconds these runs take, far below the hours they took: a generous bound cannot be flaky.
const DEADLINE_MS = 45_000;

/** Runs the CLI, killed at the deadline (a busy main thread ignores SIGTERM, so SIGKILL); resolves with what it printed. */
async function runWithin(args: string[]): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  const { child, exited } = startCli(args);
  const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  const result = await exited;
  clearTimeout(timer);
  return { ...result, ms: Date.now() - started };
}

describe('an article holding a 1 MB word and a 1 MB symbol run', () => {
  let fx: IndexFixture;
  let ingest: CliResult & { ms: number };
  let ask: CliResult & { ms: number };

  beforeAll(async () => {
    fx = await makeIndexFixture();
    // The benchmark's three articles (`bench long-words` times what each adds; here they must only not freeze anything).
    const seed = await readFile(path.join(fx.sourcesDir, '000_b9dabca082e516ec.txt'), 'utf8');
    for (const article of HOSTILE_ARTICLES) await writeFile(path.join(fx.sourcesDir, article.file), article.text(seed));
    ingest = await runWithin(['ingest', '--json', '--sources', fx.sourcesDir, '--index', fx.indexDir]);
    ask = await runWithin(['ask', '--json', '--index', fx.indexDir, 'Who seized power in Niger?']);
  }, 3 * DEADLINE_MS);

  afterAll(async () => {
    await fx.cleanup();
  });

  it('ingests in seconds, indexing every file', () => {
    expect(ingest.signal, `ingest killed after ${ingest.ms} ms`).toBeNull();
    expect(ingest.code).toBe(0);
    const report = JSON.parse(ingest.stdout) as { added: string[] };
    expect(report.added).toEqual(expect.arrayContaining(['long-word', 'symbol-run', 'entity-run']));
  });

  it('answers in seconds afterwards', () => {
    expect(ask.signal, `ask killed after ${ask.ms} ms`).toBeNull();
    expect(ask.code).toBe(0);
    expect(ask.ms).toBeLessThan(DEADLINE_MS);
  });
});
