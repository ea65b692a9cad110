// Term statistics of an index: in how many passages each analysed term occurs. The IDF behind query expansion filters
// and the evidence features is computed from these, so every index (local or not) must provide them.
import { slicedPause } from '../event-loop.js';
import type { Passage } from '../text/index.js';
import { analyze } from './analyzer.js';

export interface TermStats {
  /** Number of passages counted. */
  passages: number;
  /** Term → number of passages containing it. */
  df: Map<string, number>;
}

/** Inverse passage frequency of a term (BM25's form, always positive). */
export function idf(stats: TermStats, term: string): number {
  const df = stats.df.get(term) ?? 0;
  return Math.log(1 + (stats.passages - df + 0.5) / (df + 0.5));
}

/** Counts the passages each analysed term occurs in, yielding to the event loop as it goes. */
export async function countTerms(passages: Passage[]): Promise<TermStats> {
  const df = new Map<string, number>();
  const pause = slicedPause();
  for (const p of passages) {
    await pause();
    for (const term of new Set(analyze(p.text))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  return { passages: passages.length, df };
}
