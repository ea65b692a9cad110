// The logistic fits: the one that calibrates the no-answer confidence (per-model files: tests/answer/tuning.test.ts)
// and the same fit over any feature rows.
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, confidence, type EvidenceFeatures } from '../../src/answer/confidence.js';
import { rocAuc } from '../../src/evaluation/evaluate.js';
import { fitLogistic, fitLogisticRows } from '../../src/evaluation/logistic-fit.js';

// Score features move together; similarity is a separate signal.
const f = (score: number, sentence: number, dense: number): EvidenceFeatures => ({
  sentenceScore: score,
  scoreMargin: score,
  dense,
  denseMargin: score,
  agreement: score,
  typeMatch: 0,
  termShare: sentence,
  namesFound: score,
});

describe('fitLogistic', () => {
  // Answerable questions have high scores; the similarity column is noise shared by both classes.
  const samples = [
    { features: f(0.9, 0.8, 0.4), answerable: true },
    { features: f(1, 1, 0.7), answerable: true },
    { features: f(0.7, 0.6, 0.2), answerable: true },
    { features: f(0.8, 0.9, 0.5), answerable: true },
    { features: f(0.1, 0.1, 0.6), answerable: false },
    { features: f(0.2, 0.0, 0.3), answerable: false },
    { features: f(0, 0.15, 0.5), answerable: false },
    { features: f(0.3, 0.2, 0.2), answerable: false },
  ];

  it('separates a separable set with finite weights and probabilities strictly inside (0, 1)', () => {
    const weights = fitLogistic(samples);
    expect(weights).toHaveLength(FEATURE_NAMES.length + 1);
    for (const w of weights) expect(Number.isFinite(w)).toBe(true);
    const calibration = { weights, threshold: 0.5, fittedOn: 'toy', samples: [] };
    const p = samples.map((s) => confidence(s.features, calibration));
    for (const x of p) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
    const positives = p.filter((_, i) => samples[i]!.answerable);
    const negatives = p.filter((_, i) => !samples[i]!.answerable);
    expect(Math.min(...positives)).toBeGreaterThan(0.5);
    expect(Math.max(...negatives)).toBeLessThan(0.5);
    expect(rocAuc(p, samples.map((s) => s.answerable))).toBe(1);
    // The score features carry the signal, so they get positive weights.
    expect(weights[1]).toBeGreaterThan(0);
    expect(weights[2]).toBeGreaterThan(0);
  });

  it('keeps probabilities softer with stronger regularisation', () => {
    const spread = (l2: number) => {
      const calibration = { weights: fitLogistic(samples, l2), threshold: 0.5, fittedOn: 'toy', samples: [] };
      const p = samples.map((s) => confidence(s.features, calibration));
      return Math.max(...p) - Math.min(...p);
    };
    expect(spread(10)).toBeLessThan(spread(0.01));
  });
});

describe('fitLogisticRows', () => {
  // Rows drawn from a known logistic model (a seeded generator, so the test is the same every run).
  const generated = (n: number, weights: number[]) => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const xs: number[][] = [];
    const labels: boolean[] = [];
    for (let i = 0; i < n; i++) {
      const x = [random() * 2, random() * 10 - 5, random() < 0.3 ? 1 : 0];
      const z = weights[0]! + x.reduce((a, v, j) => a + v * weights[j + 1]!, 0);
      xs.push(x);
      labels.push(random() < 1 / (1 + Math.exp(-z)));
    }
    return { xs, labels };
  };

  it('recovers the weights that generated the data when the penalty is small beside the rows', () => {
    const truth = [-2, 1.5, -0.4, 2];
    const { xs, labels } = generated(20000, truth);
    const fitted = fitLogisticRows(xs, labels, 1 / xs.length);
    fitted.forEach((w, i) => expect(w).toBeCloseTo(truth[i]!, 0));
    expect(Math.abs(fitted[1]! - truth[1]!)).toBeLessThan(0.15);
    expect(Math.abs(fitted[3]! - truth[3]!)).toBeLessThan(0.15);
  });

  it('shrinks the weights towards zero as the penalty grows', () => {
    const { xs, labels } = generated(2000, [-2, 1.5, -0.4, 2]);
    const size = (w: number[]) => Math.hypot(...w.slice(1));
    expect(size(fitLogisticRows(xs, labels, 1))).toBeLessThan(size(fitLogisticRows(xs, labels, 0.1)));
    expect(size(fitLogisticRows(xs, labels, 0.1))).toBeLessThan(size(fitLogisticRows(xs, labels, 1 / xs.length)));
  });

  it('keeps a column that never varies at weight zero instead of failing', () => {
    const xs = [
      [0.1, 1],
      [0.9, 1],
      [0.2, 1],
      [0.8, 1],
    ];
    const weights = fitLogisticRows(xs, [false, true, false, true]);
    expect(weights.every(Number.isFinite)).toBe(true);
    expect(weights[2]).toBe(0);
    expect(weights[1]).toBeGreaterThan(0);
  });
});
