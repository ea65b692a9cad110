// `coverage-bot eval`: answer quality on question files. On one index (the default) it scores the pipeline as
// configured beside the two BM25 recipes; with `--models` it builds an index per model and source folder, sweeps the
// per-model settings, and prints k-fold cross-validated figures (folds grouped by article); `--tune` then writes each
// model's tuning file, fitted on all the questions.
//
//   coverage-bot eval --questions ../shared/eval/dev.jsonl
//   coverage-bot eval --models local/wink-sg-100d,Xenova/e5-small-v2 --sources seeds,corpus \
//     --questions ../shared/eval/dev.jsonl,../shared/eval/dev-general.jsonl --tune
import path from 'node:path';
import { Command } from 'commander';
import {
  type Answer,
  type AnswerOptions,
  type Calibration,
  type CoverageOptions,
  coverageOptionsFromConfig,
  HAND_SET_SCORER,
  openCoverage,
  SENTENCE_FEATURES,
  type SentenceScorer,
  type Tuning,
  tuningFileName,
} from '../../answer/index.js';
import { readSourceText } from '../../corpus/index.js';
import { Embedder, loadWordVectors } from '../../embedding/index.js';
import { UserError } from '../../errors.js';
import {
  type AnswerWith,
  type BaselineRow,
  askOptions,
  crossValidate,
  evaluate,
  FIT_VARIANTS,
  fitOn,
  type FitVariant,
  formatEvaluation,
  groupBy,
  heldOutCost,
  type Outcome,
  outcomeOf,
  type OutcomeScores,
  type QuestionRun,
  type QuestionSet,
  indexedArticles,
  readQuestions,
  runnableQuestions,
  scoreOutcomes,
  settingName,
  sweep,
  SWEEP_SETTINGS,
  type SweepSample,
  type SweepSetting,
  variantName,
  writeTuning,
} from '../../evaluation/index.js';
import { ingest, ingestOptionsFromConfig } from '../../index/index.js';
import { overrideConfig } from '../../config.js';
import { addPathOptions, printJson, resolveConfig, resolveIndexConfig, withIngestHint, type PathOptions } from '../options.js';

interface EvalFlags extends PathOptions {
  questions: string;
  json?: boolean;
  models?: string;
  folds: string;
  work: string;
  tune?: boolean;
  /** commander's negated --no-answer-types: true unless the flag is given. */
  answerTypes: boolean;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

async function readQuestionSets(files: string): Promise<QuestionSet[]> {
  const sets: QuestionSet[] = [];
  for (const file of list(files)) sets.push({ name: path.basename(file), questions: await readQuestions(file) });
  return sets;
}

export const evalCommand = addPathOptions(
  new Command('eval')
    .description('evaluate answers on question files beside two BM25 recipes; with --models, cross-validated per model')
    .requiredOption('--questions <files>', 'comma-separated JSON-lines question files (id, question, expect, answers, corpus?)')
    .option('--json', 'print the report as JSON')
    .option('--no-answer-types', 'turn answer-type matching off (to measure what it adds)')
    .option('--models <ids>', 'comma-separated embedding models: build an index per model and cross-validate its settings')
    .option('--folds <k>', 'cross-validation folds (grouped by article)', '5')
    .option('--work <dir>', 'with --models: where the per-model indexes are kept', '.cache/eval')
    .option('--tune', 'with --models: write each model\'s tuning file (src/answer/tuning/), fitted on all the questions'),
).action(async (flags: EvalFlags) => {
  // The question files first: a mistake in one is reported before the model and index take seconds to load.
  const sets = await readQuestionSets(flags.questions);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  if (!flags.models) {
    const config = await resolveIndexConfig(flags);
    const coverage = await withIngestHint(flags, () => openCoverage(coverageOptionsFromConfig(config, log)));
    const readSource = (a: Parameters<typeof readSourceText>[1]) => readSourceText(config.SOURCES_DIR, a).catch(() => null);
    const report = await evaluate(
      { index: coverage.index, answer: coverage.answer, readSource },
      sets.flatMap((s) => s.questions),
      { answerTypes: flags.answerTypes },
    );
    if (flags.json) printJson(report);
    else process.stdout.write(`${formatEvaluation(report)}\n`);
    return;
  }
  const config = resolveConfig(flags);

  const folds = Number(flags.folds);
  if (!Number.isInteger(folds) || folds < 2) throw new UserError(`--folds must be an integer of at least 2, got ${flags.folds}`);
  const sourceDirs = list(config.SOURCES_DIR);
  const reports: ModelReport[] = [];
  const shippedChecks: string[] = [];
  const wordVectors = await loadWordVectors(config.MODELS_DIR).catch(() => null);
  for (const model of list(flags.models)) {
    const embedder = await Embedder.load({ model, modelsDir: config.MODELS_DIR, allowRemote: config.ALLOW_REMOTE_MODELS, log });
    if (embedder.modelId !== model) throw new UserError(`${model} could not be loaded (see above); run \`npm run dev-models\` or fix EMBEDDING_MODEL`);
    const runs: QuestionRun[] = [];
    const samples: SweepSample[] = [];
    const baselines: BaselineRow[] = [];
    const optionsOf = new Map<string, CoverageOptions>();
    for (const sourcesDir of sourceDirs) {
      const indexName = path.basename(path.resolve(sourcesDir));
      const indexDir = path.join(flags.work, tuningFileName(model).replace(/\.json$/, ''), indexName);
      log(`eval: ${model} on ${indexName}: indexing into ${indexDir}…`);
      await ingest({ ...ingestOptionsFromConfig(overrideConfig(config, { SOURCES_DIR: sourcesDir, INDEX_DIR: indexDir, EMBEDDING_MODEL: model })), embedder, log });
      const options: CoverageOptions = { ...coverageOptionsFromConfig(overrideConfig(config, { SOURCES_DIR: sourcesDir, INDEX_DIR: indexDir })), embedder, wordVectors };
      optionsOf.set(indexName, options);
      const base = await openCoverage(options);
      const indexRuns = runnableQuestions(await indexedArticles(base.index), indexName, sets);
      runs.push(...indexRuns);
      let last = 0;
      const result = await sweep(
        base.index,
        indexRuns,
        // The hand-set scorer ranks the sweep's quotes, whose ranks choose each fold's retrieval setting: the shipped
        // scorer was fitted on all the questions, held-out ones included, and would make the figures depend on it.
        async (setting) => answerFunction(options, { setting, scorer: HAND_SET_SCORER }, flags.answerTypes),
        (question) => embedder.embedQuery(question),
        undefined,
        (done, total) => {
          if (done - last >= 250 || done === total) {
            last = done;
            log(`eval: ${model} on ${indexName}: sweep ${done}/${total} answers`);
          }
        },
      );
      samples.push(...result.samples);
      baselines.push(...result.baselines);
    }
    const answerWith: AnswerWith = (index, fitting) => answerFunction(optionsOf.get(index)!, fitting, flags.answerTypes);
    // Each fit variant is cross-validated; the one with the lowest held-out cost is what --tune ships.
    let chosen: { variant: FitVariant; cost: number; outcomes: Outcome[] } | undefined;
    for (const variant of FIT_VARIANTS) {
      const { outcomes, fittings } = await crossValidate(runs, samples, answerWith, folds, variant, (f, fitting) =>
        log(`eval: ${model} (${variantName(variant)}): fold ${f + 1}/${folds} fitted (${settingName(fitting.setting)}, thresholds ${fitting.calibration.threshold.toFixed(3)} / ${(fitting.calibration.closest ?? fitting.calibration.threshold).toFixed(3)})`),
      );
      const cost = outcomes.reduce((sum, o) => sum + heldOutCost(o), 0);
      if (!chosen || cost < chosen.cost) chosen = { variant, cost, outcomes };
      const report: ModelReport = {
        model,
        variant: variantName(variant),
        heldOutCost: cost,
        questions: outcomes.length,
        folds,
        cells: [],
        chosenSettings: fittings.map((f) => settingName(f.setting)),
      };
      for (const [cell, group] of groupBy(outcomes, (o) => `${o.index}\t${o.set}`)) {
        const [index, set] = cell.split('\t') as [string, string];
        const base = baselines.filter((b) => b.index === index && b.set === set && b.answerable);
        const share = (f: (b: BaselineRow) => boolean) => (base.length ? base.filter(f).length / base.length : Number.NaN);
        report.cells.push({
          index,
          set,
          scores: scoreOutcomes(group),
          passageBm25: { hitAt1: share((b) => b.passageRank === 1), hitAt3: share((b) => b.passageRank >= 1) },
          chunkBm25: { hitAt1: share((b) => b.chunkRank === 1), hitAt3: share((b) => b.chunkRank >= 1) },
          shownByRecipes: { chunkBm25: share((b) => b.chunkShown), hybrid: share((b) => b.hybridShown) },
        });
      }
      reports.push(report);
      // Each variant's figures as soon as they are known: a run over several models takes a while.
      if (!flags.json) log(formatModelReports([report]));
    }
    if (flags.tune && chosen) {
      const all = await fitOn(runs, samples, answerWith, chosen.variant);
      const tuning: Tuning = {
        model,
        denseWeight: all.setting.denseWeight,
        expansion: all.setting.expansion,
        calibration: all.calibration,
        ...(chosen.variant.learnedScorer ? { sentenceScorer: { features: [...SENTENCE_FEATURES], weights: all.scorer.weights } } : {}),
        fittedOn:
          `${sets.map((s) => s.name).join(', ')} on ${[...optionsOf.keys()].join(' and ')} (${runs.length} question runs, ` +
          `${variantName(chosen.variant)}, ${SWEEP_SETTINGS.length} retrieval settings), ${new Date().toISOString().slice(0, 10)}; ` +
          'cross-validated figures in docs/evaluation.md',
      };
      // The shipped file is the source tree's; a compiled copy in use is kept in step with it.
      for (const file of await writeTuning(tuning)) {
        log(`eval: wrote ${file}: ${variantName(chosen.variant)}, ${settingName(all.setting)}, thresholds ${all.calibration.threshold.toFixed(3)} / ${all.calibration.closest?.toFixed(3)}`);
      }
      // The shipped file must behave like its cross-validated figures: every question re-answered through the
      // product's own loading of that file, outcome shares set beside the held-out ones.
      const shipped: Outcome[] = [];
      for (const [index, group] of groupBy(runs, (r) => r.index)) {
        const coverage = await openCoverage(optionsOf.get(index)!);
        for (const run of group) shipped.push(outcomeOf(run, index, await coverage.answer(run.question.question, askOptions(run.question, { answerTypes: flags.answerTypes }))));
      }
      const comparison = formatShippedComparison(model, chosen.outcomes, shipped);
      shippedChecks.push(comparison);
      if (!flags.json) log(comparison);
    }
    await embedder.dispose();
  }
  if (flags.json) printJson(reports);
  else process.stdout.write(`${[formatModelReports(reports), ...shippedChecks].join('\n\n')}\n`);
});

/**
 * Outcome shares of the shipped tuning re-answering every question beside the cross-validated (held-out) ones, per
 * index and question set: the check that what ships behaves like the figures reported for it.
 */
export function formatShippedComparison(model: string, heldOut: Outcome[], shipped: Outcome[]): string {
  const lines = [
    `${model}: the shipped tuning re-answering every question, beside the held-out figures (answered / closest / declined shares of all questions; shown ≤300 of the answerable).`,
    '| index | questions | held out: ans / closest / declined | shipped: ans / closest / declined | held out: shown ≤300 | shipped: shown ≤300 |',
    '|---|---|---|---|---|---|',
  ];
  const shares = (rows: Outcome[]) =>
    (['answered', 'closest', 'not-covered'] as const).map((k) => pct(rows.filter((o) => o.outcome === k).length / Math.max(rows.length, 1))).join(' / ');
  const cells = groupBy([...heldOut.map((o) => ({ o, shipped: false })), ...shipped.map((o) => ({ o, shipped: true }))], (x) => `${x.o.index}\t${x.o.set}`);
  for (const [cell, rows] of [...cells].sort(([a], [b]) => a.localeCompare(b))) {
    const [index, set] = cell.split('\t');
    const h = rows.filter((r) => !r.shipped).map((r) => r.o);
    const s = rows.filter((r) => r.shipped).map((r) => r.o);
    lines.push(`| ${index} | ${set} (${h.length}) | ${shares(h)} | ${shares(s)} | ${pct(scoreOutcomes(h).shownWithin300)} | ${pct(scoreOutcomes(s).shownWithin300)} |`);
  }
  return lines.join('\n');
}

/** The answer function of an index with a setting (and, when fitted, a scorer and calibration) in place of its tuning. */
async function answerFunction(
  options: CoverageOptions,
  fitting: { setting: SweepSetting; scorer?: SentenceScorer; calibration?: Calibration },
  answerTypes: boolean,
): Promise<(question: string, o: AnswerOptions) => Promise<Answer>> {
  const coverage = await openCoverage({
    ...options,
    retrieval: { denseWeight: fitting.setting.denseWeight },
    expansion: fitting.setting.expansion ? {} : { weight: 0 },
    ...(fitting.scorer ? { sentenceScorer: fitting.scorer } : {}),
    ...(fitting.calibration ? { calibration: fitting.calibration } : {}),
  });
  return (q, o) => coverage.answer(q, { ...o, answerTypes });
}

interface ModelReport {
  model: string;
  /** Which fit variant these held-out figures are of. */
  variant: string;
  /** Sum of heldOutCost over the held-out questions (lower is better). */
  heldOutCost: number;
  questions: number;
  folds: number;
  /** The setting each fold's training part chose. */
  chosenSettings: string[];
  cells: Array<{
    index: string;
    set: string;
    scores: OutcomeScores;
    passageBm25: { hitAt1: number; hitAt3: number };
    chunkBm25: { hitAt1: number; hitAt3: number };
    /** The answer within the first 300 characters the two recipes show. */
    shownByRecipes: { chunkBm25: number; hybrid: number };
  }>;
}

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));

/**
 * One table across models: cross-validated figures of the product beside the two simple recipes on the same questions.
 * "Shown ≤300": answerable questions with an answer in the first 300 characters of quoted text shown, whatever the
 * outcome (the recipes never decline). "Answered": answerable questions answered outright, and the share of those whose
 * first quote is right. "Unanswerable held back": declined or shown as closest coverage, never answered outright.
 */
export function formatModelReports(reports: ModelReport[]): string {
  const lines = [
    `Cross-validated (${reports[0]?.folds ?? 0} folds grouped by article).`,
    '| model | fit | index | questions | shown ≤300 | chunk-BM25 ≤300 | hybrid ≤300 | answered | first quote right | unanswerable held back | answerable: ans / closest / not | unanswerable: ans / closest / not |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const o = (c: Record<string, number>) => `${c.answered} / ${c.closest} / ${c['not-covered']}`;
  for (const r of reports) {
    for (const c of r.cells.sort((a, b) => `${a.index}${a.set}`.localeCompare(`${b.index}${b.set}`))) {
      const s = c.scores;
      lines.push(
        `| ${r.model} | ${r.variant} | ${c.index} | ${c.set} (${s.answerable}+${s.unanswerable}) | ${pct(s.shownWithin300)} | ` +
          `${pct(c.shownByRecipes.chunkBm25)} | ${pct(c.shownByRecipes.hybrid)} | ${pct(s.answeredShare)} | ${pct(s.answeredRight)} | ` +
          `${pct(s.unansweredShare)} | ${o(s.answerableOutcomes)} | ${o(s.unanswerableOutcomes)} |`,
      );
    }
    lines.push(
      `${r.model} (${r.variant}): held-out cost ${r.heldOutCost.toFixed(2)} over ${r.questions} questions; ` +
        `settings chosen by the folds' training parts: ${[...new Set(r.chosenSettings)].join('; ')}`,
    );
  }
  return lines.join('\n');
}
