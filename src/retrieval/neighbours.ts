// Word-vector neighbours for query expansion, limited to words the index actually contains: a neighbour that occurs in no
// passage cannot help retrieval, and scanning ~30,000 indexed words instead of the whole vocabulary keeps a query fast.
import { WordVectors } from '../embedding/index.js';
import type { WordNeighbours } from './query.js';

const CACHE_LIMIT = 5_000;

/** Neighbours among `vocabulary` (the index's lower-cased words, `TermStats.vocabulary`), with results cached per query word. */
export function indexNeighbours(vectors: WordVectors, vocabulary: Iterable<string>): WordNeighbours {
  const kept: string[] = [];
  const rows: Float32Array[] = [];
  for (const word of vocabulary) {
    const v = vectors.vector(word);
    if (v) {
      kept.push(word);
      rows.push(v);
    }
  }
  const matrix = new Float32Array(kept.length * vectors.dimensions);
  rows.forEach((row, i) => matrix.set(row, i * vectors.dimensions));
  const subset = new WordVectors(kept, matrix, vectors.dimensions);
  const cache = new Map<string, Array<{ word: string; cosine: number }>>();
  return {
    similarity(a, b) {
      const va = vectors.vector(a);
      const vb = vectors.vector(b);
      if (!va || !vb) return null;
      let dot = 0;
      for (let i = 0; i < va.length; i++) dot += va[i]! * vb[i]!;
      return dot;
    },
    nearest(word, k, minCosine) {
      const key = `${word}\u0000${k}\u0000${minCosine}`;
      let result = cache.get(key);
      if (!result) {
        // The query word itself need not occur in the index: look its vector up in the full vocabulary.
        const v = vectors.vector(word);
        result = v ? subset.nearestToVector(v, k, minCosine).filter((n) => n.word !== word.toLowerCase()) : [];
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(key, result);
      }
      return result;
    },
  };
}
