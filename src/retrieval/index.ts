// The retrieval module's public surface: the passage-index interface stores implement, question analysis and query
// expansion, hybrid ranking with MMR, and the BM25 baselines evaluation compares against.
export type { KeywordSearchOptions, PassageFilter, PassageHit, PassageIndex, TermStats, WeightedTerm } from './passage-index.js';
export { answerShownWithin, bm25Baseline, chunkBaseline, CHUNK_RECIPE, hybridBaseline, type Chunk } from './baseline.js';
export { indexNeighbours } from './neighbours.js';
export {
  analyzeQuery,
  DEFAULT_EXPANSION,
  oneTypoAway,
  termCoverage,
  type AnalyzedQuery,
  type ExpansionSettings,
  type QueryTerm,
  type WordNeighbours,
} from './query.js';
export { DEFAULT_RETRIEVAL, retrieve, type RankedPassage, type RetrievalSettings } from './search.js';
