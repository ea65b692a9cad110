// Turns text into the terms the lexical index and the evidence features compare: lower-cased words, stop words out, Porter2 stems.
import { eng as englishStopWords } from 'stopword';
import stem from 'wink-porter2-stemmer';
import { MAX_WORD_CHARS } from '../text/index.js';

// The stopword package's English list lacks a few words that are pure question scaffolding.
const STOP_WORDS = new Set([...englishStopWords, 'does', 'doing', 'done', 'when', 'why', 'whom', 'whose', 'yes', 'us']);

// Letters (any script), digits, and inner apostrophes or hyphens: "coup-prone", "Niger's", "1,100".
const WORD = /[\p{L}\p{N}]+(?:['’\-.,][\p{L}\p{N}]+)*/gu;

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}

// Stemming dominates indexing time and news vocabulary is small, so terms are memoised (bounded, cleared when full).
const termCache = new Map<string, string | null>();
const TERM_CACHE_LIMIT = 200_000;

/** Normalises one raw token to its index term, or null when it carries no content. */
export function toTerm(token: string): string | null {
  // The stemmer is quadratic in a word's length and no real word is this long: such a run is its own term, cut short
  // (and kept out of the cache, whose keys would otherwise hold it whole).
  if (token.length > MAX_WORD_CHARS) return token.slice(0, MAX_WORD_CHARS).toLowerCase();
  const cached = termCache.get(token);
  if (cached !== undefined) return cached;
  const term = computeTerm(token);
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  termCache.set(token, term);
  return term;
}

function computeTerm(token: string): string | null {
  // An acronym that spells a stop word ("US", "IT", "WHO") is a name, not the pronoun or the question word.
  if (/^[A-Z]{2,4}$/.test(token) && STOP_WORDS.has(token.toLowerCase())) return token.toLowerCase();
  // NFKC folds ligatures and fullwidth letters, which articles keep as written: "ﬂed" and "ｆｌｅｄ" are "fled".
  let word = token.normalize('NFKC').toLowerCase().replace(/’/g, "'");
  // Possessives index as their owner: "niger's" → "niger".
  word = word.replace(/'s$/, '');
  // Numbers drop their thousands separators ("1,100" → "1100") so that formatting does not split them; a decimal
  // point stays, or "1.5 billion" would match "15 billion".
  if (/^[\d.,]+$/.test(word)) return word.replace(/,/g, '') || null;
  // Dotted abbreviations keep their letters and are never stop words: "U.S." is the country, not the pronoun "us".
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) return word.replace(/\./g, '');
  word = word.replace(/[.,]/g, '');
  if (word.length < 2 && !/\d/.test(word)) return null;
  if (STOP_WORDS.has(word)) return null;
  return stem(word);
}

/** The raw word tokens of a text, in order (no stemming). */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Content terms of a text, in order, with repeats: what BM25 indexes and queries. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of words(text)) {
    // Hyphenated compounds also index their parts: "coup-prone" → coup-prone, coup, prone.
    const parts = token.includes('-') ? [token, ...token.split('-')] : [token];
    for (const part of parts) {
      const term = toTerm(part);
      if (term) terms.push(term);
    }
  }
  return terms;
}
