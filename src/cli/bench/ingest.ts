// `bench ingest`: a full build through the real ingest(), the raw model on exactly the texts the build ran through it (in
// the same batches), the share of the build spent embedding, the index size on disk, peak memory, and a refresh with
// nothing changed.
import { performance } from 'node:perf_hooks';
import { DEFAULT_BATCH_SIZE, Embedder } from '../../embedding/index.js';
import { indexSizeOnDisk, ingest, passageVectorsFor, type IngestOptions } from '../../index/index.js';
import { atLeast, atMost, cpuSecondsSince, peakRssMiB, secondsSince, type TargetCheck } from './stats.js';

/** A no-change refresh of seeds + BBC within half a second. */
export const REFRESH_TARGET_SECONDS = 0.5;
/** A first full build of seeds + BBC with the default model (e5-small int8) within five minutes. */
export const BUILD_TARGET_SECONDS = 300;
/** The whole build at no less than 0.8 of the raw model's speed on the same texts. */
export const RATIO_TARGET = 0.8;

export interface IngestBenchmark {
  sourcesDir: string;
  indexDir: string;
  model: { requested: string; used: string; dimensions: number };
  /** Loading the model before the build (not part of the build figures: the bot keeps its model loaded). */
  modelLoadSeconds: number;
  build: {
    articles: number;
    passages: number;
    skippedFiles: number;
    seconds: number;
    /** CPU seconds of the build (all threads): well below `seconds` means the machine was busy with other work. */
    cpuSeconds: number;
    /** Seconds inside the embedding model during the build (IngestReport.embedSeconds). */
    embedSeconds: number;
    /** embedSeconds / seconds. */
    embedShare: number;
    articlesPerSecond: number;
    passagesPerSecond: number;
  };
  /** Where the build's passage vectors came from (PASSAGE_VECTORS): `sentences` runs the model on no passage. */
  passageVectors: 'model' | 'sentences';
  /**
   * The model's batch size and ONNX threads at ingest (src/embedding/models.ts; null: the runtime's default), and the
   * worker processes the build embedded on (0: on this process's session), each on one ONNX thread.
   */
  modelRun: { batchSize: number; onnxThreads: number | null; workers: number };
  /** What the build ran through the model, per second of the whole build. */
  pipeline: { passagesEmbedded: number; sentencesEmbedded: number; shortSentences: number; passagesPerSecond: number; sentencesPerSecond: number };
  /**
   * Embedder.embedPassages alone (length-sorted batches, the same batch size) on exactly the texts the build ran
   * through the model: its passages (with their context), then its sentences (under their headline), timed apart.
   */
  rawModel: {
    passages: number;
    sentences: number;
    seconds: number;
    cpuSeconds: number;
    passageSeconds: number;
    sentenceSeconds: number;
    /** Per second of the model's own time on them (NaN when there were none). */
    passagesPerSecond: number;
    sentencesPerSecond: number;
    /**
     * When the build embedded on worker processes: the same texts on this process's one session instead (ONNX threads
     * as set), what the workers are measured against; null otherwise.
     */
    oneSession: { seconds: number; cpuSeconds: number; textsPerSecond: number } | null;
  };
  /** Raw model seconds on every text ÷ build seconds: the share of the model's speed the whole pipeline keeps. */
  pipelineToRawRatio: number;
  ratioCheck: TargetCheck;
  buildCheck: TargetCheck;
  /** Where the build was written (STORE). */
  store: 'local' | 'postgres';
  /** The index folder's size (local store); null for a database. */
  indexBytes: number | null;
  /** A second ingest with nothing changed. */
  refresh: { seconds: number; cpuSeconds: number; changed: boolean; check: TargetCheck };
  /** This process's resident memory high-water mark (model, build, raw run and refresh). */
  peakRssMiB: number;
  /** The embedding worker processes' high-water marks, summed (0 when there were none): they run beside this process. */
  workersPeakRssMiB: number;
}

/** Everything ingest() needs but `full` and `embedder`, which the bench sets. */
export type IngestBenchOptions = Omit<IngestOptions, 'full' | 'embedder' | 'onEmbedTexts'>;

export async function runIngestBench(base: IngestBenchOptions): Promise<IngestBenchmark> {
  const modelStarted = performance.now();
  const embedder = await Embedder.load({ model: base.model, modelsDir: base.modelsDir, allowRemote: base.allowRemoteModels, log: base.log });
  const modelLoadSeconds = secondsSince(modelStarted);
  try {
    // A full rebuild even when the index folder already holds an up-to-date index: the figures are of a whole build.
    let embedded: { passages: string[]; sentences: string[] } = { passages: [], sentences: [] };
    // CPU seconds of this process and of the embedding workers it started, since `start`.
    const workersCpu = () => embedder.workerUsage.cpuSeconds;
    const cpuSince = (start: { own: NodeJS.CpuUsage; workers: number }) => cpuSecondsSince(start.own) + workersCpu() - start.workers;
    const cpuNow = () => ({ own: process.cpuUsage(), workers: workersCpu() });
    const buildCpu = cpuNow();
    const build = await ingest({ ...base, full: true, embedder, onEmbedTexts: (texts) => (embedded = texts) });
    const buildCpuSeconds = cpuSince(buildCpu);
    const workers = embedder.workerUsage.processes;
    if (embedded.passages.length !== build.embeddedPassages || embedded.sentences.length !== build.embeddedSentences) {
      throw new Error(
        `the build reported ${build.embeddedPassages} passages and ${build.embeddedSentences} sentences embedded but ran the model on ` +
          `${embedded.passages.length} and ${embedded.sentences.length}`,
      );
    }

    // The texts exactly as ingest ran them through the model, in the same batches.
    const batchSize = embedder.settings.batchSize ?? DEFAULT_BATCH_SIZE;
    const onProgress = (done: number, total: number, fraction: number) => base.onProgress?.({ stage: 'embed', done, total, fraction });
    const rawStarted = performance.now();
    const rawCpu = cpuNow();
    await embedder.embedPassages(embedded.passages, { batchSize, onProgress });
    const passageSeconds = secondsSince(rawStarted);
    await embedder.embedPassages(embedded.sentences, { batchSize, onProgress });
    const rawSeconds = secondsSince(rawStarted);
    const rawCpuSeconds = cpuSince(rawCpu);
    let oneSession: IngestBenchmark['rawModel']['oneSession'] = null;
    if (workers > 0) {
      const started = performance.now();
      const cpu = cpuNow();
      for (const texts of [embedded.passages, embedded.sentences]) await embedder.embedPassages(texts, { batchSize, onProgress, workers: 0 });
      const oneSeconds = secondsSince(started);
      oneSession = { seconds: oneSeconds, cpuSeconds: cpuSince(cpu), textsPerSecond: (embedded.passages.length + embedded.sentences.length) / oneSeconds };
    }

    const store = base.store ?? 'local';
    const indexBytes = store === 'local' ? await indexSizeOnDisk(base.indexDir) : null;
    const refreshCpu = process.cpuUsage();
    const refresh = await ingest({ ...base, full: false, embedder });
    const refreshCpuSeconds = cpuSecondsSince(refreshCpu);

    const passagesPerSecond = build.passages / build.seconds;
    const sentenceSeconds = rawSeconds - passageSeconds;
    return {
      sourcesDir: base.sourcesDir,
      indexDir: base.indexDir,
      model: { requested: base.model, used: embedder.modelId, dimensions: embedder.dimensions },
      modelLoadSeconds,
      build: {
        articles: build.articles,
        passages: build.passages,
        skippedFiles: build.skipped.length,
        seconds: build.seconds,
        cpuSeconds: buildCpuSeconds,
        embedSeconds: build.embedSeconds,
        embedShare: build.embedSeconds / build.seconds,
        articlesPerSecond: build.articles / build.seconds,
        passagesPerSecond,
      },
      passageVectors: passageVectorsFor(base),
      modelRun: { batchSize, onnxThreads: embedder.settings.onnxThreads ?? null, workers },
      pipeline: {
        passagesEmbedded: build.embeddedPassages,
        sentencesEmbedded: build.embeddedSentences,
        shortSentences: build.shortSentences,
        passagesPerSecond,
        sentencesPerSecond: build.embeddedSentences / build.seconds,
      },
      rawModel: {
        passages: embedded.passages.length,
        sentences: embedded.sentences.length,
        seconds: rawSeconds,
        cpuSeconds: rawCpuSeconds,
        passageSeconds,
        sentenceSeconds,
        passagesPerSecond: embedded.passages.length / passageSeconds,
        sentencesPerSecond: embedded.sentences.length / sentenceSeconds,
        oneSession,
      },
      pipelineToRawRatio: rawSeconds / build.seconds,
      ratioCheck: atLeast(rawSeconds / build.seconds, RATIO_TARGET, ''),
      buildCheck: atMost(build.seconds, BUILD_TARGET_SECONDS, 's'),
      store,
      indexBytes,
      refresh: {
        seconds: refresh.seconds,
        cpuSeconds: refreshCpuSeconds,
        changed: refresh.changed,
        check: atMost(refresh.seconds, REFRESH_TARGET_SECONDS, 's'),
      },
      peakRssMiB: peakRssMiB(),
      workersPeakRssMiB: embedder.workerUsage.peakRssMiB,
    };
  } finally {
    await embedder.dispose();
  }
}
