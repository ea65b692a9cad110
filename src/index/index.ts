// The index module's public surface: the passage store's two sides (passage-store.ts) and the factory that picks the
// local or the PostgreSQL one, building and refreshing an index through them (ingest, lock), loading a local build, and
// the analyzer and term statistics retrieval shares with it.
export { analyze, isStopWord, toTerm, words } from './analyzer.js';
export { contextualText, sentenceText } from './ingest-embed.js';
export { passageVectorsFor } from './ingest-changes.js';
export { ingest, ingestOptionsFromConfig, IndexWriteError, type IngestOptions, type IngestProgress, type IngestReport } from './ingest.js';
export { LocalPassageStore } from './local-store.js';
export { LocalStoreWriter } from './local-writer.js';
export {
  liveManifestOf,
  openPassageStore,
  openStoreWriter,
  STORE_KINDS,
  storeLocationFromConfig,
  type StoreKind,
  type StoreLocation,
} from './store-factory.js';
export { StoreConnectionError } from './postgres/connection.js';
export type {
  ArticleListing,
  GenerationSettings,
  GenerationWriter,
  KeywordField,
  KeywordSearchOptions,
  PassageHit,
  PassageStore,
  PassageStoreWriter,
  StoredArticle,
  WeightedTerm,
} from './passage-store.js';
export { IndexLockedError, IndexLockLostError, releaseIndexLock } from './lock.js';
export type { IndexManifest } from './manifest.js';
export { allowedLabels, type PassageFilter } from './passage-filter.js';
export {
  INGEST_COMMAND,
  IndexLoadError,
  indexSizeOnDisk,
  loadIndex,
  passageContext,
  readManifest,
  unreadableIndexReason,
  type IndexData,
} from './store.js';
export { recordedSourcesDir } from './source-fingerprint.js';
export { idf, type TermStats } from './term-stats.js';
export type { HnswSettings } from './vector.js';
