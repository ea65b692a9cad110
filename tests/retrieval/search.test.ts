// Hybrid retrieval on the fake in-memory passage store (tests/retrieval/fake-passage-index.ts): the rare-name passage
// first, at most k distinct passages, filters handed to the store, fusion of the two rankings, near-copies dropped
// within an outlet but kept across outlets.
import { describe, expect, it } from 'vitest';
import type { PassageFilter } from '../../src/index/index.js';
import { analyzeQuery, DEFAULT_RETRIEVAL, retrieve } from '../../src/retrieval/index.js';
import { fakeNewsroom, queryVector } from './fake-passage-index.js';

const COUP: [number, number, number] = [1, 0, 0];

async function search(question: string, k: number, opts: { filter?: PassageFilter; denseWeight?: number; vector?: [number, number, number] } = {}) {
  const index = fakeNewsroom();
  const ranked = await retrieve(index, analyzeQuery(question, index.termStats, null), queryVector(opts.vector ?? COUP), {
    k,
    filter: opts.filter,
    settings: { ...DEFAULT_RETRIEVAL, denseWeight: opts.denseWeight ?? DEFAULT_RETRIEVAL.denseWeight },
  });
  return { index, ranked };
}

describe('retrieve on a passage index', () => {
  it('ranks first the passage naming what the question names', async () => {
    const [top] = (await search('Who is Abdou Sidikou Issa?', 3)).ranked;
    expect(top!.passage.text).toContain('Abdou Sidikou Issa');
  });

  it('returns at most k distinct passages with their own articles', async () => {
    const { ranked } = await search('Niger coup Bazoum army president', 4);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.length).toBeLessThanOrEqual(4);
    expect(new Set(ranked.map((r) => r.label)).size).toBe(ranked.length);
    for (const r of ranked) {
      expect(r.article.id).toBe(r.passage.articleId);
      expect(r.article.text.slice(r.passage.start, r.passage.end)).toBe(r.passage.text);
    }
  });

  it('hands the filter to both searches and keeps to it: outlet, dates that leave out the undated article, exclusions', async () => {
    const articles = async (filter: PassageFilter) => new Set((await search('Niger coup Bazoum soldiers', 10, { filter })).ranked.map((r) => r.article.id));
    expect(await articles({ outlet: 'nbc' })).toEqual(new Set(['nbc-coup']));
    expect(await articles({ since: '2023-07-27' })).toEqual(new Set(['afp-coup', 'afp-economy']));
    // The vector search finds every allowed passage, so the football report (May) is among the results.
    expect(await articles({ until: '2023-07-27' })).toEqual(new Set(['afp-coup', 'bbc-football']));
    expect(await articles({ excludeArticles: ['afp-coup', 'afp-economy', 'bbc-football'] })).toEqual(new Set(['nbc-coup']));
    expect((await search('Niger coup army', 10, { filter: { since: '2023-06-01', until: '2023-07-26' } })).ranked).toEqual([]);
    expect((await search('Niger coup army', 10, { filter: { outlet: 'Reuters' } })).ranked).toEqual([]);

    const { index } = await search('Niger coup', 3, { filter: { outlet: 'AFP' } });
    expect(index.calls).toEqual([
      { kind: 'keyword', k: DEFAULT_RETRIEVAL.candidates, filter: { outlet: 'AFP' } },
      { kind: 'vector', k: DEFAULT_RETRIEVAL.candidates, filter: { outlet: 'AFP' } },
    ]);
  });

  it('fuses the rankings: with no dense share the vector search is not asked; with all of it, the nearest passage leads', async () => {
    const lexicalOnly = await search('uranium prices', 3, { denseWeight: 0, vector: [0, 0, 1] });
    expect(lexicalOnly.index.calls.map((c) => c.kind)).toEqual(['keyword']);
    expect(lexicalOnly.ranked[0]!.article.id).toBe('afp-economy');
    expect(lexicalOnly.ranked.every((r) => r.lexical > 0)).toBe(true);

    const denseOnly = await search('uranium prices', 3, { denseWeight: 1, vector: [0, 0, 1] });
    expect(denseOnly.ranked[0]!.article.id).toBe('bbc-football');
    // A passage only the keyword search found still gets its cosine, from the store's stored vector.
    const uranium = denseOnly.ranked.find((r) => r.article.id === 'afp-economy') ?? lexicalOnly.ranked[0]!;
    expect(uranium.dense).toBeCloseTo(denseOnly.index.passageSimilarity(uranium.label, queryVector([0, 0, 1])), 6);
  });

  it('drops a near-copy from the same outlet but keeps the same report from another outlet', async () => {
    const { ranked } = await search('Soldiers detained President Mohamed Bazoum in Niamey', 5);
    const detained = ranked.filter((r) => r.passage.text.startsWith('Soldiers detained President'));
    expect(detained.map((r) => r.article.outlet).sort()).toEqual(['AFP', 'NBC News']);
  });

  it('returns nothing when neither search finds anything', async () => {
    expect((await search('lasagne recipe oven', 3, { denseWeight: 0 })).ranked).toEqual([]);
  });
});
