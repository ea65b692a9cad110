// The local passage index (minisearch + hnswlib over a loaded build) on the seed index: it is a PassageIndex, its
// searches keep to the filter, vector scores are the stored vectors' cosines, and the filter's label sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { allowedLabels, loadIndex, LocalPassageIndex, type IndexData } from '../../src/index/index.js';
import type { PassageIndex } from '../../src/retrieval/index.js';
import { MODELS_DIR, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';

const NBC_FILE = '000_b9dabca082e516ec.txt';

let fx: IndexFixture;
let data: IndexData;
let index: PassageIndex;
let embedder: Embedder;

beforeAll(async () => {
  fx = await makeIndexFixture();
  await fx.ingest();
  data = await loadIndex(fx.indexDir);
  // Assigned to the interface type: the compiler checks the local index implements it.
  index = new LocalPassageIndex(data);
  embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: MODELS_DIR, allowRemote: false });
});

afterAll(async () => {
  await embedder?.dispose();
  await fx?.cleanup();
});

describe('LocalPassageIndex', () => {
  it('looks passages and articles up by label and id', () => {
    expect(index.passages).toHaveLength(data.manifest.counts.passages);
    expect(index.dimensions).toBe(data.manifest.model.dimensions);
    for (const p of index.passages) expect(index.article(p.articleId)!.text.slice(p.start, p.end)).toBe(p.text);
    expect(index.article('no-such-article')).toBeUndefined();
  });

  it('keyword search: weighted terms, best first, the fields given boosts only, within the filter', () => {
    const hits = index.keywordSearch([{ term: 'sidikou', weight: 1 }], 5, { fieldBoosts: { text: 1, context: 0.5, outlet: 0.5 } });
    expect(index.passages[hits[0]!.label]!.text).toContain('Sidikou');
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    // "NBC" is in the outlet field only: searched when boosted, not otherwise.
    expect(index.keywordSearch([{ term: 'nbc', weight: 1 }], 5, { fieldBoosts: { text: 1 } })).toEqual([]);
    expect(index.keywordSearch([{ term: 'nbc', weight: 1 }], 5, { fieldBoosts: { outlet: 1 } }).length).toBeGreaterThan(0);
    const halved = index.keywordSearch([{ term: 'sidikou', weight: 0.5 }], 5, { fieldBoosts: { text: 1, context: 0.5, outlet: 0.5 } });
    expect(halved[0]!.score).toBeCloseTo(hits[0]!.score / 2, 6);
    const nbcOnly = index.keywordSearch([{ term: 'niger', weight: 1 }], 50, { fieldBoosts: { text: 1 }, filter: { outlet: 'nbc' } });
    expect(nbcOnly.length).toBeGreaterThan(0);
    for (const h of nbcOnly) expect(index.article(index.passages[h.label]!.articleId)!.file).toBe(NBC_FILE);
  });

  it('vector search: scores are the cosines of the stored vectors, within the filter', async () => {
    const query = await embedder.embedQuery('Who leads the army of Niger?');
    const hits = index.vectorSearch(query, 5);
    expect(hits).toHaveLength(5);
    for (const h of hits) expect(h.score).toBeCloseTo(index.passageSimilarity(h.label, query), 4);
    expect(index.vectorSearch(query, 5, { until: '2023-07-26' })).toEqual([]);
    const nbc = index.vectorSearch(query, 50, { outlet: 'NBC' });
    for (const h of nbc) expect(index.article(index.passages[h.label]!.articleId)!.file).toBe(NBC_FILE);
  });

  it('sentence similarity reads the stored sentence vectors: a sentence is most similar to its own text', async () => {
    const passage = index.passages[0]!;
    const article = index.article(passage.articleId)!;
    const span = passage.sentences[0]!;
    const own = await embedder.embedQuery(article.text.slice(span.start, span.end));
    const rows = index.passages.flatMap((p) => p.sentenceRows!);
    const best = rows.reduce((a, b) => (index.sentenceSimilarity(b, own) > index.sentenceSimilarity(a, own) ? b : a));
    expect(index.sentenceSimilarity(passage.sentenceRows![0]!, own)).toBeCloseTo(index.sentenceSimilarity(best, own), 6);
  });
});

describe('allowedLabels', () => {
  it('no filter allows everything, a date filter only dated articles', () => {
    expect(allowedLabels(data.articles, data.passages, {})).toBeNull();
    expect(allowedLabels(data.articles, data.passages, { outlet: '' })).toBeNull();
    const dated = allowedLabels(data.articles, data.passages, { since: '1900-01-01' })!;
    expect(dated.size).toBeGreaterThan(0);
    expect(dated.size).toBeLessThan(data.passages.length);
    for (const label of dated) expect(data.articleById.get(data.passages[label]!.articleId)!.published).not.toBeNull();
    const excluded = allowedLabels(data.articles, data.passages, { excludeArticles: [data.articles[0]!.id] })!;
    for (const label of excluded) expect(data.passages[label]!.articleId).not.toBe(data.articles[0]!.id);
  });
});
