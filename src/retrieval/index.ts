// The retrieval module's public surface: question analysis and query expansion, hybrid ranking with MMR over a passage
// store (src/index/passage-store.ts), and the BM25 baselines evaluation compares against.
export { answerShownWithin, bm25Baseline, chunkBaseline, CHUNK_RECIPE, hybridBaseline, type Chunk } from './baseline.js';
export { indexNeighbours } from './neighbours.js';
export {
  analyzeQuery,
  DEFAULT_EXPANSION,
  oneTypoAway,
  questionTermShare,
  type AnalyzedQuery,
  type ExpansionSettings,
  type QueryTerm,
  type WordNeighbours,
} from './query.js';
export { DEFAULT_RETRIEVAL, retrieve, type RankedPassage, type RetrievalSettings } from './search.js';
