// The embedding model: a transformers.js feature-extraction pipeline (the configured hub model, or the offline model when
// that cannot be loaded) that turns passages and questions into unit vectors.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureExtractionPipeline } from '@xenova/transformers';
import { slicedPause } from '../event-loop.js';
import { dropLongRuns } from '../text/index.js';
import { EmbedPool, embeddingWorkers, MIN_TEXTS_FOR_WORKERS, type WorkerUsage } from './embed-pool.js';
import { modelSettings, OFFLINE_MODEL_ID, type ModelSettings } from './models.js';
import { buildOfflineModel, ensureOfflineModel, type OfflineBuildProgress } from './offline-model.js';

export const DEFAULT_BATCH_SIZE = 32;

/** What the tokenizers count as white space before any other step (other spaces stay inside a word and are theirs). */
const ASCII_SPACE = /[ \t\n\r]+/;
/** Remembered word counts: past this many distinct words (a large corpus), the memory is cleared and refills. */
const WORD_TOKENS_LIMIT = 200_000;

export interface EmbedderLoadOptions {
  /** A hub id (e.g. `Xenova/bge-small-en-v1.5`) or OFFLINE_MODEL_ID. */
  model: string;
  /** Where models are looked for and hub downloads are kept. */
  modelsDir: string;
  allowRemote: boolean;
  /** The int8 model (`onnx/model_quantized.onnx`, the default: 4× smaller, faster) or the fp32 one (`onnx/model.onnx`). */
  quantized?: boolean;
  log?: (message: string) => void;
  /** Progress of building the offline model, when it has to be built first (about 5 s, once). */
  onBuildProgress?: OfflineBuildProgress;
  /** ONNX threads of the model's session; unset: the model's setting (src/embedding/models.ts). */
  onnxThreads?: number;
}

export interface EmbedOptions {
  batchSize?: number;
  /**
   * After each batch: texts done and in all, and the share of the model's work done. Batches go shortest first, so a
   * count alone would promise the end far too early; the work is counted as padded tokens (each batch costs its size
   * times its longest text), which is what the model's time follows.
   */
  onProgress?: (done: number, total: number, workDone: number) => void;
  /** After each batch, its texts' positions in `texts` and their vectors (a build keeps them as it goes). */
  onBatch?: (indices: readonly number[], vectors: readonly Float32Array[]) => void;
  /**
   * Worker processes to embed on, each with its own one-thread session of the model (0: this embedder's own session).
   * Unset: one per core for a model whose settings ask for it (`sessionPerCore`) and a call of at least
   * MIN_TEXTS_FOR_WORKERS texts, else none.
   */
  workers?: number;
}

/**
 * The direction a text gets when the model yields no usable vector (no known word, or a numeric failure): a fixed
 * unit vector, so such texts compare deterministically instead of poisoning an index with NaN.
 * The offline model's [UNK]/[SEP] rows point the same way.
 */
export function fallbackVector(dimensions: number): Float32Array {
  return new Float32Array(dimensions).fill(1 / Math.sqrt(dimensions));
}

/** Returns `v` if it is a finite unit vector, renormalised if only its length is off, else the fallback vector. */
function ensureUnit(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  if (!Number.isFinite(sum) || sum === 0) return fallbackVector(v.length);
  const norm = Math.sqrt(sum);
  if (Math.abs(norm - 1) > 1e-4) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

// transformers.js reads its paths from one global `env` while loading; loads are serialised so two loads with different
// model folders cannot mix them up.
let loading: Promise<unknown> = Promise.resolve();

/**
 * Holds one loaded embedding model. Passages and questions go through the model's own prefixes and pooling (per model,
 * src/embedding/models.ts) and come out as unit vectors, so a dot product is their cosine.
 *
 * @example
 * const embedder = await Embedder.load({ model: 'Xenova/all-MiniLM-L6-v2', modelsDir: 'models', allowRemote: false, log: console.warn });
 * console.log(embedder.modelId, embedder.dimensions); // the offline model's id if MiniLM could not be loaded
 * const [passage] = await embedder.embedPassages(['Soldiers detained President Mohamed Bazoum in Niamey.']);
 * const question = await embedder.embedQuery('Who was detained?');
 * const cosine = passage!.reduce((sum, x, i) => sum + x * question[i]!, 0);
 * await embedder.dispose();
 */
export class Embedder {
  /** Token count of each word countTokens has seen. */
  private readonly wordTokens = new Map<string, number>();
  /**
   * What worker processes have used for this embedder so far: their CPU summed over every call, and the largest number
   * of them and memory they held together in one call (a benchmark adds it to this process's own).
   */
  readonly workerUsage: WorkerUsage = { processes: 0, cpuSeconds: 0, peakRssMiB: 0 };

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    /** The model actually loaded (the offline model after a fallback). */
    readonly modelId: string,
    readonly settings: Readonly<ModelSettings>,
    readonly dimensions: number,
    /** Tokens a passage or question may have so that the model reads all of it, prefix and special tokens included. */
    readonly maxTokens: number,
    private readonly quantized: boolean,
    /** Where the model was loaded from: workers load it from there too. */
    private readonly modelsDir: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Names the weights the vectors come from (the model and its int8 or fp32 file): kept vectors are filed under it. */
  get cacheId(): string {
    return `${this.modelId} ${this.quantized ? 'int8' : 'fp32'}`;
  }

  /**
   * Loads `model`; when it cannot be loaded (no network, not downloaded, unknown id), logs one message and loads the
   * offline model instead, building it first if needed. `modelId` tells which one is in use.
   */
  static load(opts: EmbedderLoadOptions): Promise<Embedder> {
    const result = loading.then(() => Embedder.loadNow(opts));
    loading = result.catch(() => {});
    return result;
  }

  private static async loadNow(opts: EmbedderLoadOptions): Promise<Embedder> {
    const log = opts.log ?? ((m: string) => console.warn(m));
    const modelsDir = path.resolve(opts.modelsDir);
    // Loaded on first use: commands that never embed (a no-change ingest, `sources`) start faster without it.
    const { env } = await import('@xenova/transformers');
    env.localModelPath = modelsDir;
    env.cacheDir = modelsDir; // a hub download lands beside local models and is found there next time
    env.allowLocalModels = true;
    env.allowRemoteModels = opts.allowRemote;
    if (opts.model !== OFFLINE_MODEL_ID) {
      try {
        return await Embedder.open(opts.model, { ...opts, modelsDir, log, quantized: opts.quantized ?? true });
      } catch (err) {
        log(
          `could not load ${opts.model} (${describeLoadError(err, opts.allowRemote, modelsDir)}); using the offline model ${OFFLINE_MODEL_ID}. ` +
            `To silence this, set EMBEDDING_MODEL=${OFFLINE_MODEL_ID} in .env, or make the hub reachable once (the model is then kept in ${modelsDir}).`,
        );
      }
    }
    const offline = await ensureOfflineModel(modelsDir, { onProgress: opts.onBuildProgress });
    const openOffline = () => Embedder.open(OFFLINE_MODEL_ID, { ...opts, modelsDir, log, quantized: true });
    try {
      return await openOffline();
    } catch (err) {
      // The folder is generated, so a damaged one is rebuilt rather than reported.
      log(`the offline model in ${offline.dir} could not be loaded (${(err as Error).message.split('\n')[0]}); rebuilding it`);
      await buildOfflineModel(modelsDir, { vocabSize: offline.vocabSize });
      return openOffline();
    }
  }

  private static async open(
    modelId: string,
    { modelsDir, log, quantized, onnxThreads }: { modelsDir: string; log: (message: string) => void; quantized: boolean; onnxThreads?: number },
  ): Promise<Embedder> {
    const settings = modelSettings(modelId);
    const { pipeline, env } = await import('@xenova/transformers');
    // Where transformers.js reads the weights from: the local folder and its download cache are the same (see loadNow).
    const modelFile = path.join(env.localModelPath, modelId, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
    const extractor = await withSessionThreads(onnxThreads ?? settings.onnxThreads, modelFile, () => pipeline('feature-extraction', modelId, { quantized }));
    try {
      const tokenizer = extractor.tokenizer;
      const tokenizerLimit = Number(tokenizer.model_max_length);
      const limit = Number.isFinite(tokenizerLimit) && tokenizerLimit > 0 ? Math.min(settings.maxTokens, tokenizerLimit) : settings.maxTokens;
      // The pipeline truncates at the tokenizer's limit; some models were trained on shorter input than it allows.
      tokenizer.model_max_length = limit;
      const special = tokenizer.encode('').length;
      const count = (s: string) => tokenizer.encode(s, null, { add_special_tokens: false }).length;
      const prefix = Math.max(count(settings.queryPrefix), count(settings.passagePrefix));
      const maxTokens = Math.max(1, limit - special - prefix);
      const probe = await extractor('probe', { pooling: settings.pooling, normalize: true });
      const dimensions = probe.dims[probe.dims.length - 1];
      if (!dimensions) throw new Error(`the model returned no vector (output shape ${JSON.stringify(probe.dims)})`);
      return new Embedder(extractor, modelId, settings, dimensions, maxTokens, quantized, modelsDir, log);
    } catch (err) {
      await extractor.dispose();
      throw err;
    }
  }

  /**
   * One unit vector per text, in order. Texts are grouped by their token count so a batch pads little: grouped by
   * characters, the batches of a BBC build padded 17 % more tokens than they held (names and numbers take more tokens
   * a character), by tokens 0.1 %, and e5-small ran 15–30 % more sentences a second. The model's promises settle
   * as microtasks (onnxruntime-node runs on this thread), so a long run yields to the event loop between batches: without
   * it, a build's tagging workers sat idle until embedding ended (their results are events), and a bot refreshing
   * in-process stopped answering for the whole of it.
   */
  async embedPassages(texts: string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    // What the model will read of each text: what run() keeps of it, up to the model's limit.
    const tokens = texts.map((text) => Math.min(this.countTokens(dropLongRuns(text)), this.maxTokens));
    const order = texts.map((_, i) => i).sort((a, b) => tokens[a]! - tokens[b]! || a - b);
    const out = new Array<Float32Array>(texts.length);
    const pause = slicedPause();
    const workOf = (start: number) => Math.min(batchSize, order.length - start) * (tokens[order[Math.min(start + batchSize, order.length) - 1]!]! + 1);
    let totalWork = 0;
    for (let start = 0; start < order.length; start += batchSize) totalWork += workOf(start);
    let work = 0;
    let done = 0;
    const finish = (start: number, batch: number[], vectors: Float32Array[]) => {
      batch.forEach((i, j) => (out[i] = vectors[j]!));
      opts.onBatch?.(batch, vectors);
      work += workOf(start);
      done += batch.length;
      opts.onProgress?.(done, texts.length, work / totalWork);
    };
    const inputs = (batch: number[]) => batch.map((i) => this.settings.passagePrefix + texts[i]!);
    const workers = opts.workers ?? (this.settings.sessionPerCore && texts.length >= MIN_TEXTS_FOR_WORKERS ? embeddingWorkers() : 0);
    const pool = workers > 0 ? await this.openPool(workers) : null;
    if (pool) {
      // The workers run the model; this thread only hands out batches and stays free for whatever else the process does.
      try {
        const starts = Array.from({ length: Math.ceil(order.length / batchSize) }, (_, k) => k * batchSize);
        await Promise.all(
          starts.map(async (start) => {
            const batch = order.slice(start, start + batchSize);
            finish(start, batch, await pool.embed(inputs(batch)));
          }),
        );
      } finally {
        await pool.close();
        this.workerUsage.processes = Math.max(this.workerUsage.processes, pool.usage.processes);
        this.workerUsage.cpuSeconds += pool.usage.cpuSeconds;
        this.workerUsage.peakRssMiB = Math.max(this.workerUsage.peakRssMiB, pool.usage.peakRssMiB);
      }
      return out;
    }
    for (let start = 0; start < order.length; start += batchSize) {
      await pause();
      const batch = order.slice(start, start + batchSize);
      finish(start, batch, await this.embedBatch(inputs(batch)));
    }
    return out;
  }

  /** A pool of `size` workers on this embedder's model, or null (logged) when one cannot load it: this session embeds instead. */
  private async openPool(size: number): Promise<EmbedPool | null> {
    try {
      return await EmbedPool.open(size, { model: this.modelId, modelsDir: this.modelsDir, quantized: this.quantized }, this.dimensions);
    } catch (err) {
      this.log(`${(err as Error).message}; embedding on one session instead`);
      return null;
    }
  }

  /** A question's unit vector, with the model's query prefix (e5: `query: `, bge: its instruction) in front. */
  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedBatch([this.settings.queryPrefix + text]);
    return vector!;
  }

  /** The token ids the model reads for `text` (special tokens included, truncated at the model's limit). */
  tokenIds(text: string): number[] {
    const { input_ids: ids } = this.extractor.tokenizer(text, { truncation: true });
    return Array.from(ids.data as BigInt64Array, Number);
  }

  /**
   * Tokens of `text` alone: no prefix, no special tokens. The models' tokenizers split on white space before anything
   * else, so the count is the sum over the text's white-space-separated words, each tokenized once and remembered: news
   * text repeats its words, and ingestion counts every sentence (tokenizing each whole took a fifth of an offline build).
   */
  countTokens(text: string): number {
    let count = 0;
    for (const word of text.split(ASCII_SPACE)) {
      if (!word) continue;
      let n = this.wordTokens.get(word);
      if (n === undefined) {
        n = this.extractor.tokenizer.encode(word, null, { add_special_tokens: false }).length;
        if (this.wordTokens.size >= WORD_TOKENS_LIMIT) this.wordTokens.clear();
        this.wordTokens.set(word, n);
      }
      count += n;
    }
    return count;
  }

  /** The longest start of `text` with at most `n` tokens, cut between words where possible. */
  truncateToTokens(text: string, n: number = this.maxTokens): string {
    if (this.countTokens(text) <= n) return text;
    const fits = (end: number) => this.countTokens(text.slice(0, end)) <= n;
    const wordEnds: number[] = [];
    for (const m of text.matchAll(/\S+/g)) wordEnds.push(m.index + m[0].length);
    const atWord = longestFitting(wordEnds, fits);
    if (atWord !== undefined) return text.slice(0, atWord);
    // The first word alone is too long (e.g. a pasted blob with no spaces): cut inside it, never inside a surrogate pair.
    const chars: number[] = [];
    for (let i = 1; i <= text.length; i++) if (!/[\uD800-\uDBFF]/.test(text[i - 1]!)) chars.push(i);
    return text.slice(0, longestFitting(chars, fits) ?? 0);
  }

  /** Releases the ONNX session. */
  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }

  /**
   * Unit vectors of `texts` exactly as given (any prefix already in front), in one model run: the pipeline's own steps
   * (tokenize, run the model) with pooling done here, since transformers.js pools through generic tensor accessors,
   * which took 40 % of a BBC build; a typed-array loop does the same arithmetic in a fraction of it.
   */
  async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const { tokenizer, model } = this.extractor;
    // A pasted blob (a 1 MB "word") means nothing to a model, yet its tokenizer would read all of it, several times.
    const inputs = tokenizer(texts.map(dropLongRuns), { padding: true, truncation: true });
    const outputs = await model(inputs);
    const hidden = outputs.last_hidden_state ?? outputs.token_embeddings ?? outputs.logits;
    const [batch, seq, d] = hidden.dims as [number, number, number];
    if (d !== this.dimensions) throw new Error(`the model returned ${d}-dimensional vectors, expected ${this.dimensions}`);
    const data = hidden.data as Float32Array;
    const mask = inputs.attention_mask.data as BigInt64Array;
    const vectors: Float32Array[] = [];
    for (let b = 0; b < batch; b++) {
      const v = new Float32Array(d);
      if (this.settings.pooling === 'cls') {
        v.set(data.subarray(b * seq * d, b * seq * d + d));
      } else {
        let count = 0;
        for (let t = 0; t < seq; t++) {
          if (mask[b * seq + t] === 0n) continue;
          count++;
          const offset = (b * seq + t) * d;
          for (let k = 0; k < d; k++) v[k]! += data[offset + k]!;
        }
        if (count > 0) for (let k = 0; k < d; k++) v[k]! /= count;
      }
      let norm = 0;
      for (let k = 0; k < d; k++) norm += v[k]! * v[k]!;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let k = 0; k < d; k++) v[k]! /= norm;
      vectors.push(ensureUnit(v));
    }
    return vectors;
  }
}

/**
 * Runs `create` (which makes the pipeline's ONNX session) with the session on `threads` threads: transformers.js 2
 * creates its sessions with the runtime's defaults and takes no session options, so its runtime's session factory is
 * given them for the while. (It used to open the model a second time with them, which cost a one-shot `ask` another
 * 0.22–0.33 s for e5-small int8; loads are serialised, so nothing else creates a session meanwhile.)
 *
 * transformers.js hands the runtime the model's bytes, and onnxruntime-node 1.14 (the one it depends on) ignores every
 * session option given with bytes: a session asked for one thread ran on one per core. So the session is made from
 * `modelFile`, the file those bytes were read from, when it is there with the same size; otherwise from the bytes, on
 * the runtime's defaults.
 */
async function withSessionThreads<T>(threads: number | undefined, modelFile: string, create: () => Promise<T>): Promise<T> {
  if (threads === undefined) return create();
  // The runtime transformers.js itself imports (a dependency of it, not of this package).
  const require = createRequire(fileURLToPath(import.meta.resolve('@xenova/transformers')));
  const { InferenceSession } = require('onnxruntime-node') as {
    InferenceSession: { create(model: unknown, options?: Record<string, unknown>): Promise<unknown> };
  };
  const original = InferenceSession.create;
  InferenceSession.create = (model, options) => {
    const withThreads = { ...options, intraOpNumThreads: threads, interOpNumThreads: 1 };
    if (!(model instanceof Uint8Array) || !sameSizeFile(modelFile, model.byteLength)) return original.call(InferenceSession, model, withThreads);
    // From a file the runtime checks every option, and it has only the CPU provider ('wasm' is the browser's).
    return original.call(InferenceSession, modelFile, { ...withThreads, executionProviders: ['cpu'] });
  };
  try {
    return await create();
  } finally {
    InferenceSession.create = original;
  }
}

function sameSizeFile(file: string, bytes: number): boolean {
  try {
    return statSync(file).size === bytes;
  } catch {
    return false;
  }
}

/** Binary search over increasing cut positions for the last one that fits (token counts grow with the prefix). */
function longestFitting(cuts: number[], fits: (end: number) => boolean): number | undefined {
  let lo = 0;
  let hi = cuts.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fits(cuts[mid]!)) {
      best = cuts[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** Turns transformers.js's loading errors into the reason a person can act on. */
function describeLoadError(err: unknown, allowRemote: boolean, modelsDir: string): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause = (e.cause as { code?: string; message?: string } | undefined) ?? undefined;
  if (!allowRemote && /allowRemoteModels=false|not found locally/.test(e.message)) {
    return `it is not in ${modelsDir} and ALLOW_REMOTE_MODELS=false forbids downloading it`;
  }
  if (e.message === 'fetch failed' || cause?.code) {
    return `the model hub is unreachable: ${cause?.code ?? cause?.message ?? e.message}`;
  }
  return e.message.split('\n')[0]!;
}
