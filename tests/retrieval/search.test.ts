// Hybrid retrieval on the seed index: outlet and date filters, at most k distinct passages, the rare-name passage first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeQuery } from '../../src/retrieval/query.js';
import { allowedLabels, retrieve, type PassageFilter } from '../../src/retrieval/search.js';
import { AFP_FILE, NBC_FILE, openSeedCoverage, type SeedCoverage } from '../support/seed-coverage.js';

describe('retrieve on the seed index', () => {
  let seed: SeedCoverage;
  beforeAll(async () => {
    seed = await openSeedCoverage();
  });
  afterAll(() => seed?.close());

  const search = async (question: string, k: number, filter?: PassageFilter) => {
    const { index, embedder } = seed.coverage;
    return retrieve(index, analyzeQuery(question, index.termStats, null), await embedder.embedQuery(question), { k, filter });
  };

  it('ranks first the passage naming what the question names', async () => {
    const [top] = await search('Who is Abdou Sidikou Issa?', 3);
    expect(top!.passage.text).toContain('Abdou Sidikou Issa');
  });

  it('returns at most k distinct passages with their own articles', async () => {
    const ranked = await search('Niger coup Bazoum army president', 4);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.length).toBeLessThanOrEqual(4);
    expect(new Set(ranked.map((r) => r.label)).size).toBe(ranked.length);
    for (const r of ranked) {
      expect(r.article.id).toBe(r.passage.articleId);
      expect(r.article.text.slice(r.passage.start, r.passage.end)).toBe(r.passage.text);
    }
  });

  it('keeps to the filter: outlet, and dates that leave out the undated NBC article', async () => {
    const files = async (filter: PassageFilter) => new Set((await search('Niger coup army', 10, filter)).map((r) => r.article.file));
    expect(await files({ outlet: 'nbc' })).toEqual(new Set([NBC_FILE]));
    expect(await files({ since: '2023-07-27' })).toEqual(new Set([AFP_FILE]));
    expect(await files({ until: '2023-07-27' })).toEqual(new Set([AFP_FILE]));
    expect(await search('Niger coup army', 10, { until: '2023-07-26' })).toEqual([]);
    expect(await search('Niger coup army', 10, { outlet: 'Reuters' })).toEqual([]);
  });

  it('allowedLabels: no filter allows everything, a date filter only dated articles', () => {
    const { index } = seed.coverage;
    expect(allowedLabels(index, {})).toBeNull();
    const dated = allowedLabels(index, { since: '1900-01-01' })!;
    expect(dated.size).toBeGreaterThan(0);
    for (const label of dated) expect(index.articleById.get(index.passages[label]!.articleId)!.published).not.toBeNull();
    const all = allowedLabels(index, { outlet: '' });
    expect(all).toBeNull();
  });
});
