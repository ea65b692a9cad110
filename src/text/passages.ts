// Cuts an article into passages: greedy, sentence-aligned windows under a token budget, overlapping by a few sentences so a fact split across a window edge is still found whole.
import { splitSentences } from './sentences.js';
import type { Passage, Span } from './types.js';

export interface PassageOptions {
  /** Budget per passage: the sum of `countTokens` over its sentences. A single longer sentence still forms a passage. */
  maxTokens: number;
  /** How many sentences each window repeats from the end of the previous one. */
  overlapSentences: number;
  countTokens: (text: string) => number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MARK = /[^\s\p{L}\p{N}]/gu;

/**
 * A tokenizer-free estimate of a subword model's token count: 1.3 per word (WordPiece and BPE vocabularies split
 * rarer and longer words into about 1.3 pieces on average in English news) plus 1 per punctuation mark or symbol
 * (each is its own token). Counts "1,100" as two words and a mark, as WordPiece does. Errs high rather than low,
 * so passages built with it stay within a model's real input limit.
 */
export function approximateTokenCount(text: string): number {
  let words = 0;
  let marks = 0;
  for (const _ of text.matchAll(WORD)) words++;
  for (const _ of text.matchAll(MARK)) marks++;
  return Math.ceil(words * 1.3) + marks;
}

function checkOptions(articleId: string, opts: PassageOptions): void {
  if (!articleId) throw new TypeError('buildPassages: articleId must be a non-empty string');
  if (!(opts.maxTokens > 0) || !Number.isFinite(opts.maxTokens)) {
    throw new RangeError(`buildPassages: maxTokens must be a positive number, got ${opts.maxTokens}`);
  }
  if (!Number.isInteger(opts.overlapSentences) || opts.overlapSentences < 0) {
    throw new RangeError(`buildPassages: overlapSentences must be a whole number ≥ 0, got ${opts.overlapSentences}`);
  }
  if (typeof opts.countTokens !== 'function') throw new TypeError('buildPassages: countTokens must be a function');
}

/** Sentence-aligned, possibly overlapping windows over one article; ids are `${articleId}#${ordinal}`. */
export function buildPassages(articleId: string, text: string, opts: PassageOptions): Passage[] {
  checkOptions(articleId, opts);
  const sentences = splitSentences(text);
  const { maxTokens, overlapSentences, countTokens } = opts;
  // Tokenizers split on white space first, so a window's count is the sum of its sentences' counts: each sentence is
  // tokenized once instead of every candidate window being tokenized again (5× the article text on news corpora).
  const prefix = [0];
  for (const s of sentences) prefix.push(prefix[prefix.length - 1]! + countTokens(text.slice(s.start, s.end)));
  // Sentences first..last (inclusive) fit the budget together.
  const fits = (first: number, last: number): boolean => prefix[last + 1]! - prefix[first]! <= maxTokens;

  const passages: Passage[] = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    while (last + 1 < sentences.length && fits(first, last + 1)) last++;
    passages.push(toPassage(articleId, passages.length, text, sentences.slice(first, last + 1)));
    if (last === sentences.length - 1) break;

    // Step back for the overlap, but always start after the previous start (so the loop ends), and shed overlap
    // sentences until the first new one fits too: otherwise the window would be a subset of the previous one.
    let next = Math.max(last + 1 - overlapSentences, first + 1);
    while (next <= last && !fits(next, last + 1)) next++;
    first = next;
  }
  return passages;
}

function toPassage(articleId: string, ordinal: number, text: string, sentences: Span[]): Passage {
  const start = sentences[0]!.start;
  const end = sentences[sentences.length - 1]!.end;
  return {
    id: `${articleId}#${ordinal}`,
    articleId,
    ordinal,
    start,
    end,
    text: text.slice(start, end),
    sentences: sentences.map((s) => ({ start: s.start, end: s.end })),
  };
}
