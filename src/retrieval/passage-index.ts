// The passage index retrieval and answering are written against: keyword and vector retrieval kept apart (in the spirit
// of Onyx's HybridCapable and langchainjs's similaritySearchVectorWithScore(query, k, filter)), plus what scoring
// reads. Fusion, MMR and sentence scoring stay in retrieval and answer; a store only finds and looks up passages.
// The local index (BM25 postings + hnswlib, src/index/local-passage-index.ts) implements it; an OpenSearch or Qdrant
// adapter would be one more file implementing it (see docs/speed.md).
import type { Article } from '../corpus/index.js';
import type { PassageFilter, TermStats } from '../index/index.js';
import type { Passage } from '../text/index.js';

export type { PassageFilter, TermStats };

/** A search term and how much it counts: 1 for the question's own words, less for expansions. */
export interface WeightedTerm {
  /** Text the index analyses as it analysed passages (a stem, a word, or several words); its terms get `weight`. */
  term: string;
  weight: number;
}

/** A passage found by a search: its label (position in `PassageIndex.passages`) and the store's score for it. */
export interface PassageHit {
  label: number;
  /** BM25 score for keyword search; cosine similarity for vector search. */
  score: number;
}

export interface KeywordSearchOptions {
  /**
   * Boost per field; a field left out is not searched. `text`: the passage itself; `context`: its article's headline
   * and opening sentence; `outlet`: the outlet's name.
   */
  fieldBoosts: Partial<Record<'text' | 'context' | 'outlet', number>>;
  filter?: PassageFilter;
}

/**
 * A searchable store of passages. Every method that searches takes the same `PassageFilter` (outlet, since, until,
 * excludeArticles), so a store can apply it natively (a term filter in OpenSearch, a payload filter in Qdrant).
 *
 * @example
 * // Hybrid retrieval is two calls and a fusion (this is what `retrieve` does, plus MMR):
 * const filter = { outlet: 'nbc', since: '2023-07-01' };
 * const keyword = index.keywordSearch([{ term: 'junta', weight: 1 }, { term: 'militari', weight: 0.3 }], 50, {
 *   fieldBoosts: { text: 1, context: 0.5, outlet: 0.5 },
 *   filter,
 * });
 * const dense = index.vectorSearch(await embedder.embedQuery('Who leads the junta?'), 50, filter);
 * const passage = index.passages[keyword[0]!.label]!;
 * const article = index.article(passage.articleId)!;
 *
 * @example
 * // A store is one class with these members; tests/retrieval/fake-passage-index.ts is a complete in-memory one.
 * class QdrantPassageIndex implements PassageIndex { ... }
 */
export interface PassageIndex {
  /** Width of the passage and sentence vectors (the embedding model's). */
  readonly dimensions: number;
  /** Every indexed article. */
  readonly articles: readonly Article[];
  /** Every passage; a passage's label is its position here. */
  readonly passages: readonly Passage[];
  /** Passage frequencies of the analysed terms: the IDF behind expansion filters and evidence features. */
  readonly termStats: TermStats;
  /** An article by id. */
  article(id: string): Article | undefined;
  /** BM25 over the weighted terms: at most `k` passages the filter allows, best first. */
  keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): PassageHit[];
  /** The `k` passages the filter allows nearest to `vector` (may be approximate), scored by cosine similarity. */
  vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): PassageHit[];
  /** Cosine similarity of passage `label`'s stored vector to `vector` (for candidates the vector search did not return). */
  passageSimilarity(label: number, vector: Float32Array): number;
  /** Cosine similarity of a sentence's stored vector (row `Passage.sentenceRows[i]`) to `vector`. */
  sentenceSimilarity(row: number, vector: Float32Array): number;
}
