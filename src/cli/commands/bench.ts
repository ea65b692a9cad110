// `coverage-bot bench`: speed and memory figures with their targets (`bench ingest`, `bench query`, or both in turn, each
// in its own process). Benchmarks report; they never fail on a missed target.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { ingestOptionsFromConfig } from '../../index/index.js';
import { lastJsonLine, runCli } from '../bench/child.js';
import { BenchInputError, makeWorkspace, prepareDefaultCorpus, resolveQuestionsFile } from '../bench/corpus.js';
import { runIngestBench, type IngestBenchmark } from '../bench/ingest.js';
import { runLongWordBench } from '../bench/long-words.js';
import { DEFAULT_ROUNDS, runQueryBench, type QueryBenchmark } from '../bench/query.js';
import { benchEnvironment, formatBenchReport, type BenchReport } from '../bench/report.js';
import { printJson, resolveConfig } from '../options.js';
import { progressReporter } from '../progress.js';

const benchFlagsSchema = z.object({
  sources: z.string().min(1).optional(),
  index: z.string().min(1).optional(),
  questions: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  rounds: z.coerce.number().int().min(1).max(1000).default(DEFAULT_ROUNDS),
  scale: z.coerce.number().int().min(1).max(50).default(1),
  json: z.boolean().optional(),
});
export type BenchFlags = z.infer<typeof benchFlagsSchema>;

export function parseBenchFlags(flags: unknown): BenchFlags {
  const parsed = benchFlagsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BenchInputError(`--${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The folders a phase works on: the given ones, or a temp folder holding the seeds + BBC corpus and an empty index. */
async function benchFolders(flags: BenchFlags): Promise<{ sourcesDir: string; indexDir: string; cleanup: () => Promise<void> }> {
  if (flags.sources && !(existsSync(flags.sources) && statSync(flags.sources).isDirectory())) {
    throw new BenchInputError(`--sources ${flags.sources} is not a folder of article files.`);
  }
  if (flags.sources && flags.scale > 1) {
    throw new BenchInputError('--scale replicates the default corpus (seeds + BBC); it cannot be combined with --sources.');
  }
  const workspace = flags.sources && flags.index ? null : await makeWorkspace();
  try {
    return {
      sourcesDir: flags.sources
        ? path.resolve(flags.sources)
        : await prepareDefaultCorpus(path.join(workspace!.root, 'sources'), { scale: flags.scale }),
      indexDir: flags.index ? path.resolve(flags.index) : path.join(workspace!.root, 'index'),
      cleanup: async () => workspace?.cleanup(),
    };
  } catch (error) {
    await workspace?.cleanup();
    throw error;
  }
}

async function ingestPhase(flags: BenchFlags, config: Config): Promise<IngestBenchmark> {
  const folders = await benchFolders(flags);
  const progress = progressReporter(true);
  try {
    return await runIngestBench({
      ...ingestOptionsFromConfig(config),
      sourcesDir: folders.sourcesDir,
      indexDir: folders.indexDir,
      model: flags.model ?? config.EMBEDDING_MODEL,
      onProgress: (p) => progress.update(p.stage, p.done, p.total, p.fraction),
      log: (message) => progress.notice(message),
    });
  } finally {
    progress.stop();
    await folders.cleanup();
  }
}

async function queryPhase(flags: BenchFlags, config: Config): Promise<QueryBenchmark> {
  const questionsFile = resolveQuestionsFile(flags.questions);
  const folders = await benchFolders(flags);
  const progress = progressReporter(true);
  try {
    return await runQueryBench({
      indexDir: folders.indexDir,
      sourcesDir: folders.sourcesDir,
      modelsDir: config.MODELS_DIR,
      allowRemoteModels: config.ALLOW_REMOTE_MODELS,
      efSearch: config.HNSW_EF_SEARCH,
      store: config.STORE,
      databaseUrl: config.STORE === 'postgres' ? config.DATABASE_URL : undefined,
      questionsFile,
      rounds: flags.rounds,
      // Built by the ingest command in its own process, so the build's memory does not count as the queries'.
      buildIndex: async () => {
        progress.notice(`No index in ${folders.indexDir}: building one from ${folders.sourcesDir} first.`);
        const env = { ...process.env, EMBEDDING_MODEL: flags.model ?? config.EMBEDDING_MODEL };
        progress.notice((await runCli(['ingest', '--sources', folders.sourcesDir, '--index', folders.indexDir], env)).trim());
      },
      onRound: (done, total) => progress.update('rounds', done, total),
      log: (message) => progress.notice(message),
    });
  } finally {
    progress.stop();
    await folders.cleanup();
  }
}

/** Every phase, each in a child process (a clean peak-memory figure each); ingest and query on the same folders. */
async function everyPhase(flags: BenchFlags): Promise<BenchReport> {
  const environment = benchEnvironment();
  const questionsFile = resolveQuestionsFile(flags.questions);
  const folders = await benchFolders(flags);
  try {
    const common = ['--sources', folders.sourcesDir, '--index', folders.indexDir, '--json'];
    if (flags.model) common.push('--model', flags.model);
    const ingest = lastJsonLine(await runCli(['bench', 'ingest', ...common])) as BenchReport;
    const query = lastJsonLine(
      await runCli(['bench', 'query', ...common, '--questions', questionsFile, '--rounds', String(flags.rounds)]),
    ) as BenchReport;
    const longWords = lastJsonLine(await runCli(['bench', 'long-words', '--json', ...(flags.model ? ['--model', flags.model] : [])])) as BenchReport;
    return { environment, ingest: ingest.ingest, query: query.query, longWords: longWords.longWords };
  } finally {
    await folders.cleanup();
  }
}

function print(report: BenchReport, json: boolean | undefined): void {
  if (json) printJson(report);
  else process.stdout.write(`${formatBenchReport(report)}\n`);
}

function flagsOf(command: Command): BenchFlags {
  return parseBenchFlags(command.optsWithGlobals());
}

/** A one-phase subcommand: its options are the `bench` command's (given before or after the subcommand's name). */
function phaseSubcommand(
  name: 'ingest' | 'query' | 'long-words',
  description: string,
  run: (flags: BenchFlags, config: Config) => Promise<Omit<BenchReport, 'environment'>>,
): Command {
  return new Command(name)
    .description(description)
    .configureHelp({ showGlobalOptions: true })
    .action(async (_options: unknown, command: Command) => {
      const flags = flagsOf(command);
      const environment = benchEnvironment();
      print({ environment, ...(await run(flags, resolveConfig({}))) }, flags.json);
    });
}

const ingestSubcommand = phaseSubcommand(
  'ingest',
  'full build of the corpus through ingest(), raw model throughput, index size, peak RSS, no-change refresh',
  async (flags, config) => ({ ingest: await ingestPhase(flags, config) }),
);

const querySubcommand = phaseSubcommand(
  'query',
  'warm answer latency (p50, p95, max, mean) over rounds of the question file, index load time, peak RSS',
  async (flags, config) => ({ query: await queryPhase(flags, config) }),
);

const longWordsSubcommand = phaseSubcommand(
  'long-words',
  'what a 1 MB word, symbol run or HTML entity in one article adds to ingest and to a later ask (seeds, own processes)',
  async (flags, config) => {
    const progress = progressReporter(true);
    try {
      return { longWords: await runLongWordBench({ model: flags.model ?? config.EMBEDDING_MODEL, log: (m) => progress.notice(m) }) };
    } finally {
      progress.stop();
    }
  },
);

export const benchCommand = new Command('bench')
  .description('benchmark ingestion, answering and long words (figures and targets; never fails on a target). Alone: each, in turn')
  .option('--sources <dir>', 'articles to benchmark on (default: a temp copy of seeds/ + ../shared BBC corpus)')
  .option('--index <dir>', 'index folder (default: a temp folder); `bench ingest` rebuilds it in full')
  .option('--questions <file>', 'JSON-lines questions to time (default: ../shared/eval/dev.jsonl)')
  .option('--model <id>', 'embedding model for builds (default: $EMBEDDING_MODEL)')
  .option('--rounds <n>', `timed rounds over all questions (default ${DEFAULT_ROUNDS})`)
  .option('--scale <n>', 'the default corpus with the BBC articles N times (perturbed copies with their own ids), e.g. 10 for 22k articles')
  .option('--json', 'print one JSON object instead of tables')
  .addCommand(ingestSubcommand)
  .addCommand(querySubcommand)
  .addCommand(longWordsSubcommand)
  .action(async (_options: unknown, command: Command) => {
    const flags = flagsOf(command);
    resolveConfig({}); // a configuration error is reported once, here, rather than by each child
    print(await everyPhase(flags), flags.json);
  });
