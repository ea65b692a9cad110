// The plain BM25 baseline the evaluation compares against: the question's terms over passage text only, no expansion,
// no context, no dense ranking, no diversity.
import type { Passage } from '../text/index.js';
import type { PassageIndex } from './passage-index.js';

export function bm25Baseline(index: PassageIndex, question: string, k: number): Passage[] {
  // The whole question is one search text: the index analyses it into terms, as it analysed the passages.
  return index.keywordSearch([{ term: question, weight: 1 }], k, { fieldBoosts: { text: 1 } }).map((hit) => index.passages[hit.label]!);
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
