// Whether the coverage answers a question: a logistic model over evidence features computed on the original question
// (never the expanded one), with weights and threshold fitted per embedding model by `coverage-bot eval --tune`
// (the fit: src/evaluation/logistic-fit.ts).
import { z } from 'zod';

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
