// The local passage store (minisearch + hnswlib over a build folder) and the in-memory test store run the store
// contract; on the seed index, the local store's searches keep to the filter, vector scores are the stored vectors'
// cosines, and the filter's label sets are right.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { allowedLabels, loadIndex, LocalPassageStore, LocalStoreWriter, openPassageStore, type IndexData, type PassageStore } from '../../src/index/index.js';
import { MODELS_DIR, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { MemoryStore } from './memory-store.js';
import { storeContract } from './store-contract.js';

storeContract('local store', async () => {
  const indexDir = await mkdtemp(path.join(tmpdir(), 'coverage-bot-contract-'));
  return {
    writer: new LocalStoreWriter(indexDir),
    open: () => openPassageStore({ indexDir }),
    cleanup: () => rm(indexDir, { recursive: true, force: true }),
  };
});

storeContract('in-memory test store', async () => {
  const store = new MemoryStore();
  return { writer: store.writer, open: () => store.open(), cleanup: async () => {} };
});

const NBC_FILE = '000_b9dabca082e516ec.txt';

let fx: IndexFixture;
let data: IndexData;
let index: PassageStore;
let embedder: Embedder;

beforeAll(async () => {
  fx = await makeIndexFixture();
  await fx.ingest();
  data = await loadIndex(fx.indexDir);
  index = new LocalPassageStore(data);
  embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: MODELS_DIR, allowRemote: false });
});

afterAll(async () => {
  await embedder?.dispose();
  await fx?.cleanup();
});

describe('LocalPassageStore on the seed index', () => {
  const fileOf = async (label: number) => {
    const [passage] = await index.passages([label]);
    return (await index.articles([passage!.articleId]))[0]!.file;
  };

  it('keyword search: weighted terms, best first, the outlet field only when boosted, within the filter', async () => {
    const boosts = { fieldBoosts: { text: 1, context: 0.5, outlet: 0.5 } };
    const hits = await index.keywordSearch([{ term: 'sidikou', weight: 1 }], 5, boosts);
    expect((await index.passages([hits[0]!.label]))[0]!.text).toContain('Sidikou');
    // "NBC" is in the outlet field only: searched when boosted, not otherwise.
    expect(await index.keywordSearch([{ term: 'nbc', weight: 1 }], 5, { fieldBoosts: { text: 1 } })).toEqual([]);
    expect((await index.keywordSearch([{ term: 'nbc', weight: 1 }], 5, { fieldBoosts: { outlet: 1 } })).length).toBeGreaterThan(0);
    const halved = await index.keywordSearch([{ term: 'sidikou', weight: 0.5 }], 5, boosts);
    expect(halved[0]!.score).toBeCloseTo(hits[0]!.score / 2, 6);
    const nbcOnly = await index.keywordSearch([{ term: 'niger', weight: 1 }], 50, { fieldBoosts: { text: 1 }, filter: { outlet: 'nbc' } });
    expect(nbcOnly.length).toBeGreaterThan(0);
    for (const h of nbcOnly) expect(await fileOf(h.label)).toBe(NBC_FILE);
  });

  it('vector search: scores are the cosines of the stored vectors, within the filter', async () => {
    const query = await embedder.embedQuery('Who leads the army of Niger?');
    const hits = await index.vectorSearch(query, 5);
    expect(hits).toHaveLength(5);
    const similarities = await index.passageSimilarities(
      hits.map((h) => h.label),
      query,
    );
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(similarities[i]!, 4));
    expect(await index.vectorSearch(query, 5, { until: '2023-07-26' })).toEqual([]);
    for (const h of await index.vectorSearch(query, 50, { outlet: 'NBC' })) expect(await fileOf(h.label)).toBe(NBC_FILE);
  });

  it('sentence similarity reads the stored sentence vectors: a sentence is most similar to its own text', async () => {
    const passage = data.passages[0]!;
    const article = data.articleById.get(passage.articleId)!;
    const span = passage.sentences[0]!;
    const own = await embedder.embedQuery(article.text.slice(span.start, span.end));
    const rows = data.passages.flatMap((p) => p.sentenceRows!);
    const similarities = await index.sentenceSimilarities(rows, own);
    const [ownSimilarity] = await index.sentenceSimilarities([passage.sentenceRows![0]!], own);
    expect(ownSimilarity).toBeCloseTo(Math.max(...similarities), 6);
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
