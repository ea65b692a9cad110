// Hybrid passage retrieval: BM25 (the backbone) and the dense ranking joined by a weighted sum of normalised scores,
// then maximal marginal relevance so the top results are not near-copies of each other. The store behind them is any
// PassageStore (src/index/passage-store.ts).
import type { Article } from '../corpus/index.js';
import { analyze, type PassageFilter, type PassageStore } from '../index/index.js';
import type { Passage } from '../text/index.js';
import type { AnalyzedQuery } from './query.js';

export interface RetrievalSettings {
  /** Candidates taken from each ranking before fusion. */
  candidates: number;
  /** Share of the dense score in the fused score (0..1); the rest is BM25. */
  denseWeight: number;
  /** Per-field BM25 boosts: the passage text, its article context (headline and opening), the outlet. */
  fieldBoosts: { text: number; context: number; outlet: number };
  /** MMR trade-off between relevance (1) and novelty (0). */
  mmrLambda: number;
  /** Passages of the same outlet sharing more than this share of their terms are near-copies: only the best is kept. */
  duplicateOverlap: number;
}

export const DEFAULT_RETRIEVAL: RetrievalSettings = {
  candidates: 50,
  denseWeight: 0.2,
  fieldBoosts: { text: 1, context: 0.5, outlet: 0.5 },
  mmrLambda: 0.8,
  duplicateOverlap: 0.8,
};

export interface RankedPassage {
  label: number;
  passage: Passage;
  article: Article;
  /** Fused score, 0..1. */
  score: number;
  /** BM25 score normalised by the best BM25 score of the query. */
  lexical: number;
  /** Cosine similarity of the passage vector to the query vector. */
  dense: number;
}

/** BM25 scores of the query over passages, keyed by label. */
export async function lexicalScores(
  index: PassageStore,
  query: AnalyzedQuery,
  settings: RetrievalSettings,
  filter: PassageFilter | undefined,
): Promise<Map<number, number>> {
  const scores = new Map<number, number>();
  if (query.weighted.length === 0) return scores;
  for (const hit of await index.keywordSearch(query.weighted, settings.candidates, { fieldBoosts: settings.fieldBoosts, filter })) {
    scores.set(hit.label, hit.score);
  }
  return scores;
}

/** Ranks passages for a query; `queryVector` is the embedded question. */
export async function retrieve(
  index: PassageStore,
  query: AnalyzedQuery,
  queryVector: Float32Array,
  opts: { k: number; filter?: PassageFilter; settings?: RetrievalSettings },
): Promise<RankedPassage[]> {
  const settings = opts.settings ?? DEFAULT_RETRIEVAL;
  const [lexical, denseHits] = await Promise.all([
    lexicalScores(index, query, settings, opts.filter),
    settings.denseWeight > 0 ? index.vectorSearch(queryVector, settings.candidates, opts.filter) : Promise.resolve([]),
  ]);
  const dense = new Map(denseHits.map((hit) => [hit.label, hit.score]));
  const candidates = [...new Set([...lexical.keys(), ...dense.keys()])];
  if (candidates.length === 0) return [];

  // Candidates the vector search did not return get their similarity from their stored vectors.
  const unscored = candidates.filter((label) => !dense.has(label));
  const [similarities, passages] = await Promise.all([index.passageSimilarities(unscored, queryVector), index.passages(candidates)]);
  unscored.forEach((label, i) => dense.set(label, similarities[i]!));
  const articleById = new Map((await index.articles([...new Set(passages.map((p) => p.articleId))])).map((a) => [a.id, a]));

  const maxLexical = Math.max(0, ...lexical.values());
  const denseOf = (label: number) => dense.get(label)!;
  const denseValues = candidates.map(denseOf);
  const minDense = Math.min(...denseValues);
  const maxDense = Math.max(...denseValues);

  const scored: RankedPassage[] = candidates.map((label, i) => {
    const lex = maxLexical > 0 ? (lexical.get(label) ?? 0) / maxLexical : 0;
    const sim = denseOf(label);
    const denseNorm = maxDense > minDense ? (sim - minDense) / (maxDense - minDense) : 0;
    const passage = passages[i]!;
    return {
      label,
      passage,
      article: articleById.get(passage.articleId)!,
      score: (1 - settings.denseWeight) * lex + settings.denseWeight * denseNorm,
      lexical: lex,
      dense: sim,
    };
  });
  scored.sort((a, b) => b.score - a.score);
  return diversify(scored, opts.k, settings);
}

/** Share of distinct content terms two texts have in common (Jaccard). */
function termOverlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Maximal marginal relevance over the fused ranking, with redundancy measured as term overlap: passage vectors carry
 * their article's context, so two passages of one article are close in vector space without repeating each other.
 * Near-copies from the same outlet are dropped; a near-copy from another outlet is kept, since it corroborates the
 * fact with a second citation.
 */
function diversify(ranked: RankedPassage[], k: number, settings: RetrievalSettings): RankedPassage[] {
  const chosen: RankedPassage[] = [];
  const pool = ranked.slice(0, Math.max(k * 4, 20));
  const terms = new Map(pool.map((c) => [c.label, new Set(analyze(c.passage.text))]));
  while (chosen.length < k && pool.length > 0) {
    let bestIndex = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const c = pool[i]!;
      let redundancy = 0;
      let duplicate = false;
      for (const s of chosen) {
        if ((c.article.outlet ?? c.article.id) !== (s.article.outlet ?? s.article.id)) continue;
        const overlap = termOverlap(terms.get(c.label)!, terms.get(s.label)!);
        if (overlap >= settings.duplicateOverlap) duplicate = true;
        redundancy = Math.max(redundancy, overlap);
      }
      if (duplicate) continue;
      const value = settings.mmrLambda * c.score - (1 - settings.mmrLambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = i;
      }
    }
    if (bestIndex === -1) break;
    chosen.push(pool.splice(bestIndex, 1)[0]!);
  }
  return chosen;
}
