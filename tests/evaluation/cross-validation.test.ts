// Cross-validation of per-model settings: folds keep an article's questions together, the better retrieval setting
// wins, the two thresholds follow the written-down costs, and held-out figures count what a user would have seen.
import { describe, expect, it } from 'vitest';
import { bestSetting, chooseThresholds, foldsOf, outcomeCosts, scoreOutcomes, type Outcome, type SweepSample } from '../../src/evaluation/cross-validation.js';

const sample = (question: number, setting: string, rank: number, answerable = true): SweepSample => ({
  question: `q${question}`,
  index: 'i',
  set: 's',
  group: `g${question}`,
  setting,
  answerable,
  rank,
  candidates: [],
});

const outcome = (answerable: boolean, kind: Outcome['outcome'], rank: number, shown = rank === 1): Outcome => ({
  question: 'q',
  index: 'i',
  set: 's',
  answerable,
  outcome: kind,
  rank,
  shown: answerable && kind !== 'not-covered' && shown,
  confidence: 0.5,
});

describe('foldsOf', () => {
  it('puts every group in exactly one of k folds, the same way on every run', () => {
    const groups = Array.from({ length: 23 }, (_, i) => `g${i}`);
    const a = foldsOf([...groups, ...groups], 5);
    expect(a.size).toBe(23);
    expect(new Set(a.values())).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(foldsOf(groups.slice().reverse(), 5)).toEqual(a);
  });
});

describe('bestSetting', () => {
  it('chooses the setting that puts an answer first more often, whatever unanswerable questions do', () => {
    const samples = [
      ...[1, 1, 1, 2].map((rank, q) => sample(q, 'good', rank)),
      ...[1, 0, 0, 3].map((rank, q) => sample(q, 'bad', rank)),
      sample(9, 'bad', 0, false),
    ];
    expect(bestSetting(samples)).toBe('good');
  });
});

/** Each question's outcome costs when an answerable one's first quote is right: the decision alone. */
const decisionCosts = (answerable: boolean[]) => answerable.map((a) => outcomeCosts(a, a ? 1 : 0));

describe('chooseThresholds', () => {
  it('answers the clear cases, shows the closest coverage where answerable and unanswerable mix, declines the weak ones', () => {
    const p = [0.95, 0.9, 0.6, 0.55, 0.5, 0.45, 0.2, 0.1];
    const answerable = [true, true, false, true, true, true, false, false];
    const { threshold, closest } = chooseThresholds(p, decisionCosts(answerable));
    // 0.6 to 0.45 as closest costs 0.5 + 3 × 0.5 = 2; answering them costs 3 (the unanswerable one), declining them 3.
    expect(threshold).toBeGreaterThan(0.6);
    expect(threshold).toBeLessThanOrEqual(0.9);
    expect(closest).toBeGreaterThan(0.2);
    expect(closest).toBeLessThanOrEqual(0.45);
  });

  it('keeps two outcomes where the middle holds one kind of question only', () => {
    const { threshold, closest } = chooseThresholds([0.9, 0.8, 0.3, 0.2], decisionCosts([true, true, false, false]));
    expect(closest).toBe(threshold);
  });

  it('never sets the closest threshold above the answer threshold', () => {
    const { threshold, closest } = chooseThresholds([0.9, 0.1], decisionCosts([true, false]));
    expect(closest).toBeLessThanOrEqual(threshold);
    expect(threshold).toBeGreaterThan(0.1);
    expect(threshold).toBeLessThanOrEqual(0.9);
  });
});

describe('outcomeCosts', () => {
  it('charges a confident miss three declines, "not sure" over a right quote half of one, and the closest coverage its two quotes', () => {
    expect(outcomeCosts(true, 1)).toEqual({ answered: 0, closest: 0.5, 'not-covered': 1 });
    // The right quote third: answered, the reader met two wrong ones first; the closest coverage shows only two.
    expect(outcomeCosts(true, 3)).toEqual({ answered: 0.5, closest: 1, 'not-covered': 1 });
    expect(outcomeCosts(true, 0)).toEqual({ answered: 3, closest: 1, 'not-covered': 1 });
    expect(outcomeCosts(false, 0)).toEqual({ answered: 3, closest: 0.5, 'not-covered': 0 });
  });
});

describe('chooseThresholds with quotes that miss', () => {
  it('keeps confident questions whose quotes miss out of the answers', () => {
    const p = [0.95, 0.9, 0.85, 0.8, 0.3, 0.2];
    const costs = [outcomeCosts(true, 1), outcomeCosts(true, 1), outcomeCosts(true, 0), outcomeCosts(true, 0), outcomeCosts(false, 0), outcomeCosts(false, 0)];
    const { threshold, closest } = chooseThresholds(p, costs);
    expect(threshold).toBeGreaterThan(0.85);
    expect(threshold).toBeLessThanOrEqual(0.9);
    expect(closest).toBeGreaterThan(0.3);
    expect(closest).toBeLessThanOrEqual(0.8);
  });
});

describe('scoreOutcomes', () => {
  it('counts a hit only when quotes were shown, and keeps answered-only hits apart', () => {
    const s = scoreOutcomes([
      outcome(true, 'answered', 1),
      outcome(true, 'closest', 1),
      outcome(true, 'not-covered', 1),
      outcome(true, 'answered', 3),
      outcome(false, 'closest', 0),
      outcome(false, 'not-covered', 0),
    ]);
    expect(s.hitAt1).toBe(2 / 4);
    expect(s.hitAt3).toBe(3 / 4);
    expect(s.answeredHitAt1).toBe(1 / 4);
    expect(s.answerableOutcomes).toEqual({ answered: 2, closest: 1, 'not-covered': 1 });
    expect(s.unanswerableOutcomes).toEqual({ answered: 0, closest: 1, 'not-covered': 1 });
    expect(s.noAnswerRecall).toBe(1 / 2);
    expect(s.noAnswerPrecision).toBe(1 / 2);
  });

  it('reports what a reader sees: the answer shown early whatever the label, answered share and its precision', () => {
    const s = scoreOutcomes([
      outcome(true, 'answered', 1),
      outcome(true, 'answered', 0),
      outcome(true, 'closest', 1),
      outcome(true, 'closest', 2, false),
      outcome(false, 'answered', 0),
      outcome(false, 'closest', 0),
      outcome(false, 'not-covered', 0),
    ]);
    expect(s.shownWithin300).toBe(2 / 4);
    expect(s.answeredShare).toBe(2 / 4);
    expect(s.answeredRight).toBe(1 / 2);
    expect(s.unansweredShare).toBe(2 / 3);
  });
});
