// Whether the coverage answers a question: a logistic model over evidence features computed on the original question
// (never the expanded one), with weights and threshold fitted per embedding model by `coverage-bot eval --tune`.
import { z } from 'zod';

/** Evidence that the best passage and sentence answer the question. */
export interface EvidenceFeatures {
  /** IDF-weighted share of the question's content terms found in the top passage (with its article's title). */
  passageCoverage: number;
  /** The same share in the best quote sentence. */
  sentenceCoverage: number;
  /** Cosine similarity of the question and the top passage vectors. */
  passageSimilarity: number;
  /**
   * Coverage weighted by IDF squared: dominated by the question's rarest words ("pizza", "Chicago", "router"), which a
   * large corpus matches by chance far less often than its common ones.
   */
  rareCoverage: number;
  /** passageCoverage with partial credit for similar words (word vectors) where a question word is missing. */
  softCoverage: number;
  /**
   * The sentence scorer's probability that the best sentence holds the answer: with the answer's article missing, the
   * question's words can all still be there (an on-topic trap) while no sentence looks like an answer.
   */
  sentenceScore: number;
  /** The best sentence holds a value of the answer type the question asks for (0 for untyped questions). */
  typeMatch: number;
  /**
   * The most of what the question asks (focus.ts: its asking clause, less its article's headline) that any candidate
   * sentence holds: an on-topic trap matches the story it describes but not what it asks about it.
   */
  askedCoverage: number;
  /**
   * 1 when one candidate article mentions every name and number the question gives (focus.ts `namedTerms`), or the
   * question names none; else 0. "How much did Google pay when it bought YouTube?" is not answered by coverage without
   * YouTube. All-or-nothing because one missing name is what matters: as a share, 3 of 4 names found read as nearly
   * covered (measured: cross-validated ROC AUC of the decision 0.84 with the share, 0.88 with this).
   */
  namesFound: number;
}

export const FEATURE_NAMES = [
  'passageCoverage',
  'sentenceCoverage',
  'passageSimilarity',
  'rareCoverage',
  'softCoverage',
  'sentenceScore',
  'typeMatch',
  'askedCoverage',
  'namesFound',
] as const;

export const evidenceSchema = z.object({
  passageCoverage: z.number(),
  sentenceCoverage: z.number(),
  passageSimilarity: z.number(),
  rareCoverage: z.number(),
  softCoverage: z.number(),
  sentenceScore: z.number(),
  typeMatch: z.number(),
  askedCoverage: z.number(),
  namesFound: z.number(),
});

export const calibrationSchema = z.object({
  /** Intercept followed by one weight per feature, in FEATURE_NAMES order. */
  weights: z.array(z.number()).length(FEATURE_NAMES.length + 1),
  /** Probability at or above which a question counts as answered. */
  threshold: z.number().min(0).max(1),
  /**
   * Below `threshold` but at or above this, the closest quotes are shown under a clear "not sure" label; below it the
   * coverage does not answer. Absent (or equal to `threshold`): two outcomes only.
   */
  closest: z.number().min(0).max(1).optional(),
});
export type Calibration = z.infer<typeof calibrationSchema>;

export function featureVector(f: EvidenceFeatures): number[] {
  return FEATURE_NAMES.map((name) => f[name]);
}

export function confidence(features: EvidenceFeatures, calibration: Calibration): number {
  const x = featureVector(features);
  let z = calibration.weights[0]!;
  x.forEach((v, i) => (z += calibration.weights[i + 1]! * v));
  return 1 / (1 + Math.exp(-z));
}

/**
 * Fits logistic regression (L2-regularised, gradient descent on standardised features) to labelled evidence.
 * Small development sets separate perfectly, so the regularisation keeps the weights finite and the probabilities soft.
 */
export function fitLogistic(samples: Array<{ features: EvidenceFeatures; answerable: boolean }>, l2 = 0.1): number[] {
  return fitLogisticRows(
    samples.map((s) => featureVector(s.features)),
    samples.map((s) => s.answerable),
    l2,
  );
}

/** The same fit over any feature rows (e.g. the sentence scorer's): intercept first, then one weight per column. */
export function fitLogisticRows(xs: number[][], labels: boolean[], l2 = 0.1): number[] {
  const ys = labels.map((y) => (y ? 1 : 0));
  const dims = xs[0]?.length ?? 0;
  if (xs.length === 0) throw new Error('no samples to fit');
  const mean = Array.from({ length: dims }, (_, j) => xs.reduce((a, x) => a + x[j]!, 0) / xs.length);
  const std = Array.from({ length: dims }, (_, j) =>
    Math.sqrt(xs.reduce((a, x) => a + (x[j]! - mean[j]!) ** 2, 0) / xs.length) || 1,
  );
  const zs = xs.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));
  const w = new Array(dims + 1).fill(0);
  // A fixed step diverges once it exceeds 2 / (curvature): on standardised features the loss curves at most
  // 0.25 * (dims + 1) + l2, so strong regularisation needs a smaller step (0.5 holds for the default l2).
  const step = Math.min(0.5, 1 / (0.25 * (dims + 1) + l2));
  for (let iter = 0; iter < 5000; iter++) {
    const grad = new Array(dims + 1).fill(0);
    zs.forEach((z, i) => {
      let s = w[0];
      z.forEach((v, j) => (s += w[j + 1] * v));
      const err = 1 / (1 + Math.exp(-s)) - ys[i]!;
      grad[0] += err;
      z.forEach((v, j) => (grad[j + 1] += err * v));
    });
    for (let j = 0; j <= dims; j++) w[j] -= step * (grad[j] / zs.length + (j > 0 ? l2 * w[j] : 0));
  }
  // Back to the raw feature scale.
  const weights = [w[0]];
  for (let j = 0; j < dims; j++) {
    weights.push(w[j + 1] / std[j]!);
    weights[0] -= (w[j + 1] * mean[j]!) / std[j]!;
  }
  return weights;
}

/** Area under the ROC curve of `scores` for the positive `labels` (ties count half). */
export function rocAuc(scores: number[], labels: boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}
