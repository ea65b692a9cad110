// Logistic fits: the no-answer decision's calibration (over the evidence features) and any feature rows (the sentence
// scorer's Platt scaling), and the Newton's method both these fits and the sentence ranking (ranking-fit.ts) minimise
// by: their systems have one row per feature (about a dozen), so a plain elimination is exact and fast, and a numerical
// library would be a large dependency for these few functions.
import { featureVector, type EvidenceFeatures } from '../answer/index.js';

export function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Solves the symmetric system a x = b by Gaussian elimination with partial pivoting; a singular direction gets 0. */
function solveLinear(a: number[][], b: number[]): number[] {
  const size = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const diagonal = m[col]![col]!;
    if (Math.abs(diagonal) < 1e-300) continue;
    for (let r = col + 1; r < size; r++) {
      const factor = m[r]![col]! / diagonal;
      if (factor === 0) continue;
      for (let c = col; c <= size; c++) m[r]![c]! -= factor * m[col]![c]!;
    }
  }
  const x = new Array<number>(size).fill(0);
  for (let r = size - 1; r >= 0; r--) {
    let s = m[r]![size]!;
    for (let c = r + 1; c < size; c++) s -= m[r]![c]! * x[c]!;
    const diagonal = m[r]![r]!;
    x[r] = Math.abs(diagonal) < 1e-300 ? 0 : s / diagonal;
  }
  return x;
}

/**
 * Minimises a smooth convex objective from `start` by Newton steps, each halved until the objective falls (far from the
 * optimum a full step can overshoot); stops when a step no longer lowers it measurably.
 */
export function minimiseByNewton(
  start: number[],
  objective: (w: number[]) => number,
  derivatives: (w: number[]) => { gradient: number[]; hessian: number[][] },
  maxIterations = 100,
): number[] {
  let w = start;
  let current = objective(w);
  for (let iter = 0; iter < maxIterations; iter++) {
    const { gradient, hessian } = derivatives(w);
    const direction = solveLinear(hessian, gradient);
    let step = 1;
    let next = w;
    let value = current;
    for (; step > 1e-6; step /= 2) {
      next = w.map((v, j) => v - step * direction[j]!);
      value = objective(next);
      if (value <= current) break;
    }
    if (step <= 1e-6) break;
    const change = current - value;
    w = next;
    current = value;
    if (change < 1e-12) break;
  }
  return w;
}

/**
 * Feature scaling for a fit: each column to mean 0 and standard deviation 1 (a column that never varies is only
 * centred), and weights fitted on that scale back onto the raw one.
 */
export function standardisation(rows: number[][]): {
  standardise: (x: number[]) => number[];
  /** Raw-scale intercept and weights of `intercept + sum_j weights_j * standardised x_j`. */
  toRaw: (intercept: number, weights: number[]) => number[];
} {
  const dims = rows[0]?.length ?? 0;
  const mean = Array.from({ length: dims }, (_, j) => rows.reduce((a, x) => a + x[j]!, 0) / rows.length);
  const std = Array.from({ length: dims }, (_, j) => Math.sqrt(rows.reduce((a, x) => a + (x[j]! - mean[j]!) ** 2, 0) / rows.length) || 1);
  return {
    standardise: (x) => x.map((v, j) => (v - mean[j]!) / std[j]!),
    toRaw: (intercept, weights) => {
      const raw = [intercept];
      weights.forEach((w, j) => {
        raw.push(w / std[j]!);
        raw[0]! -= (w * mean[j]!) / std[j]!;
      });
      return raw;
    },
  };
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
