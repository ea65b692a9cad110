// `bench query`: warm answer latency. Loads the model, then the index through openCoverage (timed apart from the model),
// answers every question once to warm up (timed too: first answers), then times coverage.answer() over N rounds of all
// questions, and measures the recall@10 of the vector graph against exact search.
import { performance } from 'node:perf_hooks';
import { openCoverage } from '../../answer/index.js';
import { Embedder } from '../../embedding/index.js';
import { readQuestions } from '../../evaluation/index.js';
import { liveManifestOf, loadIndex, type StoreKind } from '../../index/index.js';
import { vectorRecall, type RecallFigures } from './recall.js';
import { atLeast, atMost, cpuSecondsSince, peakRssMiB, secondsSince, summarizeLatencies, type LatencySummary, type TargetCheck } from './stats.js';

/** Targets: warm latency p50 / p95 within 30 / 80 ms (the default model, e5-small int8), an index load of 2 s for seeds + BBC (7k passages), 5 s for ten times that. */
export const QUERY_TARGETS = { p50Ms: 30, p95Ms: 80, loadSeconds: 2, largeLoadSeconds: 5, recallAt10: 0.98 } as const;
/** Above this many passages the index counts as large (the 10× corpus) for the load target. */
export const LARGE_INDEX_PASSAGES = 20_000;
/** Queries the recall is measured on: every question, then article headlines up to this many. */
export const RECALL_QUERIES = 300;
export const DEFAULT_ROUNDS = 5;
/** How many of the slowest questions the report names. */
const SLOWEST_SHOWN = 5;

export interface QueryBenchmark {
  indexDir: string;
  questionsFile: string;
  questions: number;
  rounds: number;
  /** Seconds to build the index first, when the index folder had none (null when it was already built). */
  buildSeconds: number | null;
  model: { used: string; dimensions: number };
  index: { articles: number; passages: number };
  modelLoadSeconds: number;
  /** openCoverage with the model already loaded: the index, the word vectors, the calibration. */
  openSeconds: number;
  /**
   * loadIndex timed again after the latency rounds (so it cannot inflate their memory figure), while the open index is
   * still held: at 10× it exceeds openSeconds, as the collector works beside a second copy.
   */
  loadIndexSeconds: number | null;
  /** Questions answered (not declined) in the warm-up pass: a sanity check that the index answers anything. */
  answered: number;
  /**
   * The warm-up pass: each question's first answer, before anything about it is cached (word-neighbour expansions,
   * parsed source files). Closer to a new question in production than the rounds, though its first answer also pays
   * for JIT warm-up.
   */
  firstAnswers: LatencySummary;
  /** The timed rounds: the same questions again, warm. */
  latency: LatencySummary;
  /**
   * CPU time of the same answers, all threads: the model's worker threads can put it above the latency; well below
   * the latency means the machine was busy with other work.
   */
  cpu: LatencySummary;
  /** The questions with the highest mean latency over the rounds. */
  slowest: Array<{ id: string; question: string; meanMs: number }>;
  /** hnswlib's top 10 against exact search, at the index's efSearch, over the questions and article headlines. */
  /** The local graph's recall against exact search; null for a database (its HNSW index is the server's). */
  recall: RecallFigures | null;
  checks: { p50: TargetCheck; p95: TargetCheck; load: TargetCheck; recall: TargetCheck | null };
  /** Which store answered (STORE). */
  store: StoreKind;
  /** This process's resident memory high-water mark after the rounds (model, index, answering). */
  peakRssMiB: number;
  /**
   * The most resident memory seen after any answer of the timed rounds: what answering holds, without what opening the
   * index held only for a while (its files' bytes and the parse of the articles before garbage collection).
   */
  answeringRssMiB: number;
}

export interface QueryBenchOptions {
  indexDir: string;
  sourcesDir: string;
  modelsDir: string;
  allowRemoteModels: boolean;
  efSearch?: number;
  /** The store to answer from (default local: `indexDir`). */
  store?: StoreKind;
  databaseUrl?: string;
  questionsFile: string;
  rounds?: number;
  /** Builds the index when the folder has none; without it a missing index is an error (with how to build one). */
  buildIndex?: () => Promise<void>;
  /** Called after each timed round. */
  onRound?: (done: number, total: number) => void;
  log?: (message: string) => void;
}

export async function runQueryBench(opts: QueryBenchOptions): Promise<QueryBenchmark> {
  const rounds = opts.rounds ?? DEFAULT_ROUNDS;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  const questions = await readQuestions(opts.questionsFile);
  if (questions.length === 0) throw new Error(`${opts.questionsFile} holds no questions`);

  let buildSeconds: number | null = null;
  const location = { indexDir: opts.indexDir, store: opts.store, databaseUrl: opts.databaseUrl };
  const local = (opts.store ?? 'local') === 'local';
  let manifest = await liveManifestOf(location);
  if (!manifest && opts.buildIndex) {
    const started = performance.now();
    await opts.buildIndex();
    buildSeconds = secondsSince(started);
    manifest = await liveManifestOf(location);
  }

  // The index's own model, loaded first so that openCoverage's time is the index's alone.
  const modelStarted = performance.now();
  const embedder = manifest
    ? await Embedder.load({ model: manifest.model.id, modelsDir: opts.modelsDir, allowRemote: opts.allowRemoteModels, log: opts.log })
    : undefined;
  const modelLoadSeconds = secondsSince(modelStarted);
  try {
    const openStarted = performance.now();
    // A missing index throws here, with how to build one.
    const coverage = await openCoverage({
      indexDir: opts.indexDir,
      store: opts.store,
      databaseUrl: opts.databaseUrl,
      sourcesDir: opts.sourcesDir,
      modelsDir: opts.modelsDir,
      allowRemoteModels: opts.allowRemoteModels,
      efSearch: opts.efSearch,
      embedder,
      log: opts.log,
    });
    const openSeconds = secondsSince(openStarted);

    let answered = 0;
    const firstLatencies: number[] = [];
    for (const q of questions) {
      const started = performance.now();
      if ((await coverage.answer(q.question)).outcome !== 'not-covered') answered++;
      firstLatencies.push(performance.now() - started);
    }

    const latencies: number[] = [];
    const cpuTimes: number[] = [];
    let answeringRss = 0;
    const perQuestion = questions.map(() => 0);
    for (let round = 0; round < rounds; round++) {
      for (const [i, q] of questions.entries()) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        await coverage.answer(q.question);
        const ms = performance.now() - started;
        cpuTimes.push(cpuSecondsSince(cpuStarted) * 1000);
        latencies.push(ms);
        perQuestion[i]! += ms;
        answeringRss = Math.max(answeringRss, process.memoryUsage.rss());
      }
      opts.onRound?.(round + 1, rounds);
    }
    const peak = peakRssMiB();

    const loadStarted = performance.now();
    const loaded = local ? await loadIndex(opts.indexDir, { efSearch: opts.efSearch }) : null;
    const loadIndexSeconds = local ? secondsSince(loadStarted) : null;

    // Headlines spread over the whole corpus stand for the questions people ask about it.
    const titles = (await coverage.sources()).map((a) => a.title).filter((t) => t.trim().length > 0);
    const step = Math.max(1, Math.floor(titles.length / Math.max(1, RECALL_QUERIES - questions.length)));
    const recallTexts = [...questions.map((q) => q.question), ...titles.filter((_, i) => i % step === 0)].slice(0, RECALL_QUERIES);
    const recallQueries: Float32Array[] = [];
    for (const text of recallTexts) recallQueries.push(await coverage.embedder.embedQuery(text));
    // Recall is the local graph's own figure, measured on the build just loaded (the same files coverage answers from).
    const recall = loaded ? vectorRecall(loaded, recallQueries, 10) : null;

    const latency = summarizeLatencies(latencies);
    const slowest = questions
      .map((q, i) => ({ id: q.id, question: q.question, meanMs: perQuestion[i]! / rounds }))
      .sort((a, b) => b.meanMs - a.meanMs)
      .slice(0, SLOWEST_SHOWN);
    const status = coverage.status();
    return {
      indexDir: opts.indexDir,
      questionsFile: opts.questionsFile,
      questions: questions.length,
      rounds,
      buildSeconds,
      model: { used: coverage.embedder.modelId, dimensions: coverage.embedder.dimensions },
      index: { articles: status.articles, passages: status.passages },
      modelLoadSeconds,
      openSeconds,
      loadIndexSeconds,
      answered,
      firstAnswers: summarizeLatencies(firstLatencies),
      latency,
      cpu: summarizeLatencies(cpuTimes),
      slowest,
      recall,
      checks: {
        p50: atMost(latency.p50Ms, QUERY_TARGETS.p50Ms, 'ms'),
        p95: atMost(latency.p95Ms, QUERY_TARGETS.p95Ms, 'ms'),
        load: atMost(openSeconds, status.passages > LARGE_INDEX_PASSAGES ? QUERY_TARGETS.largeLoadSeconds : QUERY_TARGETS.loadSeconds, 's'),
        recall: recall ? atLeast(recall.mean, QUERY_TARGETS.recallAt10, '') : null,
      },
      store: opts.store ?? 'local',
      peakRssMiB: peak,
      answeringRssMiB: answeringRss / 2 ** 20,
    };
  } finally {
    await embedder?.dispose();
  }
}
