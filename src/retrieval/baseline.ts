// The plain BM25 baseline the evaluation compares against: the question's terms over passage text only, no expansion,
// no context, no dense ranking, no diversity.
import type { PassageStore } from '../index/index.js';
import type { Passage } from '../text/index.js';

export async function bm25Baseline(index: PassageStore, question: string, k: number): Promise<Passage[]> {
  // The whole question is one search text: the index analyses it into terms, as it analysed the passages.
  const hits = await index.keywordSearch([{ term: question, weight: 1 }], k, { fieldBoosts: { text: 1 } });
  return index.passages(hits.map((hit) => hit.label));
}

/** The recipe a developer would build first: fixed-size character chunks with overlap, in minisearch with its defaults. */
export const CHUNK_RECIPE = { size: 1000, overlap: 200 } as const;

export interface Chunk {
  articleId: string;
  start: number;
  end: number;
  text: string;
}

/**
 * BM25 (minisearch, default tokenizer, no stemming) over 1,000-character chunks overlapping by 200: the simple recipe
 * every answer-quality figure is compared with. Built once per index; `search` returns the top chunks.
 */
export async function chunkBaseline(
  articles: ReadonlyArray<{ id: string; text: string }>,
  recipe: { size: number; overlap: number } = CHUNK_RECIPE,
): Promise<{ chunks: number; search(question: string, k: number): Chunk[] }> {
  const { default: MiniSearch } = await import('minisearch');
  const chunks: Chunk[] = [];
  for (const a of articles) {
    for (let start = 0; start < a.text.length; start += recipe.size - recipe.overlap) {
      const end = Math.min(a.text.length, start + recipe.size);
      chunks.push({ articleId: a.id, start, end, text: a.text.slice(start, end) });
      if (end === a.text.length) break;
    }
  }
  const search = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  search.addAll(chunks.map((c, id) => ({ id, text: c.text })));
  return {
    chunks: chunks.length,
    search: (question, k) => search.search(question).slice(0, k).map((r) => chunks[r.id as number]!),
  };
}

/** Reciprocal-rank-fusion constant of the hybrid recipe (the usual 60). */
const RRF_K = 60;

/**
 * The hybrid recipe, as a developer would build it next: BM25 and the dense ranking over the index's own passages fused
 * by reciprocal rank, each passage shown with its sentence most similar to the question first (then the passage
 * itself). No expansion, no learned scoring, no decision: the simple recipe answer figures are compared with.
 */
export async function hybridBaseline(index: PassageStore, question: string, queryVector: Float32Array, k: number): Promise<string[]> {
  const fused = new Map<number, number>();
  const add = (labels: number[]) => labels.forEach((label, rank) => fused.set(label, (fused.get(label) ?? 0) + 1 / (RRF_K + rank + 1)));
  add((await index.keywordSearch([{ term: question, weight: 1 }], 50, { fieldBoosts: { text: 1 } })).map((h) => h.label));
  add((await index.vectorSearch(queryVector, 50)).map((h) => h.label));
  const top = [...fused].sort((a, b) => b[1] - a[1]).slice(0, k);
  const passages = await index.passages(top.map(([label]) => label));
  const articleById = new Map((await index.articles(passages.map((p) => p.articleId))).map((a) => [a.id, a]));
  const texts: string[] = [];
  for (const passage of passages) {
    const rows = passage.sentenceRows ?? [];
    let best = -1;
    let bestSimilarity = -Infinity;
    (await index.sentenceSimilarities(rows, queryVector)).forEach((similarity, i) => {
      if (similarity > bestSimilarity) [best, bestSimilarity] = [i, similarity];
    });
    const article = articleById.get(passage.articleId)!;
    const sentence = best >= 0 ? article.text.slice(passage.sentences[best]!.start, passage.sentences[best]!.end) : '';
    texts.push(...(sentence ? [sentence, passage.text] : [passage.text]));
  }
  return texts;
}

/**
 * Whether one of `answers` ends within the first `chars` characters of the quoted text shown (quotes joined in order,
 * white space collapsed), as reviewers score what a reader sees: answered or closest coverage alike.
 */
export function answerShownWithin(texts: readonly string[], answers: readonly string[], chars = 300): boolean {
  const shown = texts.map((t) => t.replace(/\s+/g, ' ').trim()).join(' ');
  const variants = answers.flatMap((a) => [a, a.replace(/’/g, "'"), a.replace(/'/g, '’')]);
  return variants.some((v) => {
    const at = shown.indexOf(v);
    return at >= 0 && at + v.length <= chars;
  });
}
