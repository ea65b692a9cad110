// The BM25 baseline the evaluation compares against: whole passages ranked by the question's words, on the seed index.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bm25Baseline } from '../../src/retrieval/baseline.js';
import { openSeedCoverage, type SeedCoverage } from '../support/seed-coverage.js';

describe('bm25Baseline on the seed index', () => {
  let seed: SeedCoverage;
  beforeAll(async () => {
    seed = await openSeedCoverage();
  });
  afterAll(() => seed?.close());

  it('ranks first the passage holding the question’s rare words', () => {
    const [top] = bm25Baseline(seed.coverage.index, 'Who is Abdou Sidikou Issa?', 3);
    expect(top!.text).toContain('Abdou Sidikou Issa');
  });

  it('returns at most k distinct passages, each the article text at its offsets', () => {
    const { index } = seed.coverage;
    const passages = bm25Baseline(index, 'Niger coup Bazoum army president', 4);
    expect(passages).toHaveLength(4);
    expect(new Set(passages.map((p) => p.id)).size).toBe(4);
    for (const p of passages) expect(index.articleById.get(p.articleId)!.text.slice(p.start, p.end)).toBe(p.text);
    expect(bm25Baseline(index, 'Niger coup Bazoum army president', 1)).toEqual(passages.slice(0, 1));
  });

  it('returns nothing when no passage has any of the words', () => {
    expect(bm25Baseline(seed.coverage.index, 'lasagne recipe oven', 3)).toEqual([]);
  });
});
