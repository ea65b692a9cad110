// The no-answer confidence: the logistic function of the calibration's weights over the evidence features (the fit:
// tests/evaluation/logistic-fit.test.ts; per-model files: tuning.test.ts).
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, confidence, type EvidenceFeatures } from '../../src/answer/confidence.js';

describe('confidence', () => {
  it('is the logistic function of intercept plus weighted features', () => {
    const features: EvidenceFeatures = { sentenceScore: 0.5, scoreMargin: 0.5, dense: 0.4, denseMargin: 0.5, agreement: 0.5, typeMatch: 0, termShare: 0.9, namesFound: 0.5 };
    const weights = [-1, ...FEATURE_NAMES.map((_, i) => 0.5 * (i + 1))];
    const z = weights[0]! + FEATURE_NAMES.reduce((sum, name, i) => sum + weights[i + 1]! * features[name], 0);
    const calibration = { weights, threshold: 0.5, fittedOn: 'hand', samples: [] };
    expect(confidence(features, calibration)).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
    expect(confidence(features, { ...calibration, weights: weights.map(() => 0) })).toBe(0.5);
  });
});
