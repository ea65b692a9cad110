// What `coverage-bot bench` prints: one report object (printed as JSON with --json) and its readable table.
import os from 'node:os';
import type { IngestBenchmark } from './ingest.js';
import type { LongWordBenchmark } from './long-words.js';
import type { QueryBenchmark } from './query.js';
import type { TargetCheck } from './stats.js';

export interface BenchEnvironment {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews every figure. */
  loadAverage: number[];
}

export interface BenchReport {
  environment: BenchEnvironment;
  ingest?: IngestBenchmark;
  query?: QueryBenchmark;
  longWords?: LongWordBenchmark;
}

export function benchEnvironment(): BenchEnvironment {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

type Row = [label: string, value: string, check?: TargetCheck];

const seconds = (s: number) => `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mib = (x: number) => `${x.toFixed(0)} MiB`;
const bytes = (x: number) => (x >= 2 ** 20 ? `${(x / 2 ** 20).toFixed(1)} MiB` : `${(x / 1024).toFixed(1)} KiB`);
const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function table(rows: Row[]): string[] {
  const labelWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.max(0, ...rows.filter((r) => r[2]).map((r) => r[1].length));
  return rows.map(([label, value, check]) => {
    if (!check) return `  ${label.padEnd(labelWidth)}  ${value}`;
    return `  ${label.padEnd(labelWidth)}  ${value.padEnd(valueWidth)}  target ${check.target.padEnd(8)} ${check.met ? 'met' : 'MISSED'}`;
  });
}

export function formatIngestBenchmark(r: IngestBenchmark): string[] {
  const b = r.build;
  const lines = [
    `Ingest: full build of ${r.sourcesDir} (${b.articles} articles, ${b.passages} passages` +
      `${b.skippedFiles ? `, ${b.skippedFiles} skipped` : ''})`,
    `  model ${r.model.used} (${r.model.dimensions} dimensions)${r.model.used !== r.model.requested ? `, requested ${r.model.requested}` : ''}`,
  ];
  const rows: Row[] = [
    ['model load (before the build)', seconds(r.modelLoadSeconds)],
    ['build, end to end', `${seconds(b.seconds)} (CPU ${seconds(b.cpuSeconds)})`, r.buildCheck],
    ['  articles / passages per second', `${rate(b.articlesPerSecond)} / ${rate(b.passagesPerSecond)}`],
    ['  embedding inside ingest', `${seconds(b.embedSeconds)} (${(b.embedShare * 100).toFixed(0)}% of the build)`],
    [
      'model run at ingest',
      `batches of ${r.modelRun.batchSize}, ` +
        (r.modelRun.workers > 0 ? `${r.modelRun.workers} worker processes on one ONNX thread each` : `ONNX threads ${r.modelRun.onnxThreads ?? 'by default'}`) +
        `; passage vectors from ${r.passageVectors === 'model' ? 'the model' : 'their sentences'}`,
    ],
    [
      'pipeline: texts through the model',
      `${r.pipeline.passagesEmbedded} passages, ${r.pipeline.sentencesEmbedded} sentences (${r.pipeline.shortSentences} too short, not embedded): ` +
        `${rate(r.pipeline.sentencesPerSecond)} sentences/s of build`,
    ],
    [
      'raw model, same texts',
      `${seconds(r.rawModel.seconds)} (CPU ${seconds(r.rawModel.cpuSeconds)}): ${r.rawModel.passages} passages in ${seconds(r.rawModel.passageSeconds)}` +
        `${r.rawModel.passages ? ` (${rate(r.rawModel.passagesPerSecond)}/s)` : ''}, ${r.rawModel.sentences} sentences in ` +
        `${seconds(r.rawModel.sentenceSeconds)} (${rate(r.rawModel.sentencesPerSecond)}/s)`,
    ],
    ...(r.rawModel.oneSession
      ? ([
          [
            'raw model, same texts, one session',
            `${seconds(r.rawModel.oneSession.seconds)} (CPU ${seconds(r.rawModel.oneSession.cpuSeconds)}; ${rate(r.rawModel.oneSession.textsPerSecond)} texts/s): ` +
              `the workers take ${(r.rawModel.seconds / r.rawModel.oneSession.seconds).toFixed(2)} of its time`,
          ],
        ] satisfies Row[])
      : []),
    ['pipeline / raw model', r.pipelineToRawRatio.toFixed(2), r.ratioCheck],
    ['index size', r.indexBytes === null ? `in the database (STORE=${r.store})` : `${bytes(r.indexBytes)} on disk`],
    [
      'refresh, nothing changed',
      `${seconds(r.refresh.seconds)} (CPU ${seconds(r.refresh.cpuSeconds)})${r.refresh.changed ? ', it rebuilt: it should not have' : ''}`,
      r.refresh.check,
    ],
    ['peak RSS (ingest process)', mib(r.peakRssMiB) + (r.workersPeakRssMiB > 0 ? `, its embedding workers ${mib(r.workersPeakRssMiB)} together` : '')],
  ];
  return [...lines, ...table(rows)];
}

export function formatQueryBenchmark(r: QueryBenchmark): string[] {
  const l = r.latency;
  const lines = [
    `Query: ${r.questions} questions × ${r.rounds} rounds, warm, on ${r.store === 'postgres' ? 'the database (STORE=postgres)' : r.indexDir} (${r.index.articles} articles, ${r.index.passages} passages)`,
    `  model ${r.model.used} (${r.model.dimensions} dimensions); questions from ${r.questionsFile}`,
  ];
  const rows: Row[] = [];
  if (r.buildSeconds !== null) rows.push(['index build (none was there)', seconds(r.buildSeconds)]);
  rows.push(
    ['model load', seconds(r.modelLoadSeconds)],
    ['index load (openCoverage, no model)', seconds(r.openSeconds), r.checks.load],
    ...(r.loadIndexSeconds === null ? [] : ([['  loadIndex again (beside the open index)', seconds(r.loadIndexSeconds)]] as Row[])),
    ['answered in the warm-up pass', `${r.answered} / ${r.questions}`],
    [
      'first answer per question',
      `p50 ${ms(r.firstAnswers.p50Ms)}, p95 ${ms(r.firstAnswers.p95Ms)}, max ${ms(r.firstAnswers.maxMs)} (warm-up pass, caches cold)`,
    ],
    [`latency p50 (${l.samples} warm answers)`, ms(l.p50Ms), r.checks.p50],
    ['latency p95', ms(l.p95Ms), r.checks.p95],
    ['latency max', ms(l.maxMs)],
    ['latency mean', ms(l.meanMs)],
    ['CPU per answer', `p50 ${ms(r.cpu.p50Ms)}, p95 ${ms(r.cpu.p95Ms)}, mean ${ms(r.cpu.meanMs)}`],
    ...(r.recall === null
      ? []
      : ([
          [
            `vector recall@${r.recall.k} vs exact (efSearch ${r.recall.efSearch})`,
            `${r.recall.mean.toFixed(3)} (worst query ${r.recall.min.toFixed(1)}, ${r.recall.queries} queries)`,
            r.checks.recall ?? undefined,
          ],
        ] as Row[])),
    ['peak RSS (query process)', `${mib(r.peakRssMiB)}; after an answer, at most ${mib(r.answeringRssMiB)}`],
  );
  lines.push(...table(rows));
  lines.push('  slowest questions (mean over the rounds):');
  for (const s of r.slowest) lines.push(`    ${ms(s.meanMs).padStart(9)}  ${s.id}  ${s.question}`);
  return lines;
}

const added = (s: number) => `${s < 0 ? '−' : '+'}${seconds(Math.abs(s))}`;

export function formatLongWordBenchmark(r: LongWordBenchmark): string[] {
  const lines = [
    `Long words: an article holding one 1 MB run beside the seeds, added to \`ingest\` and to a later \`ask\` (own process, best of ${r.runs})`,
    `  model ${r.model}; the seeds alone: ingest ${seconds(r.base.ingestSeconds)}, ask ${seconds(r.base.askSeconds)} ("${r.question}")`,
  ];
  const rows: Row[] = r.cases.flatMap((c): Row[] => [
    [`${c.name}: ingest`, `${added(c.addedIngestSeconds)} (${seconds(c.ingestSeconds)})`, c.ingestCheck],
    [`${c.name}: ask`, `${added(c.addedAskSeconds)} (${seconds(c.askSeconds)})`, c.askCheck],
  ]);
  return [...lines, ...table(rows)];
}

export function formatBenchReport(report: BenchReport): string {
  const e = report.environment;
  const parts = [
    [
      `coverage-bot bench: Node ${e.node}, ${e.platform}, ${e.cores} × ${e.cpu}, ${e.memoryGiB} GiB, ` +
        `load average ${e.loadAverage.join(' ')} at the start`,
    ],
  ];
  if (report.ingest) parts.push(formatIngestBenchmark(report.ingest));
  if (report.query) parts.push(formatQueryBenchmark(report.query));
  if (report.longWords) parts.push(formatLongWordBenchmark(report.longWords));
  return parts.map((p) => p.join('\n')).join('\n\n');
}
