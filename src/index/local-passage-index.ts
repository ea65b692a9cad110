// The local passage index: a loaded build (BM25 postings, hnswlib for vectors, the vector tables in memory) behind
// the passage-index interface retrieval and answering are written against (src/retrieval/passage-index.ts). It holds
// the loaded graph and lexical index, hence a class. Its methods match that interface's shape; the interface itself
// lives downstream, so it is checked where the two meet (src/answer/coverage.ts) rather than imported here.
import type { Article } from '../corpus/index.js';
import type { Passage } from '../text/index.js';
import { searchLexical, type LexicalField } from './lexical.js';
import { allowedLabels, type PassageFilter } from './passage-filter.js';
import type { IndexData } from './store.js';
import type { TermStats } from './term-stats.js';

/** A field of the lexical index: the passage text, its article's headline and opening, the outlet. */
export type KeywordField = LexicalField;

function dotRow(vectors: Float32Array, dims: number, row: number, query: Float32Array): number {
  let dot = 0;
  for (let d = 0; d < dims; d++) dot += vectors[row * dims + d]! * query[d]!;
  return dot;
}

/**
 * A loaded index build as a passage index. Passage `label` is `passages[label]`, row `label` of the vector table and
 * label `label` in the hnswlib graph.
 *
 * @example
 * const index = new LocalPassageIndex(await loadIndex('embeddings'));
 * const hits = index.keywordSearch([{ term: 'junta', weight: 1 }], 10, { fieldBoosts: { text: 1 } });
 * const passage = index.passages[hits[0]!.label];
 */
export class LocalPassageIndex {
  constructor(private readonly data: IndexData) {}

  get dimensions(): number {
    return this.data.manifest.model.dimensions;
  }

  get articles(): readonly Article[] {
    return this.data.articles;
  }

  get passages(): readonly Passage[] {
    return this.data.passages;
  }

  get termStats(): TermStats {
    return this.data.termStats;
  }

  article(id: string): Article | undefined {
    return this.data.articleById.get(id);
  }

  /**
   * BM25 over the fields given boosts (the others are not searched), top `k` best first. The terms' texts go through
   * the index's analyzer as passage text did; a weight multiplies the score of the analysed term equal to its term
   * (question terms are already analysed, so they map one to one), and any other analysed term counts 1.
   */
  keywordSearch(
    terms: ReadonlyArray<{ term: string; weight: number }>,
    k: number,
    options: { fieldBoosts: Partial<Record<KeywordField, number>>; filter?: PassageFilter },
  ): Array<{ label: number; score: number }> {
    const { lexical } = this.data;
    if (!lexical || terms.length === 0) return [];
    const allowed = this.allowed(options.filter);
    if (allowed && allowed.size === 0) return [];
    const weights = new Map(terms.map((t) => [t.term, t.weight]));
    const results = searchLexical(lexical, terms.map((t) => t.term).join(' '), {
      fieldBoosts: options.fieldBoosts,
      termBoost: (term) => weights.get(term),
      filter: allowed ? (label) => allowed.has(label) : undefined,
    });
    return results.slice(0, k);
  }

  /** The `k` passages nearest to `vector` in the hnswlib graph (approximate), with their cosine similarity. */
  vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): Array<{ label: number; score: number }> {
    const { vectorIndex } = this.data;
    if (!vectorIndex) return [];
    const allowed = this.allowed(filter);
    if (allowed && allowed.size === 0) return [];
    return vectorIndex.search(vector, k, allowed ? (l) => allowed.has(l) : undefined).map((hit) => ({ label: hit.label, score: hit.similarity }));
  }

  /** Dot product of passage `label`'s stored vector with `vector` (the cosine: stored vectors are unit length). */
  passageSimilarity(label: number, vector: Float32Array): number {
    return dotRow(this.data.vectors, this.dimensions, label, vector);
  }

  /** The same for sentence-vector row `row` (see `Passage.sentenceRows`). */
  sentenceSimilarity(row: number, vector: Float32Array): number {
    const dims = vector.length;
    const stored = this.data.sentenceVectors.subarray(row * dims, (row + 1) * dims);
    let s = 0;
    for (let i = 0; i < stored.length; i++) s += stored[i]! * vector[i]!;
    return s;
  }

  private allowed(filter: PassageFilter | undefined): Set<number> | null {
    return allowedLabels(this.data.articles, this.data.passages, filter ?? {});
  }
}
