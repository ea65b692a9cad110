// The benchmark logic on the seeds alone (a fast smoke test; the benchmarks themselves run with `npm run bench`): the
// reports carry every figure with sane values, a missing index is built first, and bad inputs get clear errors.
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBenchFlags } from '../../src/cli/commands/bench.js';
import { perturbedCopy, prepareDefaultCorpus, resolveQuestionsFile } from '../../src/cli/bench/corpus.js';
import { runIngestBench, type IngestBenchmark } from '../../src/cli/bench/ingest.js';
import { HOSTILE_ARTICLES, runLongWordBench } from '../../src/cli/bench/long-words.js';
import { runQueryBench } from '../../src/cli/bench/query.js';
import { exactNearest } from '../../src/cli/bench/recall.js';
import { benchEnvironment, formatBenchReport } from '../../src/cli/bench/report.js';
import { percentile, summarizeLatencies } from '../../src/cli/bench/stats.js';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { makeIndexFixture, MODELS_DIR, SEEDS_DIR, type IndexFixture } from '../support/index-fixture.js';

const QUESTIONS = [
  { id: 'q1', question: "Who is Niger's elected president?", expect: 'answer', answers: ['Bazoum'] },
  { id: 'q2', question: 'What is the capital of Niger?', expect: 'answer', answers: ['Niamey'] },
  { id: 'q3', question: 'Which restaurant has the best pizza in Chicago?', expect: 'none' },
];

let fixture: IndexFixture;
let questionsFile: string;
let ingestReport: IngestBenchmark;

beforeAll(async () => {
  fixture = await makeIndexFixture();
  questionsFile = path.join(fixture.root, 'questions.jsonl');
  await writeFile(questionsFile, QUESTIONS.map((q) => JSON.stringify(q)).join('\n'));
  ingestReport = await runIngestBench(fixture.options);
});

afterAll(() => fixture.cleanup());

describe('bench ingest', () => {
  it('reports a full build, the raw model on the same texts, their ratio, size, memory and a no-change refresh', () => {
    const r = ingestReport;
    expect(r.model).toEqual({ requested: OFFLINE_MODEL_ID, used: OFFLINE_MODEL_ID, dimensions: 100 });
    expect(r.build.articles).toBeGreaterThan(0);
    expect(r.build.passages).toBeGreaterThanOrEqual(r.build.articles);
    // The raw model runs on exactly what the build ran through it: every passage (PASSAGE_VECTORS=model, the default
    // here) and every distinct sentence, once even where passages overlap.
    expect(r.passageVectors).toBe('model');
    expect(r.rawModel.passages).toBe(r.build.passages);
    expect(r.rawModel.passages).toBe(r.pipeline.passagesEmbedded);
    expect(r.rawModel.sentences).toBe(r.pipeline.sentencesEmbedded);
    expect(r.rawModel.sentences).toBeGreaterThan(r.build.passages);
    expect(r.rawModel.passageSeconds + r.rawModel.sentenceSeconds).toBeCloseTo(r.rawModel.seconds, 5);
    expect(r.build.articlesPerSecond).toBeGreaterThan(0);
    expect(r.build.passagesPerSecond).toBeGreaterThan(0);
    expect(r.rawModel.passagesPerSecond).toBeGreaterThan(0);
    expect(r.rawModel.sentencesPerSecond).toBeGreaterThan(0);
    expect(r.pipeline.sentencesPerSecond).toBeGreaterThan(0);
    expect(r.modelRun).toEqual({ batchSize: 32, onnxThreads: 1, workers: 0 });
    // The offline model embeds on this process's session: nothing to set the workers against.
    expect(r.rawModel.oneSession).toBeNull();
    expect(r.workersPeakRssMiB).toBe(0);
    expect(r.build.embedSeconds).toBeGreaterThan(0);
    expect(r.build.cpuSeconds).toBeGreaterThan(0);
    expect(r.build.embedShare).toBeGreaterThan(0);
    expect(r.build.embedShare).toBeLessThanOrEqual(1);
    // The pipeline embeds the same texts and does more besides: it cannot be much faster than the model alone.
    expect(r.pipelineToRawRatio).toBeGreaterThan(0);
    expect(r.pipelineToRawRatio).toBeLessThan(2);
    expect(r.indexBytes).toBeGreaterThan(r.build.passages * 100 * 4);
    expect(r.refresh.changed).toBe(false);
    expect(r.refresh.seconds).toBeGreaterThan(0);
    expect(r.refresh.check.target).toBe('≤ 0.5 s');
    expect(r.ratioCheck.target).toBe('≥ 0.8');
    expect(r.buildCheck.target).toBe('≤ 300 s');
    expect(r.peakRssMiB).toBeGreaterThan(10);
  });
});

describe('bench query', () => {
  it('times warm answers over the rounds and reports percentiles, load times and targets', async () => {
    const r = await runQueryBench({
      indexDir: fixture.indexDir,
      sourcesDir: fixture.sourcesDir,
      modelsDir: MODELS_DIR,
      allowRemoteModels: false,
      questionsFile,
      rounds: 2,
    });
    expect(r.buildSeconds).toBeNull();
    expect(r.model.used).toBe(OFFLINE_MODEL_ID);
    expect(r.index.articles).toBe(ingestReport.build.articles);
    expect(r.firstAnswers.samples).toBe(QUESTIONS.length);
    expect(r.latency.samples).toBe(QUESTIONS.length * 2);
    expect(r.latency.p50Ms).toBeGreaterThan(0);
    expect(r.latency.p50Ms).toBeLessThanOrEqual(r.latency.p95Ms);
    expect(r.latency.p95Ms).toBeLessThanOrEqual(r.latency.maxMs);
    expect(r.latency.meanMs).toBeLessThanOrEqual(r.latency.maxMs);
    expect(r.cpu.samples).toBe(r.latency.samples);
    expect(r.answered).toBeGreaterThanOrEqual(1);
    expect(r.openSeconds).toBeGreaterThan(0);
    expect(r.loadIndexSeconds).toBeGreaterThan(0);
    expect(r.slowest.map((s) => s.id).sort()).toEqual(['q1', 'q2', 'q3']);
    expect(r.checks.p50).toEqual({ target: '≤ 30 ms', limit: 30, met: r.latency.p50Ms <= 30 });
    expect(r.checks.load.met).toBe(r.openSeconds <= 2);
    // Every question plus every headline (the seeds have two); on so small an index the graph search is exact.
    expect(r.recall).toEqual({ k: Math.min(10, r.index.passages), efSearch: 100, queries: QUESTIONS.length + 2, mean: 1, min: 1 });
    expect(r.checks.recall).toEqual({ target: '≥ 0.98', limit: 0.98, met: true });
    // Memory after an answer is within the process's high-water mark, which also holds what loading held for a while.
    expect(r.answeringRssMiB).toBeGreaterThan(10);
    expect(r.answeringRssMiB).toBeLessThanOrEqual(r.peakRssMiB + 1);

    const text = formatBenchReport({ environment: benchEnvironment(), ingest: ingestReport, query: r });
    expect(text).toContain(`model ${OFFLINE_MODEL_ID}`);
    expect(text).toMatch(/pipeline \/ raw model\s+\d+\.\d\d/);
    expect(text).toMatch(/latency p95\s+[\d.]+ ms\s+target ≤ 80 ms\s+(met|MISSED)/);
    expect(text).toMatch(/vector recall@\d+ vs exact \(efSearch 100\)\s+1\.000 .*target ≥ 0\.98\s+met/);
    expect(text).toMatch(/peak RSS \(query process\)\s+[\d,]+ MiB; after an answer, at most [\d,]+ MiB/);
  });

  it('builds the index first when the index folder has none', async () => {
    const indexDir = path.join(fixture.root, 'fresh-index');
    const r = await runQueryBench({
      indexDir,
      sourcesDir: fixture.sourcesDir,
      modelsDir: MODELS_DIR,
      allowRemoteModels: false,
      questionsFile,
      rounds: 1,
      buildIndex: async () => void (await fixture.ingest({ indexDir })),
    });
    expect(r.buildSeconds).toBeGreaterThan(0);
    expect(r.index.passages).toBe(ingestReport.build.passages);
  });

  it('says how to build an index when there is none and no way to build one', async () => {
    const options = { sourcesDir: fixture.sourcesDir, modelsDir: MODELS_DIR, allowRemoteModels: false, questionsFile };
    await expect(runQueryBench({ ...options, indexDir: path.join(fixture.root, 'none') })).rejects.toThrow(/coverage-bot ingest/);
  });
});

describe('bench inputs', () => {
  it('copies the seeds and the BBC corpus into the default sources folder', async () => {
    const shared = path.join(fixture.root, 'shared');
    await mkdir(path.join(shared, 'corpora/bbc-news'), { recursive: true });
    await writeFile(path.join(shared, 'corpora/bbc-news/bbc-news.csv'), 'text,category\n"Headline. Body text.",business\n');
    const dir = await prepareDefaultCorpus(path.join(fixture.root, 'default-sources'), { sharedDir: shared });
    expect((await readdir(dir)).sort()).toEqual([...(await readdir(SEEDS_DIR)), 'bbc-news.csv'].sort());
  });

  it('replicates the BBC corpus for --scale: one file a copy, same rows, different ids and text', async () => {
    const shared = path.join(fixture.root, 'shared-scale');
    await mkdir(path.join(shared, 'corpora/bbc-news'), { recursive: true });
    const body = 'Markets rise 5% in March. Shares gained 12 points. "It is a rally," said Ann Lee. Bonds fell. Oil rose 3%.';
    await writeFile(path.join(shared, 'corpora/bbc-news/bbc-news.csv'), `text,category\n"${body.replace(/"/g, '""')}",business\n"Second ""quoted"" row. More.",tech\n`);
    const dir = await prepareDefaultCorpus(path.join(fixture.root, 'scaled-sources'), { sharedDir: shared, scale: 3 });
    const files = (await readdir(dir)).filter((f) => f.endsWith('.csv')).sort();
    expect(files).toEqual(['bbc-news-copy02.csv', 'bbc-news-copy03.csv', 'bbc-news.csv']);
    const { loadSources } = await import('../../src/corpus/index.js');
    const { articles } = await loadSources(dir);
    const bbc = articles.filter((a) => a.id.startsWith('bbc-news'));
    expect(bbc).toHaveLength(6);
    expect(new Set(bbc.map((a) => a.contentHash)).size).toBe(6);
    expect(bbc.find((a) => a.id === 'bbc-news-copy02-0002')?.text).toContain('Second "quoted" row.');
  });

  it('perturbs a copy deterministically: numbers shifted, lead kept, one later sentence left out', () => {
    const text = 'Markets rise 5% in March. Shares gained 12 points. Bonds fell. Oil rose 3%. Gold was flat.';
    const copy = perturbedCopy(text, 2, 7);
    expect(copy).toBe(perturbedCopy(text, 2, 7));
    expect(copy).not.toBe(perturbedCopy(text, 3, 7));
    expect(copy.startsWith('Markets rise 7% in March.')).toBe(true);
    expect(copy.split('. ')).toHaveLength(4);
    expect(copy).not.toContain(' 12 ');
  });

  it('rejects --scale with --sources, and a scale that is not a positive integer', async () => {
    expect(parseBenchFlags({ scale: '10' }).scale).toBe(10);
    expect(() => parseBenchFlags({ scale: '0' })).toThrow(/--scale/);
    const { benchCommand } = await import('../../src/cli/commands/bench.js');
    await expect(benchCommand.parseAsync(['node', 'bench', 'ingest', '--sources', fixture.sourcesDir, '--scale', '2'])).rejects.toThrow(
      /--scale .* cannot be combined with --sources/,
    );
  });

  it('refuses clearly when ../shared is absent, naming the missing file and the --sources way out', async () => {
    const missing = path.join(fixture.root, 'no-shared');
    await expect(prepareDefaultCorpus(path.join(fixture.root, 'x'), { sharedDir: missing })).rejects.toThrow(
      /bbc-news\.csv.*missing.*--sources DIR/,
    );
    expect(existsSync(path.join(fixture.root, 'x'))).toBe(false);
    expect(() => resolveQuestionsFile(undefined, missing)).toThrow(/dev\.jsonl is missing.*--questions FILE/);
    expect(() => resolveQuestionsFile(path.join(missing, 'q.jsonl'))).toThrow(/does not exist/);
  });

  it('rejects a round count that is not a positive integer', () => {
    expect(parseBenchFlags({}).rounds).toBe(5);
    expect(parseBenchFlags({ rounds: '3' }).rounds).toBe(3);
    expect(() => parseBenchFlags({ rounds: '0' })).toThrow(/--rounds/);
    expect(() => parseBenchFlags({ rounds: 'many' })).toThrow(/--rounds/);
  });
});

describe('vector recall', () => {
  it('ranks exact neighbours by cosine, best first, keeping only k', () => {
    const rows = [
      [1, 0],
      [0, 1],
      [Math.SQRT1_2, Math.SQRT1_2],
      [-1, 0],
    ];
    const vectors = new Float32Array(rows.flat());
    expect(exactNearest(vectors, 2, new Float32Array([1, 0]), 2)).toEqual([0, 2]);
    expect(exactNearest(vectors, 2, new Float32Array([0, 1]), 3)).toEqual([1, 2, 0]);
    expect(exactNearest(vectors, 2, new Float32Array([-1, 0]), 10)).toEqual([3, 1, 2, 0]);
  });
});

describe('latency figures', () => {
  it('uses nearest-rank percentiles, so every figure is a measured latency', () => {
    const ms = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile([...ms].sort((a, b) => a - b), 95)).toBe(95);
    expect(summarizeLatencies(ms)).toEqual({ samples: 100, p50Ms: 50, p95Ms: 95, maxMs: 100, meanMs: 50.5 });
    expect(summarizeLatencies([7])).toEqual({ samples: 1, p50Ms: 7, p95Ms: 7, maxMs: 7, meanMs: 7 });
  });
});

describe('bench long-words', () => {
  it('builds and asks on the seeds alone and with each 1 MB article, reporting what each adds against a one-second target', async () => {
    const calls: Array<{ command: string; articles: Array<{ file: string; bytes: number }> }> = [];
    const report = await runLongWordBench({
      model: OFFLINE_MODEL_ID,
      seedsDir: SEEDS_DIR,
      runs: 2,
      // Stands in for the CLI: records each command and the articles an ingest would read.
      run: async (args) => {
        const sources = args[args.indexOf('--sources') + 1];
        const articles =
          args[0] === 'ingest'
            ? await Promise.all((await readdir(sources!)).map(async (file) => ({ file, bytes: (await stat(path.join(sources!, file))).size })))
            : [];
        calls.push({ command: args[0]!, articles });
      },
    });
    const seeds = await readdir(SEEDS_DIR);
    const ingests = calls.filter((c) => c.command === 'ingest');
    expect(calls).toHaveLength(4 * 2 * 2); // four folders, ingest and ask, two runs each
    expect(ingests[0]!.articles.map((a) => a.file).sort()).toEqual([...seeds].sort());
    for (const [i, article] of HOSTILE_ARTICLES.entries()) {
      const added = ingests[2 * (i + 1)]!.articles.find((a) => a.file === article.file);
      expect(added?.bytes, article.name).toBeGreaterThan(1_000_000);
    }
    expect(report.cases.map((c) => c.name)).toEqual(['1 MB word', '1 MB symbol run', '1 MB HTML entity']);
    for (const c of report.cases) {
      expect(c.addedIngestSeconds).toBeCloseTo(c.ingestSeconds - report.base.ingestSeconds, 9);
      expect(c.askCheck).toEqual({ target: '≤ 1 s', limit: 1, met: c.addedAskSeconds <= 1 });
    }
    const text = formatBenchReport({ environment: benchEnvironment(), longWords: report });
    expect(text).toMatch(/1 MB word: ingest\s+[+−][\d.]+ s \([\d.]+ s\)\s+target ≤ 1 s\s+(met|MISSED)/);
    expect(text).toMatch(/1 MB HTML entity: ask\s+[+−][\d.]+ s/);
  });
});
