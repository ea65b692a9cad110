// The sentence scorer's ranking fit: a softmax over each question's candidates, then a probability mapping.
import { describe, expect, it } from 'vitest';
import { fitLogisticRows } from '../../src/evaluation/logistic-fit.js';
import { fitRanking, type RankingQuestion } from '../../src/evaluation/ranking-fit.js';
import { scoreSentence } from '../../src/answer/sentences.js';

// Seeded, so every run sees the same questions.
function generator(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * Questions whose answer sentence has the highest `match` within its question, while questions differ in how high
 * every sentence's `match` is (some questions share many words with their whole article), and `length` says nothing.
 */
function questions(n: number, seed: number, spread = 3): RankingQuestion[] {
  const random = generator(seed);
  return Array.from({ length: n }, () => {
    const level = random() * spread;
    const candidates = 5 + Math.floor(random() * 20);
    const answer = Math.floor(random() * candidates);
    const rows = Array.from({ length: candidates }, (_, i) => [level + (i === answer ? 1 : random() * 0.8), random() * 2]);
    return { rows, holdsAnswer: rows.map((_, i) => i === answer) };
  });
}

const firstIsAnswer = (weights: number[], q: RankingQuestion) => {
  const scores = q.rows.map((x) => scoreSentence({ weights }, x));
  return q.holdsAnswer[scores.indexOf(Math.max(...scores))] === true;
};

describe('fitRanking', () => {
  it('puts the answer sentence first on questions it was not fitted on, whatever their overall level', () => {
    const weights = fitRanking(questions(200, 7));
    const unseen = questions(200, 99);
    expect(unseen.filter((q) => firstIsAnswer(weights, q)).length).toBe(unseen.length);
    // The deciding column carries the weight; the uninformative one next to none.
    expect(weights[1]!).toBeGreaterThan(5 * Math.abs(weights[2]!));
  });

  it('learns what tells sentences of one question apart, where a pooled logistic fit learns what tells questions apart', () => {
    // Short candidate lists have a high share of answers, and their sentences score high on `other`; within a question
    // a high `other` is a sign against (the answer has the lowest). Pooled over all candidates, `other` looks good.
    const tricky = (n: number, seed: number): RankingQuestion[] => {
      const random = generator(seed);
      return Array.from({ length: n }, () => {
        const few = random() < 0.5;
        const candidates = few ? 4 : 30;
        const answer = Math.floor(random() * candidates);
        const rows = Array.from({ length: candidates }, (_, i) => [
          i === answer ? 0.6 : random(),
          (few ? 3 : 0) + (i === answer ? 0 : random() * 2),
        ]);
        return { rows, holdsAnswer: rows.map((_, i) => i === answer) };
      });
    };
    const fitted = tricky(300, 21);
    const unseen = tricky(300, 22);
    const ranking = fitRanking(fitted);
    const pooled = fitLogisticRows(
      fitted.flatMap((q) => q.rows),
      fitted.flatMap((q) => q.holdsAnswer),
      1e-4,
    );
    const firsts = (weights: number[]) => unseen.filter((q) => firstIsAnswer(weights, q)).length;
    expect(ranking[2]!).toBeLessThan(0);
    expect(pooled[2]!).toBeGreaterThan(0);
    expect(firsts(ranking)).toBeGreaterThan(firsts(pooled) + 50);
  });

  it('gives probabilities: over many candidates, their mean is the share that hold an answer', () => {
    // Questions closer in level, so a score also says something across questions.
    const fitted = questions(300, 3, 0.3);
    const weights = fitRanking(fitted);
    const rows = fitted.flatMap((q) => q.rows.map((x, i) => ({ p: scoreSentence({ weights }, x), holds: q.holdsAnswer[i]! })));
    const meanP = rows.reduce((a, r) => a + r.p, 0) / rows.length;
    const share = rows.filter((r) => r.holds).length / rows.length;
    expect(meanP).toBeCloseTo(share, 2);
    // The answer sentences are the likely ones (not certain: a question's overall level blurs the absolute score).
    const mean = (xs: typeof rows) => xs.reduce((a, r) => a + r.p, 0) / xs.length;
    expect(mean(rows.filter((r) => r.holds))).toBeGreaterThan(3 * mean(rows.filter((r) => !r.holds)));
  });

  it('learns the order from questions with an answer among their candidates and ignores the rest for it', () => {
    const withAnswers = questions(100, 11);
    const without = questions(100, 12).map((q) => ({ rows: q.rows.map(([m, l]) => [m! + 5, l!]), holdsAnswer: q.holdsAnswer.map(() => false) }));
    const weights = fitRanking([...withAnswers, ...without]);
    expect(questions(100, 13).filter((q) => firstIsAnswer(weights, q)).length).toBe(100);
  });

  it('fails clearly with no candidates at all, and learns nothing when no candidate holds an answer', () => {
    expect(() => fitRanking([])).toThrow(/no candidate sentences/);
    const none = questions(20, 5).map((q) => ({ ...q, holdsAnswer: q.holdsAnswer.map(() => false) }));
    expect(fitRanking(none)).toEqual([0, 0, 0]);
  });
});
