// Fitting the sentence scorer as a ranking model: within each labelled question, a softmax over its candidate sentences
// should put its weight on the ones holding the answer. Choosing a sentence is a choice among one question's candidates,
// so this is what is learned; a logistic fit over all candidates pooled instead learns which sentences answer anything,
// dominated by the many questions' easy negatives (best candidate right on dev-general, 5 folds by article: offline
// 0.46 and MiniLM 0.50 against 0.44 and 0.41 for a pooled fit).
// The scores are then mapped to a probability of holding the answer (Platt scaling), which the decision and the quote
// bar read.
import { dot, fitLogisticRows, minimiseByNewton, standardisation } from './logistic-fit.js';

/** One labelled question: its candidate sentences' feature rows, and which of them hold an answer. */
export interface RankingQuestion {
  rows: number[][];
  holdsAnswer: boolean[];
}

/**
 * Fits the weights of a softmax over each question's candidates (targets spread evenly over its answer-holding
 * sentences; mean cross-entropy per question plus l2 / 2 times the squared standardised weights) by Newton's method,
 * then the intercept and scale that turn a candidate's score into its probability of holding an answer. Returns the
 * intercept followed by one weight per column, like `fitLogisticRows` (all zero when no question has an answer among
 * its candidates). Questions without an answer-holding candidate say nothing about the order or the probability.
 */
export function fitRanking(questions: RankingQuestion[], l2 = 0.01): number[] {
  const all = questions.flatMap((q) => q.rows);
  if (all.length === 0) throw new Error('no candidate sentences to fit');
  const dims = all[0]!.length;
  const { standardise, toRaw } = standardisation(all);
  const ranked = questions
    .filter((q) => q.holdsAnswer.some(Boolean) && q.rows.length > 1)
    .map((q) => {
      const positives = q.holdsAnswer.filter(Boolean).length;
      return { zs: q.rows.map(standardise), targets: q.holdsAnswer.map((h) => (h ? 1 / positives : 0)) };
    });

  let w = new Array<number>(dims).fill(0);
  if (ranked.length > 0) {
    const objective = (weights: number[]) => {
      let loss = 0;
      for (const { zs, targets } of ranked) {
        const p = softmax(zs.map((z) => dot(weights, z)));
        targets.forEach((t, i) => (loss -= t > 0 ? t * Math.log(Math.max(p[i]!, 1e-300)) : 0));
      }
      return loss / ranked.length + (l2 / 2) * dot(weights, weights);
    };
    const derivatives = (weights: number[]) => {
      const gradient = weights.map((v) => l2 * v);
      const hessian = Array.from({ length: dims }, (_, a) => Array.from({ length: dims }, (_, b) => (a === b ? l2 + 1e-10 : 0)));
      for (const { zs, targets } of ranked) {
        const p = softmax(zs.map((z) => dot(weights, z)));
        // Expected feature vector under p: the Hessian is the covariance of the features under the softmax.
        const expected = new Array<number>(dims).fill(0);
        zs.forEach((z, i) => z.forEach((v, j) => (expected[j]! += p[i]! * v)));
        zs.forEach((z, i) => {
          const residual = p[i]! - targets[i]!;
          for (let a = 0; a < dims; a++) {
            gradient[a]! += (residual * z[a]!) / ranked.length;
            for (let b = 0; b <= a; b++) hessian[a]![b]! += (p[i]! * z[a]! * z[b]!) / ranked.length;
          }
        });
        for (let a = 0; a < dims; a++) for (let b = 0; b <= a; b++) hessian[a]![b]! -= (expected[a]! * expected[b]!) / ranked.length;
      }
      for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) hessian[b]![a] = hessian[a]![b]!;
      return { gradient, hessian };
    };
    w = minimiseByNewton(w, objective, derivatives);
  }

  // Platt scaling: the probability that a candidate with this score holds an answer, over the candidates of the same
  // questions (one whose candidates all miss says nothing about which score answers; with many of them high, the
  // mapping could even turn the order round).
  const scored = ranked.flatMap(({ zs, targets }) => zs.map((z, i) => ({ score: dot(w, z), holds: targets[i]! > 0 })));
  if (scored.length === 0) return new Array<number>(dims + 1).fill(0);
  let [intercept, scale] = fitLogisticRows(
    scored.map((s) => [s.score]),
    scored.map((s) => s.holds),
    1 / scored.length,
  ) as [number, number];
  // Across questions a higher score can go with fewer answers (when what sets questions apart runs against what sets
  // sentences apart); a mapping that fell with the score would turn the order round, so the ranking's own scale is
  // kept and only the intercept is fitted: the one where the mean probability is the share of answer sentences.
  if (!(scale > 0)) {
    scale = 1;
    intercept = interceptFor(
      scored.map((s) => s.score),
      scored.filter((s) => s.holds).length / scored.length,
    );
  }
  return toRaw(intercept, w.map((v) => scale * v));
}

/** The b with mean(sigmoid(b + score)) = share, by bisection (the mean rises with b). */
function interceptFor(scores: number[], share: number): number {
  const mean = (b: number) => scores.reduce((a, s) => a + 1 / (1 + Math.exp(-(b + s))), 0) / scores.length;
  let low = -100 - Math.max(...scores);
  let high = 100 - Math.min(...scores);
  for (let i = 0; i < 200; i++) {
    const middle = (low + high) / 2;
    if (mean(middle) < share) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function softmax(scores: number[]): number[] {
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}
