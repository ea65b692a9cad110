// Question analysis for retrieval: the question's content terms, and low-weight expansions from word-vector neighbours
// ("toppled" → ousted, overthrown, deposed) that help paraphrased questions find the article's wording.
import { idf, isStopWord, toTerm, words, type TermStats } from '../index/index.js';

/** Anything that can name a word's nearest neighbours in a word-vector space. */
export interface WordNeighbours {
  nearest(word: string, k: number, minCosine: number): Array<{ word: string; cosine: number }>;
  /** Cosine similarity of two words' vectors, or null when either has none. */
  similarity?(a: string, b: string): number | null;
}

export interface QueryTerm {
  term: string;
  /** 1 for the question's own terms, the expansion weight for neighbours. */
  weight: number;
  /** The question word this term comes from. */
  source: string;
}

export interface AnalyzedQuery {
  question: string;
  /** The question's own content terms (stemmed, unique, in order). */
  terms: string[];
  /**
   * For a question term the index never contains, the index terms it is a prefix of: the stemmer leaves "leads" →
   * "lead" but "leaders" → "leader", so the question's word appears in the coverage under another form.
   */
  variants: Map<string, string[]>;
  /** Question terms plus expansions, each with its weight. */
  weighted: QueryTerm[];
}

export interface ExpansionSettings {
  /** Neighbours per question word. */
  neighbours: number;
  minCosine: number;
  /** Weight of an expansion relative to a question term. */
  weight: number;
  /**
   * Expansions rarer than this share of passages are kept; very common neighbours ("government" for "regime")
   * add noise. Unknown terms (df 0) never help and are dropped.
   */
  maxDocumentShare: number;
}

/** An expansion occurring in fewer passages than this is never "too common". */
const MIN_COMMON_COUNT = 20;

export const DEFAULT_EXPANSION: ExpansionSettings = { neighbours: 5, minCosine: 0.6, weight: 0.3, maxDocumentShare: 0.05 };

export function analyzeQuery(
  question: string,
  stats: TermStats,
  neighbours: WordNeighbours | null,
  settings: ExpansionSettings = DEFAULT_EXPANSION,
): AnalyzedQuery {
  const terms: string[] = [];
  const weighted: QueryTerm[] = [];
  const seen = new Set<string>();
  const contentWords: string[] = [];
  for (const word of words(question)) {
    const term = toTerm(word);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    weighted.push({ term, weight: 1, source: word });
    contentWords.push(word);
  }
  if (neighbours && settings.weight > 0) {
    for (const word of contentWords) {
      // Names and numbers have no useful neighbours; vectors of capitalised words drift to other names.
      if (/\d/.test(word) || isStopWord(word)) continue;
      for (const n of neighbours.nearest(word.toLowerCase(), settings.neighbours, settings.minCosine)) {
        const term = toTerm(n.word);
        if (!term || seen.has(term)) continue;
        const df = stats.df.get(term) ?? 0;
        // The share rule needs a corpus large enough for shares to mean something (a 9-passage index has none).
        if (df === 0 || df > Math.max(MIN_COMMON_COUNT, settings.maxDocumentShare * stats.passages)) continue;
        seen.add(term);
        weighted.push({ term, weight: settings.weight * n.cosine, source: word });
      }
    }
  }
  const variants = new Map<string, string[]>();
  for (const term of terms) {
    if ((stats.df.get(term) ?? 0) > 0 || term.length < MIN_VARIANT_PREFIX || /\d/.test(term)) continue;
    // Another form of the word ("leaders" for "leads"), else a spelling one typo away ("bazuom" for "bazoum").
    const inflected = termsWithPrefix(stats, term).slice(0, MAX_VARIANTS);
    const forms = inflected.length > 0 ? inflected : term.length >= MIN_MISSPELT_LENGTH ? oneTypoAway(stats, term).slice(0, MAX_VARIANTS) : [];
    if (forms.length === 0) continue;
    variants.set(term, forms);
    for (const form of forms) {
      if (seen.has(form)) continue;
      seen.add(form);
      weighted.push({ term: form, weight: VARIANT_WEIGHT, source: term });
    }
  }
  return { question, terms, weighted, variants };
}

/** A question term shorter than this has too many unrelated extensions ("war" → "ward", "warn"). */
const MIN_VARIANT_PREFIX = 4;
const MAX_VARIANTS = 3;
/** A variant is the question's own word in another form: nearly full weight. */
const VARIANT_WEIGHT = 0.8;
/** Shorter unknown words have too many neighbours one typo away ("coup" → "soup", "cour") to correct. */
const MIN_MISSPELT_LENGTH = 5;

/**
 * Index terms one typo away from `term` (a letter dropped, added, changed, or two neighbours swapped: Damerau distance
 * 1), most frequent first. Chat questions are typed fast; the model reads a misspelt name well, BM25 not at all.
 */
export function oneTypoAway(stats: TermStats, term: string): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const found = new Set<string>();
  const consider = (candidate: string) => {
    if (candidate !== term && (stats.df.get(candidate) ?? 0) > 0) found.add(candidate);
  };
  for (let i = 0; i <= term.length; i++) {
    const head = term.slice(0, i);
    const tail = term.slice(i);
    if (tail) consider(head + tail.slice(1));
    if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of letters) {
      if (tail) consider(head + c + tail.slice(1));
      consider(head + c + tail);
    }
  }
  return [...found].sort((a, b) => (stats.df.get(b) ?? 0) - (stats.df.get(a) ?? 0) || a.localeCompare(b));
}

const sortedTerms = new WeakMap<TermStats, string[]>();

/** Index terms starting with `prefix`, most frequent first (binary search over the sorted vocabulary). */
function termsWithPrefix(stats: TermStats, prefix: string): string[] {
  let sorted = sortedTerms.get(stats);
  if (!sorted) {
    sorted = [...stats.df.keys()].sort();
    sortedTerms.set(stats, sorted);
  }
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
    // Only short extensions are inflections; "lead" → "leader" but not "leadership-contest".
    if (sorted[i]!.length - prefix.length <= 3) out.push(sorted[i]!);
  }
  return out.sort((a, b) => (stats.df.get(b) ?? 0) - (stats.df.get(a) ?? 0));
}

/** A question term's IDF; a term the index only holds in other forms takes the IDF of its commonest form. */
function termIdf(query: AnalyzedQuery, stats: TermStats, term: string): number {
  const forms = query.variants.get(term);
  return forms ? Math.min(...forms.map((f) => idf(stats, f))) : idf(stats, term);
}

/** Whether `terms` hold a question term, in its own form or another. */
function hasTerm(query: AnalyzedQuery, terms: Set<string>, term: string): boolean {
  return terms.has(term) || (query.variants.get(term)?.some((v) => terms.has(v)) ?? false);
}

/**
 * IDF-weighted share of the question's own terms found in `terms`: 1 when every content word is there. With `power` 2
 * the rarest words dominate.
 */
export function questionTermShare(query: AnalyzedQuery, terms: Set<string>, stats: TermStats, power = 1): number {
  let total = 0;
  let found = 0;
  for (const term of query.terms) {
    const weight = termIdf(query, stats, term) ** power;
    total += weight;
    if (hasTerm(query, terms, term)) found += weight;
  }
  return total === 0 ? 0 : found / total;
}
