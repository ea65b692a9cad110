// Splits an article's text into sentence spans: lines first, then Intl.Segmenter's sentence breaks within each line (plus dash-opened sentences it misses), minus the false breaks the exception list re-joins.
import { isFalseBreak } from './abbreviations.js';
import type { Span } from './types.js';

// Every line is its own paragraph: a caption, credit or heading line must never run into the next one.
const LINE = /[^\n\r\v\f\u0085\u2028\u2029]+/g;
const WHITESPACE = /\s/;

let segmenter: Intl.Segmenter | undefined;

// Built once: constructing a segmenter loads ICU break rules.
function sentenceSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  return segmenter;
}

/** Narrows [start, end) to exclude surrounding whitespace; an all-whitespace range comes back empty. */
function trimRange(text: string, start: number, end: number): Span {
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  return { start, end };
}

// A terminal mark, closing quotes or brackets, then a dash opening a capitalised sentence: flattened bullet points and
// run-in subheads ('...forward without strong supporting evidence. - The government should...'), which the segmenter
// leaves joined.
const DASH_OPENED_SENTENCE = /[.?!…]["”’')\]]*\s+(?=[-–—]+\s+["“‘]?\p{Lu})/gu;

/** Offsets (into the paragraph) where a sentence may start, after the first: the segmenter's breaks plus dash-opened sentences. */
function candidateBreaks(paragraph: string): number[] {
  const breaks = new Set<number>();
  for (const { index } of sentenceSegmenter().segment(paragraph)) if (index > 0) breaks.add(index);
  for (const match of paragraph.matchAll(DASH_OPENED_SENTENCE)) breaks.add(match.index + match[0].length);
  return [...breaks].sort((a, b) => a - b);
}

function splitParagraph(text: string, start: number, end: number, into: Span[]): void {
  const paragraph = text.slice(start, end);
  // Segments are substrings of the input by specification, so every break is an exact offset: nothing to re-locate.
  const breaks = candidateBreaks(paragraph);
  let sentenceStart = 0;
  let previousBreak = 0;
  for (let i = 0; i < breaks.length; i++) {
    const at = breaks[i]!;
    const before = paragraph.slice(previousBreak, at);
    const after = paragraph.slice(at, breaks[i + 1] ?? paragraph.length);
    previousBreak = at;
    if (isFalseBreak(before, after)) continue;
    pushTrimmed(text, start + sentenceStart, start + at, into);
    sentenceStart = at;
  }
  pushTrimmed(text, start + sentenceStart, end, into);
}

/**
 * The longest span read as one sentence: twice the longest sentences of news prose. A line with no sentence end (a
 * pasted table, a 4.9 MB one-line file) is cut into pieces of at most this many characters, between words where it can,
 * so no quote is longer: the bot cuts a quote to fit its 4,096-character embed, but `ask` and `--json` print it whole.
 */
export const MAX_SENTENCE_CHARS = 2_000;

function pushTrimmed(text: string, start: number, end: number, into: Span[]): void {
  let span = trimRange(text, start, end);
  while (span.end - span.start > MAX_SENTENCE_CHARS) {
    let cut = span.start + MAX_SENTENCE_CHARS;
    // Back to the last white space in the second half of the piece; without one, a hard cut, outside a surrogate pair.
    let at = cut;
    while (at > span.start + MAX_SENTENCE_CHARS / 2 && !WHITESPACE.test(text[at]!)) at--;
    if (WHITESPACE.test(text[at]!)) cut = at;
    else if (/[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
    const piece = trimRange(text, span.start, cut);
    if (piece.start < piece.end) into.push(piece);
    span = trimRange(text, cut, span.end);
  }
  if (span.start < span.end) into.push(span);
}

/**
 * Sentence spans of `text`, as half-open offsets into it: in order, non-overlapping, never starting or ending with
 * whitespace, never crossing a line break, and together covering every non-whitespace character.
 */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  for (const line of text.matchAll(LINE)) {
    const { start, end } = trimRange(text, line.index, line.index + line[0].length);
    if (start < end) splitParagraph(text, start, end, spans);
  }
  return spans;
}
