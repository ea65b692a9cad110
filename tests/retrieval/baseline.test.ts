// The BM25 baseline the evaluation compares against: whole passages ranked by the question's words, on the fake
// in-memory passage store, searching the passage text alone.
import { describe, expect, it } from 'vitest';
import { bm25Baseline } from '../../src/retrieval/index.js';
import { fakeNewsroom } from './fake-passage-index.js';

describe('bm25Baseline on a passage index', () => {
  it('ranks first the passage holding the question’s rare words', async () => {
    const [top] = await bm25Baseline(fakeNewsroom(), 'Who is Abdou Sidikou Issa?', 3);
    expect(top!.text).toContain('Abdou Sidikou Issa');
  });

  it('returns at most k distinct passages, each the article text at its offsets', async () => {
    const index = fakeNewsroom();
    const passages = await bm25Baseline(index, 'Niger coup Bazoum army president', 4);
    expect(passages).toHaveLength(4);
    expect(new Set(passages.map((p) => p.id)).size).toBe(4);
    for (const p of passages) expect((await index.articles([p.articleId]))[0]!.text.slice(p.start, p.end)).toBe(p.text);
    expect(await bm25Baseline(index, 'Niger coup Bazoum army president', 1)).toEqual(passages.slice(0, 1));
  });

  it('searches the passage text only: a word only in a headline finds nothing', async () => {
    const index = fakeNewsroom();
    expect(await bm25Baseline(index, 'Wembley', 3)).toHaveLength(1);
    expect(await bm25Baseline(index, 'climb', 3)).toEqual([]);
    expect(index.calls).toEqual([
      { kind: 'keyword', k: 3, filter: undefined },
      { kind: 'keyword', k: 3, filter: undefined },
    ]);
  });

  it('returns nothing when no passage has any of the words', async () => {
    expect(await bm25Baseline(fakeNewsroom(), 'lasagne recipe oven', 3)).toEqual([]);
  });
});
