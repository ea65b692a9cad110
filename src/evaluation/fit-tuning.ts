// Fitting one model's answer settings, and cross-validating that fit: on the training questions, choose the retrieval
// setting, fit the sentence scorer on their labelled candidate sentences, re-answer them with it and fit the no-answer
// calibration (with generated negatives: each answerable question again, its answer's articles left out) and the two
// thresholds; then answer the held-out questions through the real pipeline with what was fitted. Every figure comes
// from questions the fit never saw.
import {
  confidence,
  HAND_SET_SCORER,
  SENTENCE_FEATURES,
  type Answer,
  type AnswerOptions,
  type AnswerOutcome,
  type Calibration,
  type EvidenceFeatures,
  type SentenceScorer,
} from '../answer/index.js';
import { answerShownWithin } from '../retrieval/index.js';
import { bestSetting, chooseThresholds, foldsOf, groupBy, outcomeCosts, type Outcome, type SweepSample } from './cross-validation.js';
import { askOptions, rankOf } from './evaluate.js';
import { fitLogistic } from './logistic-fit.js';
import { fitRanking } from './ranking-fit.js';
import { parseSettingName, type QuestionRun, type SweepSetting } from './sweep.js';

export interface Fitting {
  setting: SweepSetting;
  scorer: SentenceScorer;
  calibration: Calibration;
}

type AnswerFunction = (question: string, options: AnswerOptions) => Promise<Answer>;
/** The answer function of one index under a (partial) fitting. */
export type AnswerWith = (index: string, fitting: Pick<Fitting, 'setting' | 'scorer'> & { calibration?: Calibration }) => Promise<AnswerFunction>;

const key = (index: string, question: string) => `${index}\t${question}`;

/** What a fit may use: each is measured (cross-validated) against its absence, and stays only where it helps. */
export interface FitVariant {
  /** Fit the sentence scorer (else the hand-set weights). */
  learnedScorer: boolean;
  /** Add the generated negatives (each answerable question with its answer's articles left out) to the calibration. */
  generatedNegatives: boolean;
}

export const FIT_VARIANTS: FitVariant[] = [
  { learnedScorer: true, generatedNegatives: true },
  { learnedScorer: true, generatedNegatives: false },
  { learnedScorer: false, generatedNegatives: true },
  { learnedScorer: false, generatedNegatives: false },
];

export const variantName = (v: FitVariant) => `${v.learnedScorer ? 'learned' : 'hand-set'} scorer, ${v.generatedNegatives ? 'with' : 'no'} generated negatives`;

/** Fits setting, scorer, calibration and thresholds on `runs`, using their sweep samples. */
export async function fitOn(
  runs: QuestionRun[],
  samples: SweepSample[],
  answerWith: AnswerWith,
  variant: FitVariant = FIT_VARIANTS[0]!,
): Promise<Fitting> {
  const keys = new Set(runs.map((r) => key(r.index, r.question.id)));
  const mine = samples.filter((s) => keys.has(key(s.index, s.question)));
  const settingName = bestSetting(mine);
  const setting = parseSettingName(settingName);

  // The sentence scorer: which of each question's candidate sentences hold an answer, under the chosen setting.
  const questions = mine
    .filter((s) => s.setting === settingName && s.candidates.length > 0)
    .map((s) => ({ rows: s.candidates.map((c) => c.features), holdsAnswer: s.candidates.map((c) => c.holdsAnswer) }));
  const scorer: SentenceScorer = !variant.learnedScorer
    ? HAND_SET_SCORER
    : questions.length > 0
    ? // fitRanking gives all-zero weights itself when no candidate holds an answer.
      { weights: fitRanking(questions) }
    : { weights: new Array(SENTENCE_FEATURES.length + 1).fill(0) };

  // The decision: evidence of every training question re-answered with that scorer, plus generated negatives. Its L2
  // penalty is a prior worth one sample (1 / n on the mean loss): a fixed 0.1 over ~400 samples shrank the weights so
  // far that the thresholds had little to separate (held-out cost, offline / MiniLM: 71.00 / 65.75 with 0.1, 70.00 /
  // 63.25 with this; every fit variant improved).
  const evidence: Array<{ features: EvidenceFeatures; answerable: boolean }> = [];
  // The real training questions, with what each outcome would cost their reader: the samples the thresholds are set on.
  const real: Array<{ features: EvidenceFeatures; costs: Record<AnswerOutcome, number> }> = [];
  for (const [index, group] of groupRuns(runs)) {
    const answer = await answerWith(index, { setting, scorer });
    for (const run of group) {
      const a = await answer(run.question.question, askOptions(run.question, { threshold: 0 }));
      const answerable = run.question.expect === 'answer';
      const rank = answerable ? rankOf(a.quotes.slice(0, 3).map((q) => q.text), run.question.answers) : 0;
      if (a.evidence) {
        // What the decision predicts is what answering outright promises: the first quote holds the answer.
        evidence.push({ features: a.evidence, answerable: answerable && rank === 1 });
        real.push({ features: a.evidence, costs: outcomeCosts(answerable, rank) });
      }
      if (variant.generatedNegatives && answerable && run.answerArticles.length > 0) {
        const without = await answer(run.question.question, askOptions(run.question, { threshold: 0, excludeArticles: run.answerArticles }));
        if (without.evidence) evidence.push({ features: without.evidence, answerable: false });
      }
    }
  }
  const weights = fitLogistic(evidence, 1 / evidence.length);
  // The thresholds: on the real training questions only, at what each outcome costs their reader, quotes included. The
  // generated negatives shape the evidence model, but as threshold samples they set the decline bar for a world where
  // half the questions are unanswerable (about a fifth are here); and a choice that counts only whether a question is
  // answerable answers questions whose quotes miss. Held-out cost, offline / MiniLM: 69.00 / 68.25 with every sample at
  // the decision costs, 58.50 / 57.50 with this; every fit variant improved (each change alone had been mixed).
  const thresholds = chooseThresholds(
    real.map((e) => confidence(e.features, { weights, threshold: 0.5 })),
    real.map((e) => e.costs),
  );
  return { setting, scorer, calibration: { weights, ...thresholds } };
}

const groupRuns = (runs: QuestionRun[]) => groupBy(runs, (r) => r.index);

/** What the reader of one run saw: its outcome, where its first right quote stood, and whether the answer showed early. */
export function outcomeOf(run: QuestionRun, index: string, a: Answer): Outcome {
  const answerable = run.question.expect === 'answer';
  const texts = a.quotes.map((q) => q.text);
  return {
    question: run.question.id,
    index,
    set: run.set,
    answerable,
    outcome: a.outcome,
    rank: answerable ? rankOf(texts.slice(0, 3), run.question.answers) : 0,
    shown: answerable && answerShownWithin(texts, run.question.answers),
    confidence: a.confidence,
  };
}

/** Held-out outcomes of every run: fold by fold, fitted on the other folds, answered through the real pipeline. */
export async function crossValidate(
  runs: QuestionRun[],
  samples: SweepSample[],
  answerWith: AnswerWith,
  k: number,
  variant: FitVariant = FIT_VARIANTS[0]!,
  onFold?: (fold: number, fitting: Fitting) => void,
): Promise<{ outcomes: Outcome[]; fittings: Fitting[] }> {
  const folds = foldsOf(
    runs.map((r) => r.group),
    k,
  );
  const outcomes: Outcome[] = [];
  const fittings: Fitting[] = [];
  for (let f = 0; f < k; f++) {
    const test = runs.filter((r) => folds.get(r.group) === f);
    if (test.length === 0) continue;
    const fitting = await fitOn(
      runs.filter((r) => folds.get(r.group) !== f),
      samples,
      answerWith,
      variant,
    );
    fittings.push(fitting);
    onFold?.(f, fitting);
    for (const [index, group] of groupRuns(test)) {
      const answer = await answerWith(index, fitting);
      for (const run of group) {
        const a = await answer(run.question.question, askOptions(run.question));
        outcomes.push(outcomeOf(run, index, a));
      }
    }
  }
  return { outcomes, fittings };
}
