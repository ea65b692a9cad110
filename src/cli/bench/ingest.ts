// `bench ingest`: a full build through the real ingest(), the raw model on the same texts (every passage and every
// sentence, as the build embeds them), the share of the build spent embedding, the index size on disk, peak memory,
// and a refresh with nothing changed.
import { performance } from 'node:perf_hooks';
import { Embedder } from '../../embedding/index.js';
import { contextualText, indexSizeOnDisk, ingest, loadIndex, sentenceText, type IndexData, type IngestOptions } from '../../index/index.js';
import { atMost, cpuSecondsSince, peakRssMiB, secondsSince, type TargetCheck } from './stats.js';

/** A no-change refresh should take about a second on the seeds + BBC corpus. */
export const REFRESH_TARGET_SECONDS = 1;

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
  /**
   * Embedder.embedPassages alone on the texts the build embedded: its passages (with their context), then its
   * sentences (under their headline), timed apart.
   */
  rawModel: {
    passages: number;
    sentences: number;
    seconds: number;
    cpuSeconds: number;
    /** Of `seconds`, the passages alone. */
    passageSeconds: number;
    passagesPerSecond: number;
  };
  /** Raw model seconds on every text ÷ build seconds: the share of the model's speed the whole pipeline keeps. */
  pipelineToRawRatio: number;
  /** The same with the raw model timed on the passages alone (the figure before sentences were embedded). */
  pipelineToRawPassagesRatio: number;
  indexBytes: number;
  /** A second ingest with nothing changed. */
  refresh: { seconds: number; cpuSeconds: number; changed: boolean; check: TargetCheck };
  /** This process's resident memory high-water mark (model, build, raw run and refresh). */
  peakRssMiB: number;
}

/** Everything ingest() needs but `full` and `embedder`, which the bench sets. */
export type IngestBenchOptions = Omit<IngestOptions, 'full' | 'embedder'>;

export async function runIngestBench(base: IngestBenchOptions): Promise<IngestBenchmark> {
  const modelStarted = performance.now();
  const embedder = await Embedder.load({ model: base.model, modelsDir: base.modelsDir, allowRemote: base.allowRemoteModels, log: base.log });
  const modelLoadSeconds = secondsSince(modelStarted);
  try {
    // A full rebuild even when the index folder already holds an up-to-date index: the figures are of a whole build.
    const buildCpu = process.cpuUsage();
    const build = await ingest({ ...base, full: true, embedder });
    const buildCpuSeconds = cpuSecondsSince(buildCpu);

    // The texts exactly as ingest embedded them: every passage of a full build, with its article's context, and every sentence.
    const index = await loadIndex(base.indexDir, { withSearch: false });
    const texts = index.passages.map((p) => contextualText(index.articleById.get(p.articleId)!, p));
    const sentences = sentenceTexts(index);
    if (texts.length !== build.embeddedPassages || sentences.length !== build.embeddedSentences) {
      throw new Error(
        `the built index holds ${texts.length} passages and ${sentences.length} sentences but the build embedded ` +
          `${build.embeddedPassages} and ${build.embeddedSentences}`,
      );
    }
    const onProgress = (done: number, total: number) => base.onProgress?.({ stage: 'embed', done, total });
    const rawStarted = performance.now();
    const rawCpu = process.cpuUsage();
    await embedder.embedPassages(texts, { onProgress });
    const passageSeconds = secondsSince(rawStarted);
    await embedder.embedPassages(sentences, { onProgress });
    const rawSeconds = secondsSince(rawStarted);
    const rawCpuSeconds = cpuSecondsSince(rawCpu);

    const indexBytes = await indexSizeOnDisk(base.indexDir);
    const refreshCpu = process.cpuUsage();
    const refresh = await ingest({ ...base, full: false, embedder });
    const refreshCpuSeconds = cpuSecondsSince(refreshCpu);

    const passagesPerSecond = build.passages / build.seconds;
    const rawPassagesPerSecond = texts.length / passageSeconds;
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
      rawModel: {
        passages: texts.length,
        sentences: sentences.length,
        seconds: rawSeconds,
        cpuSeconds: rawCpuSeconds,
        passageSeconds,
        passagesPerSecond: rawPassagesPerSecond,
      },
      pipelineToRawRatio: rawSeconds / build.seconds,
      pipelineToRawPassagesRatio: passagesPerSecond / rawPassagesPerSecond,
      indexBytes,
      refresh: {
        seconds: refresh.seconds,
        cpuSeconds: refreshCpuSeconds,
        changed: refresh.changed,
        check: atMost(refresh.seconds, REFRESH_TARGET_SECONDS, 's'),
      },
      peakRssMiB: peakRssMiB(),
    };
  } finally {
    await embedder.dispose();
  }
}

/** Every sentence's text as the build embedded it, in sentence-vector row order. */
function sentenceTexts(index: IndexData): string[] {
  const byRow: string[] = [];
  for (const p of index.passages) {
    const article = index.articleById.get(p.articleId)!;
    p.sentences.forEach((span, i) => (byRow[p.sentenceRows![i]!] ??= sentenceText(article, span)));
  }
  return byRow;
}
