// Whether the coverage answers a question: a logistic model over evidence features computed on the original question
// (never the expanded one), with weights and threshold fitted per embedding model by `coverage-bot eval --tune`.
import { z } from 'zod';
import { dot, minimiseByNewton, standardisation } from './newton.js';

/**
 * Evidence that the first quote answers the question, in the order of the calibration's weights. Relative evidence
 * (margins between the best candidates, agreement of passage and sentence retrieval) carries to questions worded unlike
 * the ones it was fitted on; word overlap alone does not.
 */
export const FEATURE_NAMES = [
  /** The sentence scorer's probability that the best sentence holds the answer. */
  'sentenceScore',
  /** That probability less the second best sentence's: a clear winner, or several look-alikes. */
  'scoreMargin',
  /** Cosine of the best sentence's vector to the question's. */
  'dense',
  /** The best sentence's cosine less the best cosine of a sentence from another article. */
  'denseMargin',
  /** 1 when the best sentence's article is the article of the best retrieved passage: passage and sentence agree. */
  'agreement',
  /** The best sentence holds a value of the answer type the question asks for (0 for untyped questions). */
  'typeMatch',
  /** IDF-weighted share of the question's terms found in the best sentence. */
  'termShare',
  /**
   * 1 when one candidate article mentions every name and number the question gives (focus.ts `namedTerms`), or the
   * question names none; else 0. "How much did Google pay when it bought YouTube?" is not answered by coverage without
   * YouTube.
   */
  'namesFound',
] as const;

/** Evidence that the best passage and sentence answer the question: one number per FEATURE_NAMES entry. */
export type EvidenceFeatures = Record<(typeof FEATURE_NAMES)[number], number>;

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
 * Fits logistic regression (L2-regularised, on standardised features) to labelled evidence.
 * Small development sets separate perfectly, so the regularisation keeps the weights finite and the probabilities soft.
 */
export function fitLogistic(samples: Array<{ features: EvidenceFeatures; answerable: boolean }>, l2 = 0.1): number[] {
  return fitLogisticRows(
    samples.map((s) => featureVector(s.features)),
    samples.map((s) => s.answerable),
    l2,
  );
}

/**
 * The same fit over any feature rows (e.g. the sentence scorer's): intercept first, then one weight per column. It
 * minimises the mean log loss plus l2 / 2 times the squared (standardised, intercept-free) weights by Newton's method:
 * a dozen columns make the Hessian tiny, so tens of thousands of rows fit in well under a second and the weights are
 * the optimum itself, not wherever a fixed number of gradient steps stopped.
 */
export function fitLogisticRows(xs: number[][], labels: boolean[], l2 = 0.1): number[] {
  const ys = labels.map((y) => (y ? 1 : 0));
  const dims = xs[0]?.length ?? 0;
  if (xs.length === 0) throw new Error('no samples to fit');
  const n = xs.length;
  const scaling = standardisation(xs);
  // Standardised rows with a leading 1 for the intercept.
  const zs = xs.map((x) => [1, ...scaling.standardise(x)]);
  const size = dims + 1;
  const objective = (w: number[]) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const s = dot(w, zs[i]!);
      // log(1 + e^s) - y s, computed without overflow.
      loss += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - ys[i]! * s;
    }
    let penalty = 0;
    for (let j = 1; j < size; j++) penalty += w[j]! ** 2;
    return loss / n + (l2 / 2) * penalty;
  };
  const derivatives = (w: number[]) => {
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (let i = 0; i < n; i++) {
      const z = zs[i]!;
      const p = 1 / (1 + Math.exp(-dot(w, z)));
      const curvature = p * (1 - p);
      for (let a = 0; a < size; a++) {
        gradient[a]! += (p - ys[i]!) * z[a]!;
        for (let b = 0; b <= a; b++) hessian[a]![b]! += curvature * z[a]! * z[b]!;
      }
    }
    for (let a = 0; a < size; a++) {
      gradient[a] = gradient[a]! / n + (a > 0 ? l2 * w[a]! : 0);
      for (let b = 0; b <= a; b++) hessian[a]![b] = hessian[b]![a] = hessian[a]![b]! / n + (a === b && a > 0 ? l2 : 0);
      // A column that never varies (or separable data with no penalty) leaves the Hessian singular: a tiny ridge keeps it solvable.
      hessian[a]![a]! += 1e-10;
    }
    return { gradient, hessian };
  };
  const w = minimiseByNewton(new Array<number>(size).fill(0), objective, derivatives);
  return scaling.toRaw(w[0]!, w.slice(1));
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
