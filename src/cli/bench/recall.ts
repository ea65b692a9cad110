// Recall of the approximate vector search: for each query, the share of the exact k nearest passages (brute force over
// every vector) that the hnswlib graph returns at the configured efSearch.
import type { IndexData } from '../../index/index.js';

/** Labels of the k rows of `vectors` (row-major unit vectors, `dimensions` wide) with the highest dot product with `query`. */
export function exactNearest(vectors: Float32Array, dimensions: number, query: Float32Array, k: number): number[] {
  const rows = vectors.length / dimensions;
  // A sorted list of the best k so far: k is small, rows many.
  const best: Array<{ label: number; score: number }> = [];
  for (let row = 0; row < rows; row++) {
    let score = 0;
    const offset = row * dimensions;
    for (let d = 0; d < dimensions; d++) score += vectors[offset + d]! * query[d]!;
    if (best.length === k && score <= best[k - 1]!.score) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.score < score) at--;
    best.splice(at, 0, { label: row, score });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.label);
}

export interface RecallFigures {
  k: number;
  efSearch: number;
  queries: number;
  /** Mean over the queries of |approximate ∩ exact| / k. */
  mean: number;
  /** The worst single query. */
  min: number;
}

/** Recall@k of the index's hnswlib graph against exact search, over `queries` (unit vectors). */
export function vectorRecall(index: IndexData, queries: Float32Array[], k: number): RecallFigures {
  const graph = index.vectorIndex;
  if (!graph) throw new Error('the index was loaded without its vector graph');
  const want = Math.min(k, index.passages.length);
  const recalls = queries.map((query) => {
    const exact = new Set(exactNearest(index.vectors, index.manifest.model.dimensions, query, want));
    const found = graph.search(query, want).filter((hit) => exact.has(hit.label)).length;
    return want === 0 ? 1 : found / want;
  });
  return {
    k: want,
    efSearch: graph.efSearch,
    queries: queries.length,
    mean: recalls.reduce((s, r) => s + r, 0) / Math.max(1, recalls.length),
    min: Math.min(...recalls),
  };
}
