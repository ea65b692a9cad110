// The passage-store contract (src/index/passage-store.ts): one suite every store runs — the local files, the in-memory
// test store, PostgreSQL — in the spirit of Haystack's reusable document-store tests. It writes small hand-made
// articles through the write side and checks what a reader sees: lookups by id and label, keyword and vector search
// within filters, stored similarities, and generations that go live whole or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/index.js';
import type { GenerationSettings, PassageStore, PassageStoreWriter, StoredArticle } from '../../src/index/index.js';
import type { Passage } from '../../src/text/index.js';

export interface StoreUnderTest {
  writer: PassageStoreWriter;
  /** Opens the live generation for reading. */
  open(): Promise<PassageStore>;
  cleanup(): Promise<void>;
}

export const DIMENSIONS = 4;

export const SETTINGS: GenerationSettings = {
  model: { id: 'contract/test-model', requested: 'contract/test-model', dimensions: DIMENSIONS },
  passageSettings: { maxTokens: 200, overlapSentences: 0, vectors: 'model' },
  hnsw: { m: 8, efConstruction: 64, efSearch: 64 },
  sourcesDir: '/nonexistent/contract-sources',
};

function unit(v: readonly number[]): number[] {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/**
 * An article made for these tests: sentences with their own vectors, grouped into passages (indices of sentences),
 * each passage's vector the normalised mean of its sentences'. Written for the contract suite, not from a real source.
 */
export function madeArticle(
  meta: { id: string; title: string; outlet: string | null; published: string | null },
  sentences: Array<{ text: string; vector: number[] }>,
  groups: number[][],
): StoredArticle {
  const text = sentences.map((s) => s.text).join(' ');
  const spans: Array<{ start: number; end: number }> = [];
  let at = 0;
  for (const s of sentences) {
    spans.push({ start: at, end: at + s.text.length });
    at += s.text.length + 1;
  }
  const article: Article = {
    ...meta,
    byline: null,
    dateline: null,
    url: null,
    file: `${meta.id}.txt`,
    contentHash: `hash-of-${meta.id}-${text.length}`,
    text,
  };
  const passages: Passage[] = groups.map((rows, ordinal) => {
    const start = spans[rows[0]!]!.start;
    const end = spans[rows[rows.length - 1]!]!.end;
    return {
      id: `${meta.id}#${ordinal}`,
      articleId: meta.id,
      ordinal,
      start,
      end,
      text: text.slice(start, end),
      sentences: rows.map((r) => spans[r]!),
      sentenceRows: rows,
      sentenceTags: rows.map(() => []),
    };
  });
  const passageVectors = groups.flatMap((rows) =>
    unit(rows.reduce((sum, r) => sum.map((x, d) => x + sentences[r]!.vector[d]!), new Array<number>(DIMENSIONS).fill(0))),
  );
  return {
    article,
    passages,
    passageVectors: Float32Array.from(passageVectors),
    sentenceVectors: Float32Array.from(sentences.flatMap((s) => unit(s.vector))),
  };
}

/** Three articles: two outlets with dates, one undated without an outlet. Axes: [coup, water, sport, economy]. */
export function madeArticles(): StoredArticle[] {
  return [
    madeArticle(
      { id: 'sahel-junta', title: 'Junta names a new leader', outlet: 'Sahel Post', published: '2023-07-27' },
      [
        { text: 'Soldiers detained the president in the capital on Wednesday.', vector: [1, 0, 0, 0] },
        { text: 'General Tiani was named head of the transition council.', vector: [0.9, 0, 0, 0.1] },
        { text: 'Neighbouring states threatened sanctions against the junta.', vector: [0.7, 0, 0, 0.5] },
      ],
      [[0, 1], [2]],
    ),
    madeArticle(
      { id: 'coast-water', title: 'Desalination plant opens', outlet: 'Coast Herald', published: '2023-08-02' },
      [
        { text: 'Mayor Varnholt opened the desalination plant on the harbour.', vector: [0, 1, 0, 0] },
        { text: 'The plant will supply forty thousand homes with drinking water.', vector: [0, 0.9, 0, 0.3] },
      ],
      [[0, 1]],
    ),
    madeArticle(
      { id: 'cup-final', title: 'Cup final', outlet: null, published: null },
      [{ text: 'The striker scored twice in the cup final at the old stadium.', vector: [0, 0, 1, 0] }],
      [[0]],
    ),
  ];
}

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const query = (v: number[]) => Float32Array.from(unit(v));

async function writeAll(writer: PassageStoreWriter, articles: StoredArticle[], from: 'live' | 'empty' = 'empty') {
  const generation = await writer.begin(SETTINGS, { from });
  for (const a of articles) await generation.put(a);
  return generation.commit();
}

/** Runs the contract on the store `make` gives (a fresh, empty one for each group of tests). */
export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name}: the passage-store contract`, () => {
    describe('reading a generation', () => {
      let sut: StoreUnderTest;
      let store: PassageStore;
      const articles = madeArticles();
      beforeAll(async () => {
        sut = await make();
        expect(await sut.writer.liveManifest()).toBeNull();
        const manifest = await writeAll(sut.writer, articles);
        expect(manifest.counts).toEqual({ articles: 3, passages: 4, sentences: 6 });
        store = await sut.open();
      });
      afterAll(async () => {
        await store?.close();
        await sut?.cleanup();
      });

      it('records what it holds: model, counts, content hashes and the sources folder', async () => {
        expect(store.dimensions).toBe(DIMENSIONS);
        expect(store.manifest.model.id).toBe(SETTINGS.model.id);
        expect(store.manifest.articles).toEqual(Object.fromEntries(articles.map((a) => [a.article.id, a.article.contentHash])));
        expect(store.manifest.sourcesDir).toBe(SETTINGS.sourcesDir);
        expect((await sut.writer.liveManifest())?.counts.passages).toBe(4);
        expect(store.termStats.passages).toBe(4);
        expect(store.termStats.vocabulary).toContain('desalination');
      });

      it('lists articles without their text, with passage counts, by outlet, and finds them by id prefix', async () => {
        const listed = await store.listArticles();
        expect(listed.map((a) => [a.id, a.passages])).toEqual([
          ['sahel-junta', 2],
          ['coast-water', 1],
          ['cup-final', 1],
        ]);
        expect('text' in listed[0]!).toBe(false);
        expect(listed[0]).toMatchObject({ title: 'Junta names a new leader', outlet: 'Sahel Post', published: '2023-07-27', file: 'sahel-junta.txt' });
        expect((await store.listArticles({ outlet: 'coast' })).map((a) => a.id)).toEqual(['coast-water']);
        expect(await store.listArticles({ outlet: 'reuters' })).toEqual([]);
        expect((await store.articlesByPrefix('c', 5)).map((a) => a.id).sort()).toEqual(['coast-water', 'cup-final']);
        expect(await store.articlesByPrefix('c', 1)).toHaveLength(1);
        expect(await store.articlesByPrefix('zz', 5)).toEqual([]);
      });

      it('looks articles and passages up: the text at a passage’s offsets is the passage', async () => {
        const found = await store.articles(['cup-final', 'no-such-article', 'sahel-junta']);
        expect(found.map((a) => a.id)).toEqual(['cup-final', 'sahel-junta']);
        expect(found[1]!.text).toBe(articles[0]!.article.text);
        const own = await store.articlePassages('sahel-junta');
        expect(own.map((p) => p.id)).toEqual(['sahel-junta#0', 'sahel-junta#1']);
        for (const p of own) expect(found[1]!.text.slice(p.start, p.end)).toBe(p.text);
        expect(own[0]!.sentences).toEqual(articles[0]!.passages[0]!.sentences);
        expect(await store.articlePassages('no-such-article')).toEqual([]);
      });

      it('keyword search: the passage with the rare words first, the fields given boosts only, within the filter', async () => {
        const hits = await store.keywordSearch([{ term: 'desalination', weight: 1 }, { term: 'harbour', weight: 1 }], 5, { fieldBoosts: { text: 1 } });
        expect(hits.length).toBeGreaterThan(0);
        const [top] = await store.passages([hits[0]!.label]);
        expect(top!.articleId).toBe('coast-water');
        expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
        // "Herald" is only in the outlet field; "leader" only in a headline (the context field).
        expect(await store.keywordSearch([{ term: 'herald', weight: 1 }], 5, { fieldBoosts: { text: 1 } })).toEqual([]);
        expect((await store.keywordSearch([{ term: 'herald', weight: 1 }], 5, { fieldBoosts: { outlet: 1 } })).length).toBeGreaterThan(0);
        expect(await store.keywordSearch([{ term: 'leader', weight: 1 }], 5, { fieldBoosts: { text: 1 } })).toEqual([]);
        expect((await store.keywordSearch([{ term: 'leader', weight: 1 }], 5, { fieldBoosts: { context: 1 } })).length).toBeGreaterThan(0);
        expect(await store.keywordSearch([], 5, { fieldBoosts: { text: 1 } })).toEqual([]);

        const articleOf = async (label: number) => (await store.passages([label]))[0]!.articleId;
        const within = async (filter: Parameters<PassageStore['vectorSearch']>[2]) => {
          const found = await store.keywordSearch([{ term: 'the', weight: 1 }, { term: 'plant', weight: 1 }, { term: 'soldiers', weight: 1 }, { term: 'striker', weight: 1 }], 10, {
            fieldBoosts: { text: 1 },
            filter,
          });
          return new Set(await Promise.all(found.map((h) => articleOf(h.label))));
        };
        expect(await within({})).toEqual(new Set(['sahel-junta', 'coast-water', 'cup-final']));
        expect(await within({ outlet: 'sahel' })).toEqual(new Set(['sahel-junta']));
        // Dates leave the undated article out.
        expect(await within({ since: '2023-08-01' })).toEqual(new Set(['coast-water']));
        expect(await within({ until: '2023-07-31' })).toEqual(new Set(['sahel-junta']));
        expect(await within({ excludeArticles: ['sahel-junta', 'coast-water'] })).toEqual(new Set(['cup-final']));
        expect(await within({ outlet: 'reuters' })).toEqual(new Set());
      });

      it('vector search: nearest first, scored by the cosine of the stored vectors, within the filter', async () => {
        const q = query([0, 1, 0, 0.2]);
        const hits = await store.vectorSearch(q, 4);
        expect(hits).toHaveLength(4);
        expect((await store.passages([hits[0]!.label]))[0]!.articleId).toBe('coast-water');
        const similarities = await store.passageSimilarities(
          hits.map((h) => h.label),
          q,
        );
        hits.forEach((h, i) => expect(h.score).toBeCloseTo(similarities[i]!, 5));
        const expected = cosine(articles[1]!.passageVectors, q);
        expect(hits[0]!.score).toBeCloseTo(expected, 5);
        const undated = await store.vectorSearch(q, 4, { since: '2000-01-01' });
        expect(undated).toHaveLength(3);
        const sport = await store.vectorSearch(query([0, 0, 1, 0]), 1, { excludeArticles: ['cup-final'] });
        expect((await store.passages([sport[0]!.label]))[0]!.articleId).not.toBe('cup-final');
        expect(await store.vectorSearch(q, 4, { outlet: 'nobody' })).toEqual([]);
      });

      it('sentence similarities read each sentence’s own stored vector', async () => {
        const [first, second] = await store.articlePassages('sahel-junta');
        const rows = [...first!.sentenceRows!, ...second!.sentenceRows!];
        expect(new Set(rows).size).toBe(3);
        const q = query([0.7, 0, 0, 0.5]);
        const similarities = await store.sentenceSimilarities(rows, q);
        const own = articles[0]!.sentenceVectors;
        [0, 1, 2].forEach((i) => expect(similarities[i]).toBeCloseTo(cosine(own.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS), q), 5));
        expect(await store.sentenceSimilarities([], q)).toEqual([]);
      });
    });

    describe('writing generations', () => {
      let sut: StoreUnderTest;
      beforeAll(async () => {
        sut = await make();
      });
      afterAll(async () => sut?.cleanup());

      it('a generation copied from the live one keeps untouched articles, replaces put ones and drops deleted ones', async () => {
        const [junta, water, cup] = madeArticles();
        await writeAll(sut.writer, [junta!, water!, cup!]);
        const before = await sut.open();

        const rewritten = madeArticle(
          { id: 'coast-water', title: 'Desalination plant delayed', outlet: 'Coast Herald', published: '2023-08-03' },
          [{ text: 'The opening of the plant was put off until spring.', vector: [0, 1, 0, 1] }],
          [[0]],
        );
        const generation = await sut.writer.begin(SETTINGS, { from: 'live' });
        await generation.put(rewritten);
        await generation.delete('cup-final');
        await generation.delete('never-indexed');
        const manifest = await generation.commit();
        expect(manifest.counts).toEqual({ articles: 2, passages: 3, sentences: 4 });

        // A reader opened before the commit keeps its generation; a reader opened after sees the new one whole.
        expect((await before.listArticles()).map((a) => a.id)).toEqual(['sahel-junta', 'coast-water', 'cup-final']);
        expect((await before.articles(['coast-water']))[0]!.title).toBe('Desalination plant opens');
        await before.close();

        const after = await sut.open();
        try {
          expect((await after.listArticles()).map((a) => a.id).sort()).toEqual(['coast-water', 'sahel-junta']);
          expect((await after.articles(['coast-water']))[0]!.text).toBe(rewritten.article.text);
          expect(await after.articlePassages('cup-final')).toEqual([]);
          expect(await after.keywordSearch([{ term: 'striker', weight: 1 }], 5, { fieldBoosts: { text: 1 } })).toEqual([]);
          const delayed = await after.keywordSearch([{ term: 'spring', weight: 1 }], 5, { fieldBoosts: { text: 1 } });
          expect((await after.passages([delayed[0]!.label]))[0]!.articleId).toBe('coast-water');
          // The kept article's sentence vectors came along with it.
          const kept = await after.articlePassages('sahel-junta');
          const q = query([0.9, 0, 0, 0.1]);
          const similarities = await after.sentenceSimilarities(kept[0]!.sentenceRows!, q);
          expect(similarities[1]).toBeCloseTo(cosine(junta!.sentenceVectors.subarray(DIMENSIONS, 2 * DIMENSIONS), q), 5);
          expect(after.manifest.articles['coast-water']).toBe(rewritten.article.contentHash);
        } finally {
          await after.close();
        }
      });

      it('an aborted generation, or one whose last check fails, leaves the live one as it was', async () => {
        const live = (await sut.writer.liveManifest())!;
        const aborted = await sut.writer.begin(SETTINGS, { from: 'empty' });
        await aborted.put(madeArticles()[2]!);
        await aborted.abort();
        expect((await sut.writer.liveManifest())?.articles).toEqual(live.articles);

        const refused = await sut.writer.begin(SETTINGS, { from: 'live' });
        await refused.delete('sahel-junta');
        await expect(
          refused.commit({
            beforeCommit: async () => {
              throw new Error('the ingest lock was lost');
            },
          }),
        ).rejects.toThrow('the ingest lock was lost');
        const store = await sut.open();
        try {
          expect((await store.listArticles()).map((a) => a.id).sort()).toEqual(['coast-water', 'sahel-junta']);
        } finally {
          await store.close();
        }
      });

      it('an empty generation replaces everything', async () => {
        const generation = await sut.writer.begin(SETTINGS, { from: 'empty' });
        await generation.put(madeArticles()[2]!);
        expect((await generation.commit()).counts.articles).toBe(1);
        const store = await sut.open();
        try {
          expect((await store.listArticles()).map((a) => a.id)).toEqual(['cup-final']);
        } finally {
          await store.close();
        }
      });
    });
  });
}
