// Sentence tags: which kinds of entity and value each sentence holds (dates, times, numbers, money, durations, ages,
// people, organisations, places, direct quotations with who said them), as exact character offsets into the sentence,
// so the answer step can prefer and emphasise sentences holding the kind of value a question asks for.
//
// Values come from wink-nlp's named-entity recogniser, people/organisations/places from compromise's lexicon read over
// wink's tokens; small token rules (src/text/tags/rules.ts) add what neither covers and correct what they split apart.
// The passes live beside this file: tokens, values, names, quotations; this file runs them over a text and puts their
// results together.
import { blankLongRuns } from './long-tokens.js';
import type { Span } from './types.js';
import { extendPeople, lexiconNames, lexiconTags, resolveNames, ruleNames } from './tags/names.js';
export { isDemonym } from './tags/names.js';
import { attributionOf, quotedSpans } from './tags/quotations.js';
import { PERSON_LEXICON_TAGS, PRIORITY } from './tags/rules.js';
import { overlaps, tokenize, type Draft, type Token, type WinkEntity } from './tags/tokens.js';
import { valueTags } from './tags/values.js';
export type TagKind =
  | 'date'
  | 'time'
  | 'number'
  | 'money'
  | 'duration'
  | 'age'
  | 'person'
  | 'organisation'
  | 'place'
  | 'quotation';

export interface SentenceTag {
  kind: TagKind;
  /** Half-open character offsets into the sentence text: `sentence.slice(start, end)` is the tagged text. */
  start: number;
  end: number;
  /** For quotations: who said it, as written in the sentence ('he', 'Foreign Minister Hassoumi Massoudou'), when found. */
  attribution?: string;
}

// ---------------------------------------------------------------------------------------------------------------------
// The API.

/**
 * Tags of every sentence of `text`: `sentences` are spans into it (as `splitSentences` gives), and each sentence's tags
 * have offsets relative to that sentence's start. Tagging a whole article at once is much faster than sentence by
 * sentence: both libraries pay a fixed cost per call.
 */
export function tagText(text: string, sentences: Span[]): SentenceTag[][] {
  return tagSpans(text, sentences, () => 0);
}

/** The tokens lying wholly inside each sentence, as [first, last] token indexes (last < first: none). */
function sentenceTokenRanges(tokens: Token[], sentences: Span[]): Array<[number, number]> {
  const firstTokenAt = (offset: number) => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sentences.map((span): [number, number] => {
    const first = firstTokenAt(span.start);
    let end = first;
    while (end < tokens.length && tokens[end]!.end <= span.end) end++;
    return [first, end - 1];
  });
}

/** Each sentence's values and names: wink's values with the value rules, the lexicon's names with the name rules. */
function valuesAndNames(text: string, tokens: Token[], entities: WinkEntity[], rangeOf: Array<[number, number]>) {
  return rangeOf.map(([first, last]) => {
    if (last < first) return { values: [] as Draft[], names: [] as Draft[] };
    const values = valueTags(tokens, entities, first, last);
    const words = tokens.slice(first, last + 1).filter((tk) => /\p{L}/u.test(tk.text));
    const shouting = words.length >= 3 && words.filter((tk) => tk.text === tk.text.toUpperCase()).length / words.length > 0.6;
    const names = resolveNames([...lexiconNames(tokens, entities, first, last), ...ruleNames(tokens, entities, first, last, shouting)], values);
    extendPeople(names, tokens, first, last, text);
    return { values, names };
  });
}

/** An article names a person in full once ('Mohamed Bazoum') and by surname after: the surnames of each document. */
function surnamesByDocument(text: string, found: Array<{ names: Draft[] }>, documentOf: (sentence: number) => number): Map<number, Set<string>> {
  const surnamesOf = new Map<number, Set<string>>();
  found.forEach(({ names }, index) => {
    const document = documentOf(index);
    if (!surnamesOf.has(document)) surnamesOf.set(document, new Set());
    for (const n of names) {
      const surname = text.slice(n.start, n.end).split(/\s+/);
      // Only a word that is nothing else in compromise's lexicon: 'Bazoum', not the 'South' of 'Brent South'.
      const known = surname.length >= 2 ? lexiconTags(surname.at(-1)!) : [];
      if (n.kind === 'person' && surname.length >= 2 && known.every((tag) => PERSON_LEXICON_TAGS.has(tag))) {
        surnamesOf.get(document)!.add(surname.at(-1)!);
      }
    }
  });
  return surnamesOf;
}

/** Tags the surname of a person named earlier in the document wherever it stands alone ('Bazoum was elected'). */
function addSurnames(names: Draft[], values: Draft[], tokens: Token[], [first, last]: [number, number], surnames: Set<string>): void {
  for (let i = first; i <= last && surnames.size > 0; i++) {
    const t = tokens[i]!;
    if (surnames.has(t.text) && !names.some((n) => overlaps(n, t)) && !values.some((v) => overlaps(v, t))) {
      names.push({ kind: 'person', start: t.start, end: t.end, priority: PRIORITY.surname });
    }
  }
}

/** 'Mohamed Bazoum (63)', 'Mr Boateng, 53, is to…': a number in brackets or commas right after a person is an age. */
function addAges(values: Draft[], names: Draft[], text: string, span: Span): void {
  for (const person of names.filter((n) => n.kind === 'person')) {
    const match = /^(?: ?\((\d{1,3})\)|, (\d{1,3}),)/.exec(text.slice(person.end, span.end));
    const years = match?.[1] ?? match?.[2];
    if (!match || !years || Number(years) > 120) continue;
    const start = person.end + match[0].indexOf(years);
    const age: Draft = { kind: 'age', start, end: start + years.length };
    for (let k = values.length - 1; k >= 0; k--) if (overlaps(values[k]!, age)) values.splice(k, 1);
    values.push(age);
  }
}

/** The sentence's quotations, each with who said it when that is found. */
function quotationsOf(text: string, span: Span, tokens: Token[], [first, last]: [number, number]): Draft[] {
  const sentence = text.slice(span.start, span.end);
  const quotes = quotedSpans(sentence).map((q) => ({ start: span.start + q.start, end: span.start + q.end }));
  return quotes.map((q): Draft => {
    const attribution = attributionOf(tokens, first, last, q, quotes, text);
    return { kind: 'quotation', ...q, ...(attribution ? { attribution } : {}) };
  });
}

// The passes compare names within a sentence pairwise, which is quadratic in its length: a run-on "sentence" of a pasted
// list (100,000 capitalised words took minutes) is tagged a piece of this many tokens at a time. News sentences are far
// shorter, so they are tagged whole.
const MAX_PIECE_TOKENS = 250;

/** A stretch of one sentence tagged as a unit: the whole sentence, or one piece of a very long one. */
interface Piece {
  sentence: number;
  span: Span;
  range: [number, number];
}

function piecesOf(tokens: Token[], sentences: Span[], rangeOf: Array<[number, number]>): Piece[] {
  const pieces: Piece[] = [];
  sentences.forEach((span, sentence) => {
    const [first, last] = rangeOf[sentence]!;
    if (last - first < MAX_PIECE_TOKENS) {
      pieces.push({ sentence, span, range: [first, last] });
      return;
    }
    for (let from = first; from <= last; from += MAX_PIECE_TOKENS) {
      const to = Math.min(last, from + MAX_PIECE_TOKENS - 1);
      pieces.push({ sentence, span: { start: tokens[from]!.start, end: tokens[to]!.end }, range: [from, to] });
    }
  });
  return pieces;
}

/**
 * Tags of `sentences` of `text`; `documentOf(i)` says which document sentence i belongs to (surnames link within one).
 * Passes: tokens, then each sentence's values and names, then the documents' surnames, then per sentence the surnames
 * standing alone, ages after people and quotations.
 */
function tagSpans(source: string, sentences: Span[], documentOf: (sentence: number) => number): SentenceTag[][] {
  // wink-nlp and the rules below slow down badly on very long tokens, which hold no tag: blanked out, offsets unchanged.
  const text = blankLongRuns(source);
  const { tokens, entities } = tokenize(text);
  const pieces = piecesOf(tokens, sentences, sentenceTokenRanges(tokens, sentences));
  const found = valuesAndNames(text, tokens, entities, pieces.map((p) => p.range));
  const documentOfPiece = (index: number) => documentOf(pieces[index]!.sentence);
  const surnamesOf = surnamesByDocument(text, found, documentOfPiece);

  const tags: SentenceTag[][] = sentences.map(() => []);
  pieces.forEach(({ sentence, span, range }, index) => {
    const { values, names } = found[index]!;
    if (range[1] < range[0]) return;
    addSurnames(names, values, tokens, range, surnamesOf.get(documentOfPiece(index))!);
    addAges(values, names, text, span);
    const quotations = quotationsOf(text, span, tokens, range);
    const offset = sentences[sentence]!.start;
    for (const d of [...values, ...names, ...quotations]) {
      if (d.end <= d.start) continue;
      tags[sentence]!.push({
        kind: d.kind,
        start: d.start - offset,
        end: d.end - offset,
        ...(d.attribution ? { attribution: d.attribution } : {}),
      });
    }
  });
  for (const list of tags) list.sort((x, y) => x.start - y.start || y.end - x.end);
  return tags;
}

/** Tags of one sentence, offsets relative to it. For many sentences, `tagText` or `tagSentences` is much faster. */
export function tagSentence(text: string): SentenceTag[] {
  return tagText(text, [{ start: 0, end: text.length }])[0]!;
}

/** Tags of each of `texts` (each its own document), tagged together in one pass for speed: the same as `tagSentence` on each. */
export function tagSentences(texts: string[]): SentenceTag[][] {
  const spans: Span[] = [];
  let at = 0;
  for (const text of texts) {
    spans.push({ start: at, end: at + text.length });
    at += text.length + 1;
  }
  return tagSpans(texts.join('\n'), spans, (i) => i);
}
