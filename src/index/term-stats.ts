// Term statistics of an index: in how many passages each analysed term occurs. The IDF behind query expansion filters
// and the evidence features is computed from these, so every index (local or not) must provide them.
import { slicedPause } from '../event-loop.js';
import type { Passage } from '../text/index.js';
import { words } from './analyzer.js';
import { documentFrequencies, type LexicalIndex } from './lexical.js';

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

/**
 * The statistics of a build: the passage frequencies read off the BM25 postings of the passage-text field (which hold
 * exactly the passages each analysed term occurs in, so the text is not analysed twice), and the passages' words,
 * collected yielding to the event loop as it goes.
 */
export async function termStatsOf(passages: readonly Passage[], lexical: LexicalIndex): Promise<TermStats> {
  const vocabulary = new Set<string>();
  const pause = slicedPause();
  for (const p of passages) {
    await pause();
    for (const word of words(p.text)) vocabulary.add(word.toLowerCase());
  }
  return { passages: passages.length, df: documentFrequencies(lexical, 'text'), vocabulary: [...vocabulary] };
}
