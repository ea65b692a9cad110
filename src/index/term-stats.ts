// Term statistics of an index: in how many passages each analysed term occurs. The IDF behind query expansion filters
// and the evidence features is computed from these, so every index (local or not) must provide them.
import { slicedPause } from '../event-loop.js';
import type { Passage } from '../text/index.js';
import { analyze, words } from './analyzer.js';

export interface TermStats {
  /** Number of passages counted. */
  passages: number;
  /** Term → number of passages containing it. */
  df: Map<string, number>;
  /** The passages' distinct lower-cased words (unstemmed): where query expansion looks for a word's neighbours. */
  vocabulary: readonly string[];
}

/** Inverse passage frequency of a term (BM25's form, always positive). */
export function idf(stats: TermStats, term: string): number {
  const df = stats.df.get(term) ?? 0;
  return Math.log(1 + (stats.passages - df + 0.5) / (df + 0.5));
}

/** Counts the passages each analysed term occurs in and collects their words, yielding to the event loop as it goes. */
export async function countTerms(passages: Passage[]): Promise<TermStats> {
  const df = new Map<string, number>();
  const vocabulary = new Set<string>();
  const pause = slicedPause();
  for (const p of passages) {
    await pause();
    for (const term of new Set(analyze(p.text))) df.set(term, (df.get(term) ?? 0) + 1);
    for (const word of words(p.text)) vocabulary.add(word.toLowerCase());
  }
  return { passages: passages.length, df, vocabulary: [...vocabulary] };
}
