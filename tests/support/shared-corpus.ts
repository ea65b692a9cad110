// The material in ../shared beside the repository (the full BBC corpus, the dev questions): tests that need it run when
// it is present, as in CI, where its absence is an error; on a fresh clone they are skipped with the reason printed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'vitest';
import { REPO_ROOT } from './index-fixture.js';

export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const BBC_CSV = path.join(SHARED_DIR, 'corpora/bbc-news/bbc-news.csv');
/** The first 30 rows of the BBC corpus, shipped with the tests (see fixtures/README.md). */
export const BBC_SLICE_CSV = path.join(REPO_ROOT, 'tests/support/fixtures/bbc-news-first-30.csv');
export const BBC_SLICE_ROWS = 30;

/** A `describe`, run or skipped. */
export type Suite = (name: string, body: () => void) => void;

/**
 * `describe` when `file` exists, else `describe.skip` after printing why. Under CI (CI=true) a missing file fails the run
 * instead: there ../shared is provided and these tests must run.
 */
export function describeWithShared(file: string): Suite {
  if (existsSync(file)) return describe;
  const relative = path.relative(path.dirname(REPO_ROOT), file);
  if (process.env.CI === 'true') throw new Error(`CI must provide ${relative} (../shared beside the repository); it is missing.`);
  console.log(`Skipping tests that need ${relative}: it is not beside this clone (../shared is not there).`);
  return describe.skip;
}
