// The embedding module's public API: the model settings table, the Embedder, and the offline model with its word vectors.
export { DEFAULT_MODEL_SETTINGS, MODEL_SETTINGS, modelSettings, OFFLINE_MODEL_ID, type ModelSettings } from './models.js';
export { DEFAULT_BATCH_SIZE, Embedder, fallbackVector, type EmbedderLoadOptions, type EmbedOptions } from './embedder.js';
export type { WorkerUsage } from './embed-pool.js';
export {
  buildOfflineModel,
  DEFAULT_OFFLINE_VOCAB_SIZE,
  ensureOfflineModel,
  OFFLINE_BUILD_VERSION,
  offlineModelDir,
  type OfflineBuildOptions,
  type OfflineBuildProgress,
  type OfflineModelInfo,
} from './offline-model.js';
export { loadWordVectors, WordVectors, type WordNeighbour } from './word-vectors.js';
