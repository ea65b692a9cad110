// `coverage-bot eval`: score the answer pipeline and a BM25 baseline on a question file; `--calibrate` fits the
// no-answer confidence on it and writes the calibration file.
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { confidence, fitLogistic, loadCalibration, rocAuc, type Calibration } from '../../answer/confidence.js';
import { coverageOptionsFromConfig, openCoverage } from '../../answer/coverage.js';
import { evaluate, formatEvaluation, readQuestions } from '../../answer/evaluate.js';
import { readSourceText } from '../../corpus/index.js';
import { addPathOptions, printJson, resolveIndexConfig, withIngestHint, type PathOptions } from '../options.js';

interface EvalFlags extends PathOptions {
  questions: string;
  json?: boolean;
  calibrate?: string;
  /** commander's negated --no-answer-types: true unless the flag is given. */
  answerTypes: boolean;
}

/** Answering a question the coverage does not answer (quoting something loosely related) costs this many wrong declines. */
export const FALSE_ANSWER_COST = 2;

/** The threshold with the lowest cost (false answers weighted by FALSE_ANSWER_COST), in the widest gap among equals. */
export function chooseThreshold(probabilities: number[], answerable: boolean[]): number {
  const sorted = [...new Set(probabilities)].sort((a, b) => a - b);
  const candidates = [0, ...sorted.slice(1).map((p, i) => (p + sorted[i]!) / 2), 1];
  let best = 0.5;
  let bestCost = Infinity;
  let bestGap = -1;
  for (const t of candidates) {
    let cost = 0;
    probabilities.forEach((p, i) => {
      if (p >= t && !answerable[i]) cost += FALSE_ANSWER_COST;
      if (p < t && answerable[i]) cost += 1;
    });
    const gap = Math.min(...probabilities.map((p) => Math.abs(p - t)));
    if (cost < bestCost || (cost === bestCost && gap > bestGap)) {
      best = t;
      bestCost = cost;
      bestGap = gap;
    }
  }
  return best;
}

export const evalCommand = addPathOptions(
  new Command('eval')
    .description('evaluate answers on a question file (hit@1, hit@3, MRR, no-answer precision/recall, verbatim rate) against BM25')
    .requiredOption('--questions <file>', 'JSON-lines questions (id, question, expect, answers, corpus?)')
    .option('--json', 'print the report as JSON')
    .option('--no-answer-types', 'turn answer-type matching off (to measure what it adds)')
    .option('--calibrate <file>', 'fit the no-answer confidence on these questions and write the calibration to <file>'),
).action(async (flags: EvalFlags) => {
  const config = await resolveIndexConfig(flags);
  // The question file first: a mistake in it is reported before the model and index take seconds to load.
  const questions = await readQuestions(flags.questions);
  const coverage = await withIngestHint(flags, () => openCoverage(coverageOptionsFromConfig(config, (m) => process.stderr.write(`${m}\n`))));
  const readSource = (a: Parameters<typeof readSourceText>[1]) => readSourceText(config.SOURCES_DIR, a).catch(() => null);
  const report = await evaluate({ index: coverage.index, answer: coverage.answer, readSource }, questions, {
    answerTypes: flags.answerTypes,
  });

  if (flags.calibrate) {
    const indexName = `${coverage.index.manifest.counts.articles} articles (${coverage.index.manifest.model.id})`;
    const fresh = report.results
      .filter((r) => r.evidence)
      .map((r) => ({ index: indexName, question: r.id, answerable: r.expect === 'answer', features: r.evidence! }));
    // Pool with the samples of earlier fits on other indexes, so one calibration serves small and large corpora.
    const earlier = existsSync(flags.calibrate) ? loadCalibration(flags.calibrate).samples.filter((s) => s.index !== indexName) : [];
    const samples = [...earlier, ...fresh];
    const weights = fitLogistic(samples);
    const provisional: Calibration = { weights, threshold: 0.5, fittedOn: '', samples: [] };
    const probabilities = samples.map((s) => confidence(s.features, provisional));
    const labels = samples.map((s) => s.answerable);
    const indexes = [...new Set(samples.map((s) => s.index))];
    const calibration: Calibration = {
      weights,
      threshold: chooseThreshold(probabilities, labels),
      fittedOn: `${flags.questions}: ${samples.length} answers on ${indexes.join(' and ')}, ${new Date().toISOString().slice(0, 10)}`,
      samples,
    };
    await writeFile(flags.calibrate, `${JSON.stringify(calibration, null, 2)}\n`);
    process.stderr.write(
      `Calibration written to ${flags.calibrate}: weights ${weights.map((w) => w.toFixed(3)).join(', ')}, threshold ${calibration.threshold.toFixed(3)}, ` +
        `AUC on these ${samples.length} answers ${rocAuc(probabilities, labels).toFixed(3)}. Run eval again to see its effect.\n`,
    );
  }
  if (flags.json) printJson(report);
  else process.stdout.write(`${formatEvaluation(report)}\n`);
});
