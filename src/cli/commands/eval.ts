// `coverage-bot eval`: score the answer pipeline and a BM25 baseline on a question file; `--calibrate` fits the
// no-answer confidence on it and writes the calibration file.
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { fitLogistic, rocAuc, confidence, type Calibration } from '../../answer/confidence.js';
import { coverageOptionsFromConfig, openCoverage } from '../../answer/coverage.js';
import { evaluate, formatEvaluation, readQuestions } from '../../answer/evaluate.js';
import { readSourceText } from '../../corpus/index.js';
import { addPathOptions, printJson, resolveConfig, type PathOptions } from '../options.js';

interface EvalFlags extends PathOptions {
  questions: string;
  json?: boolean;
  calibrate?: string;
}

/** The threshold in the widest gap that classifies the most questions right. */
export function chooseThreshold(probabilities: number[], answerable: boolean[]): number {
  const sorted = [...new Set(probabilities)].sort((a, b) => a - b);
  const candidates = [0, ...sorted.slice(1).map((p, i) => (p + sorted[i]!) / 2), 1];
  let best = 0.5;
  let bestCorrect = -1;
  let bestGap = -1;
  for (const t of candidates) {
    const correct = probabilities.filter((p, i) => (p >= t) === answerable[i]).length;
    const gap = Math.min(...probabilities.map((p) => Math.abs(p - t)));
    if (correct > bestCorrect || (correct === bestCorrect && gap > bestGap)) {
      best = t;
      bestCorrect = correct;
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
    .option('--calibrate <file>', 'fit the no-answer confidence on these questions and write the calibration to <file>'),
).action(async (flags: EvalFlags) => {
  const config = resolveConfig(flags);
  const coverage = await openCoverage(coverageOptionsFromConfig(config, (m) => process.stderr.write(`${m}\n`)));
  const readSource = (a: Parameters<typeof readSourceText>[1]) => readSourceText(config.SOURCES_DIR, a).catch(() => null);
  const questions = await readQuestions(flags.questions);
  const report = await evaluate({ index: coverage.index, answer: coverage.answer, readSource }, questions);

  if (flags.calibrate) {
    const samples = report.results
      .filter((r) => r.evidence)
      .map((r) => ({ features: r.evidence!, answerable: r.expect === 'answer' }));
    const weights = fitLogistic(samples);
    const provisional: Calibration = { weights, threshold: 0.5, fittedOn: '' };
    const probabilities = samples.map((s) => confidence(s.features, provisional));
    const labels = samples.map((s) => s.answerable);
    const calibration: Calibration = {
      weights,
      threshold: chooseThreshold(probabilities, labels),
      fittedOn: `${flags.questions} (${samples.length} questions) on ${coverage.index.manifest.counts.articles} articles, ${coverage.index.manifest.model.id}, ${new Date().toISOString().slice(0, 10)}`,
    };
    await writeFile(flags.calibrate, `${JSON.stringify(calibration, null, 2)}\n`);
    process.stderr.write(
      `Calibration written to ${flags.calibrate}: weights ${weights.map((w) => w.toFixed(3)).join(', ')}, threshold ${calibration.threshold.toFixed(3)}, ` +
        `AUC on these questions ${rocAuc(probabilities, labels).toFixed(3)}. Run eval again to see its effect.\n`,
    );
  }
  if (flags.json) printJson(report);
  else process.stdout.write(`${formatEvaluation(report)}\n`);
});
