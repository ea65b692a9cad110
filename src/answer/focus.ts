// What a question asks, as distinct from how it names its story. "In the story where a defender says fans are bored of
// the bids, why did the board turn down the earlier offers?" names its article in the first clause and asks in the
// second; the headline's words name the story too. Retrieval uses every word to find the article; choosing the
// sentence within it weighs the asking clause's words, since the describing words match the lead, not the answer.
import { analyze } from '../index/analyzer.js';
import type { AnalyzedQuery } from '../retrieval/query.js';

const QUESTION_WORD = /\b(what|who|whom|whose|when|where|why|how|which)\b/i;
/** Clause boundaries inside a question: commas, semicolons, colons, brackets and spaced dashes. */
const CLAUSE_BREAK = /\s[-–—]\s|[,;:()]/;
/** A describing word counts this much against an asking one when a sentence is matched to the question. */
export const DESCRIBING_WEIGHT = 0.3;

/**
 * The clause that asks: the last clause holding a question word ("…, why did the board turn down the offers?"); the
 * whole question when none does ("Bazoum's successor?").
 */
export function askingClause(question: string): string {
  const asking = question.split(CLAUSE_BREAK).filter((clause) => QUESTION_WORD.test(clause));
  return (asking.at(-1) ?? question).trim();
}

/** The analysed terms of the asking clause. */
export function focusTerms(question: string): Set<string> {
  return new Set(analyze(askingClause(question)));
}

/**
 * IDF-weighted share of the question's own terms found in a sentence, each term weighted by what it does: an asking
 * term 1, a describing one DESCRIBING_WEIGHT, a term of the article's headline 0 (it names the story, which every
 * sentence of the article is about).
 */
export function focusCoverage(
  query: AnalyzedQuery,
  focus: Set<string>,
  headline: Set<string>,
  sentence: Set<string>,
  idfOf: (term: string) => number,
): number {
  let total = 0;
  let found = 0;
  for (const term of query.terms) {
    const forms = [term, ...(query.variants.get(term) ?? [])];
    if (forms.some((f) => headline.has(f))) continue;
    const weight = idfOf(term) * (focus.has(term) ? 1 : DESCRIBING_WEIGHT);
    total += weight;
    if (forms.some((f) => sentence.has(f))) found += weight;
  }
  return total === 0 ? 0 : found / total;
}
