// The pure parts of cross-validating what is fitted per model: folds grouped by article (every question about one
// article is held out together, so no figure is a fit on its own questions), the choice of retrieval setting, the two
// decision thresholds with their costs, and the scores of held-out outcomes.
import { createHash } from 'node:crypto';
import { CLOSEST_QUOTES, type AnswerOutcome } from '../answer/index.js';

/**
 * What each outcome costs the reader, per kind of question, when its quotes are right (an answer among those shown).
 * A confident quote that does not answer is the worst mistake: 3, three times a decline, whether the question had an
 * answer or not, because the reader believes it. "Not sure" over a right quote is not free (0.5): the reader must judge
 * it, and a bot that hedges its right answers teaches its readers to ignore it. Wrong quotes and declines are priced
 * by `heldOutCost`.
 */
const DECISION_COSTS: Record<'answerable' | 'unanswerable', Record<AnswerOutcome, number>> = {
  answerable: { answered: 0, closest: 0.5, 'not-covered': 1 },
  unanswerable: { answered: 3, closest: 0.5, 'not-covered': 0 },
};

/** One question answered under one retrieval setting, with the decision left open (threshold 0). */
export interface SweepSample {
  /** Question id; with `index`, identifies the question's run. */
  question: string;
  /** Which index it ran on (e.g. "seeds-bbc"). */
  index: string;
  /** Which question file it came from. */
  set: string;
  /** Questions about the same article share a group (and so a fold). */
  group: string;
  setting: string;
  answerable: boolean;
  /** 1-based rank of the first quote holding an answer (0: none in the top 3). */
  rank: number;
  /** Every candidate sentence's scoring features, labelled by whether it holds an answer. */
  candidates: Array<{ features: number[]; holdsAnswer: boolean }>;
}

/** A held-out question decided by what the other folds fitted: what a user would have seen. */
export interface Outcome {
  question: string;
  index: string;
  set: string;
  answerable: boolean;
  outcome: AnswerOutcome;
  /** 1-based rank of the first shown quote holding an answer (0: none). */
  rank: number;
  /** An answer ends within the first 300 characters of the quoted text shown (what a reader sees first). */
  shown: boolean;
  confidence: number;
}

/** Assigns groups to k folds deterministically (by a hash of the group name), so reruns give the same split. */
export function foldsOf(groups: string[], k: number): Map<string, number> {
  const unique = [...new Set(groups)].sort((a, b) => hash(a).localeCompare(hash(b)));
  return new Map(unique.map((g, i) => [g, i % k]));
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/** The setting whose answers put an answer first most often (an answer at rank 2–3 counts 0.3). */
export function bestSetting(samples: SweepSample[]): string {
  const score = new Map<string, number>();
  for (const s of samples) {
    const value = !s.answerable ? 0 : s.rank === 1 ? 1 : s.rank >= 2 ? 0.3 : 0;
    score.set(s.setting, (score.get(s.setting) ?? 0) + value);
  }
  let best = '';
  let bestScore = -Infinity;
  for (const [setting, value] of [...score].sort(([a], [b]) => a.localeCompare(b))) {
    if (value > bestScore) {
      best = setting;
      bestScore = value;
    }
  }
  return best;
}

/**
 * The answer and closest-coverage thresholds (closest ≤ answer) with the lowest total cost over labelled confidences,
 * each sample costing what its outcome would (`outcomeCosts`: what a reader pays, quotes included); among equals, the
 * pair farthest from any sample.
 */
export function chooseThresholds(
  probabilities: number[],
  costs: Array<Record<AnswerOutcome, number>>,
): { threshold: number; closest: number } {
  const sorted = [...new Set(probabilities)].sort((a, b) => a - b);
  const cuts = [0, ...sorted.slice(1).map((p, i) => (p + sorted[i]!) / 2), 1];
  const gapOf = (t: number) => Math.min(...probabilities.map((p) => Math.abs(p - t)));
  let best = { threshold: 0.5, closest: 0.5 };
  let bestCost = Infinity;
  let bestGap = -1;
  for (let i = 0; i < cuts.length; i++) {
    for (let j = 0; j <= i; j++) {
      const threshold = cuts[i]!;
      const closest = cuts[j]!;
      let cost = 0;
      probabilities.forEach((p, n) => {
        const outcome: AnswerOutcome = p >= threshold ? 'answered' : p >= closest ? 'closest' : 'not-covered';
        cost += costs[n]![outcome];
      });
      const gap = Math.min(gapOf(threshold), gapOf(closest));
      if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && gap > bestGap)) {
        best = { threshold, closest };
        bestCost = cost;
        bestGap = gap;
      }
    }
  }
  return best;
}

/**
 * What each outcome would cost a reader of one labelled question (heldOutCost), given `rank`: the 1-based rank of the
 * first of its top three quotes holding an answer (0: none). The closest coverage shows two of those quotes.
 */
export function outcomeCosts(answerable: boolean, rank: number): Record<AnswerOutcome, number> {
  const cost = (outcome: AnswerOutcome, shown: number) => heldOutCost({ answerable, outcome, rank: shown });
  return {
    answered: cost('answered', rank),
    closest: cost('closest', rank <= CLOSEST_QUOTES ? rank : 0),
    'not-covered': cost('not-covered', 0),
  };
}

export interface OutcomeScores {
  answerable: number;
  unanswerable: number;
  /** Quotes shown (answered, or closest coverage) with an answer in the first one. */
  hitAt1: number;
  hitAt3: number;
  /** The same, counting only confident answers. */
  answeredHitAt1: number;
  /** Outcome counts of the answerable questions. */
  answerableOutcomes: Record<AnswerOutcome, number>;
  /** Outcome counts of the unanswerable questions. */
  unanswerableOutcomes: Record<AnswerOutcome, number>;
  /** Of the questions declined (not covered), the share that had no answer. */
  noAnswerPrecision: number;
  /** Of the unanswerable questions, the share declined. */
  noAnswerRecall: number;
  /** Answerable questions with an answer in the first 300 characters shown, whatever the outcome. */
  shownWithin300: number;
  /** Answerable questions answered outright, and the share of those whose first quote holds an answer. */
  answeredShare: number;
  answeredRight: number;
  /** Unanswerable questions not answered outright (declined or closest coverage). */
  unansweredShare: number;
}

export function scoreOutcomes(outcomes: Outcome[]): OutcomeScores {
  const answerable = outcomes.filter((o) => o.answerable);
  const none = outcomes.filter((o) => !o.answerable);
  const declined = outcomes.filter((o) => o.outcome === 'not-covered');
  const shown = (o: Outcome) => o.outcome !== 'not-covered';
  const share = (n: number, d: number) => (d === 0 ? Number.NaN : n / d);
  const count = (rows: Outcome[]) => ({
    answered: rows.filter((o) => o.outcome === 'answered').length,
    closest: rows.filter((o) => o.outcome === 'closest').length,
    'not-covered': rows.filter((o) => o.outcome === 'not-covered').length,
  });
  return {
    answerable: answerable.length,
    unanswerable: none.length,
    hitAt1: share(answerable.filter((o) => shown(o) && o.rank === 1).length, answerable.length),
    hitAt3: share(answerable.filter((o) => shown(o) && o.rank >= 1 && o.rank <= 3).length, answerable.length),
    answeredHitAt1: share(answerable.filter((o) => o.outcome === 'answered' && o.rank === 1).length, answerable.length),
    answerableOutcomes: count(answerable),
    unanswerableOutcomes: count(none),
    noAnswerPrecision: share(declined.filter((o) => !o.answerable).length, declined.length),
    noAnswerRecall: share(none.filter((o) => o.outcome === 'not-covered').length, none.length),
    shownWithin300: share(answerable.filter((o) => o.shown).length, answerable.length),
    answeredShare: share(answerable.filter((o) => o.outcome === 'answered').length, answerable.length),
    answeredRight: share(
      answerable.filter((o) => o.outcome === 'answered' && o.rank === 1).length,
      answerable.filter((o) => o.outcome === 'answered').length,
    ),
    unansweredShare: share(none.filter((o) => o.outcome !== 'answered').length, none.length),
  };
}

/**
 * What a held-out answer cost its reader: DECISION_COSTS, where a shown quote that misses the answer counts as what it
 * is: an answer quoting the wrong text costs as much as a false answer (3), the closest coverage missing it as much as
 * a decline (1), and a right quote below the first costs 0.5 more when answered (the reader met a wrong one first).
 */
export function heldOutCost(o: Pick<Outcome, 'answerable' | 'outcome' | 'rank'>): number {
  if (!o.answerable) return DECISION_COSTS.unanswerable[o.outcome];
  if (o.outcome === 'not-covered') return DECISION_COSTS.answerable['not-covered'];
  if (o.rank === 0) return o.outcome === 'answered' ? DECISION_COSTS.unanswerable.answered : DECISION_COSTS.answerable['not-covered'];
  return DECISION_COSTS.answerable[o.outcome] + (o.outcome === 'answered' && o.rank > 1 ? 0.5 : 0);
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
