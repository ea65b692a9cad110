// Whether the coverage answers a question: a logistic model over evidence features computed on the original question
// (never the expanded one), with weights and threshold fitted per embedding model by `coverage-bot eval --tune`.
import { z } from 'zod';
import { dot, minimiseByNewton, standardisation } from './newton.js';

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
