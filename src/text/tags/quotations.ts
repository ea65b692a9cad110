// Sentence tagging, quotations: quoted stretches of a sentence and who they are attributed to.
import type { Span } from '../types.js';
import { inNounPhrase, SPEECH_VERBS } from './rules.js';
import type { Token } from './tokens.js';

/**
 * Whether the quote mark at `i` opens or closes a quotation. Curly marks say so; a straight one opens after a space or
 * bracket and before a word. A single curly mark counts only in that position, so apostrophes ('Niger’s') do not.
 */
export function quoteRole(text: string, i: number): { family: 'double' | 'single'; opens: boolean } | undefined {
  const c = text[i];
  const before = i === 0 ? ' ' : text[i - 1]!;
  const after = text[i + 1] ?? ' ';
  const opensHere = /[\s([{—–-]/.test(before) && /\S/.test(after);
  if (c === '“') return { family: 'double', opens: true };
  if (c === '”') return { family: 'double', opens: false };
  if (c === '"') return { family: 'double', opens: opensHere };
  if (c === '‘' && opensHere) return { family: 'single', opens: true };
  if (c === '’' && !/[\p{L}\p{N}]/u.test(after)) return { family: 'single', opens: false };
  return undefined;
}

/** Quoted stretches of `sentence` (offsets of the text between the marks), in double or curly single quotes. */
export function quotedSpans(sentence: string): Span[] {
  const spans: Span[] = [];
  const open: Record<'double' | 'single', number> = { double: -1, single: -1 };
  const seen: Record<'double' | 'single', boolean> = { double: false, single: false };
  for (let i = 0; i < sentence.length; i++) {
    const role = quoteRole(sentence, i);
    if (!role) continue;
    const { family, opens } = role;
    if (opens) {
      if (open[family] < 0) open[family] = i + 1;
    } else if (open[family] >= 0) {
      spans.push({ start: open[family], end: i });
      open[family] = -1;
    } else if (!seen[family]) {
      // A quotation opened in an earlier sentence: 'Everything can be achieved through dialogue," he said.'
      spans.push({ start: 0, end: i });
    }
    seen[family] = true;
  }
  // …or one going on into the next sentence.
  for (const start of Object.values(open)) if (start >= 0) spans.push({ start, end: sentence.length });
  return spans
    .map((span) => trimSpan(sentence, span))
    .filter((span) => span.end - span.start >= 2 && /[\p{L}\p{N}]/u.test(sentence.slice(span.start, span.end)))
    .sort((a, b) => a.start - b.start);
}

export function trimSpan(text: string, { start, end }: Span): Span {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

/** Prepositions a speaker's noun phrase may contain ('The parties in Niger's ruling coalition', 'Secretary of State'). */
export const PHRASE_PREPOSITIONS = new Set(['of', 'and', 'in', 'at', 'for', 'from', 'to']);
/** A phrase right after one of these is an object inside a clause ('that seized power, … said'), not a speaker. */
export const NOT_BEFORE_SPEAKER = new Set(['VERB', 'AUX', 'ADP']);

/** Hyphens and full stops belong to a name only when attached to a word: 'Secretary-General', 'Col. Maj.', not ' - '. */
export function attachedMark(tokens: Token[], i: number): boolean {
  const t = tokens[i]!;
  if (t.text === '.') return tokens[i - 1]?.end === t.start;
  if (t.text === '-') return tokens[i - 1]?.end === t.start && tokens[i + 1]?.start === t.end;
  return false;
}

/** The noun phrase ending at token `at` (walking back), within [from, at]: 'Foreign Minister Hassoumi Massoudou', 'he'. */
export function phraseEndingAt(tokens: Token[], from: number, at: number): [number, number] | undefined {
  let i = at;
  if (i < from || !inNounPhrase(tokens[i]!)) return undefined;
  while (i - 1 >= from) {
    const t = tokens[i - 1]!;
    if (inNounPhrase(t) || attachedMark(tokens, i - 1)) i--;
    else if (PHRASE_PREPOSITIONS.has(t.lower) && i - 2 >= from && ['NOUN', 'PROPN', 'ADJ'].includes(tokens[i - 2]!.pos)) i--;
    else break;
  }
  // A pronoun inside the phrase ('they' in 'what they called') is the speaker on its own.
  const pronoun = tokens.slice(i, at + 1).findLastIndex((t) => t.pos === 'PRON');
  if (pronoun >= 0) return [i + pronoun, at];
  if (i - 1 >= from && NOT_BEFORE_SPEAKER.has(tokens[i - 1]!.pos)) return undefined;
  return [i, at];
}

/** The noun phrase starting at token `at` (walking forward), within [at, to]: 'said the minister'. */
export function phraseStartingAt(tokens: Token[], at: number, to: number): [number, number] | undefined {
  if (at > to || !inNounPhrase(tokens[at]!)) return undefined;
  let i = at;
  while (i + 1 <= to) {
    const t = tokens[i + 1]!;
    if (inNounPhrase(t) || attachedMark(tokens, i + 1)) i++;
    else if ((t.lower === 'of' || t.lower === 'and') && i + 2 <= to && inNounPhrase(tokens[i + 2]!)) i++;
    else break;
  }
  // 'said an "attempted coup"': a phrase with no noun names no one.
  return tokens.slice(at, i + 1).some((t) => ['NOUN', 'PROPN', 'PRON'].includes(t.pos)) ? [at, i] : undefined;
}

/** Who a quotation in tokens [first, last] is attributed to, by the speech verb nearest to it outside any quotation. */
export function attributionOf(tokens: Token[], first: number, last: number, quote: Span, quotes: Span[], text: string): string | undefined {
  const outside = (t: Token) => !quotes.some((q) => t.start >= q.start - 1 && t.end <= q.end + 1);
  const distance = (t: Token) => (t.start >= quote.end ? t.start - quote.end : quote.start - t.end);
  let best: number | undefined;
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    if (!SPEECH_VERBS.has(t.lower) || !outside(t)) continue;
    if (t.lower === 'according' && tokens[i + 1]?.lower !== 'to') continue;
    if (best === undefined || distance(t) < distance(tokens[best]!)) best = i;
  }
  if (best === undefined) return undefined;
  const phrase = (range: [number, number] | undefined) => {
    if (!range) return undefined;
    const from = range[0];
    let to = range[1];
    // 'said Mr Irish.': the sentence's full stop is not part of the name.
    while (to > from && tokens[to]!.text === '.') to--;
    return outside(tokens[from]!) && outside(tokens[to]!) ? text.slice(tokens[from]!.start, tokens[to]!.end) : undefined;
  };
  if (tokens[best]!.lower === 'according') return phrase(phraseStartingAt(tokens, best + 2, last));
  let before = best - 1;
  // 'Abdramane also said'
  while (before >= first && tokens[before]!.pos === 'ADV') before--;
  const previous = before >= first ? tokens[before] : undefined;
  if (previous?.text === ',') {
    // 'X, who represents a group called …, said': the speaker stands before the clause between commas.
    let comma = before - 1;
    while (comma >= first && tokens[comma]!.text !== ',' && outside(tokens[comma]!)) comma--;
    const speaker = comma >= first && tokens[comma]!.text === ',' ? phrase(phraseEndingAt(tokens, first, comma - 1)) : undefined;
    // …or it follows the verb: '"…," said the minister'.
    return speaker ?? phrase(phraseStartingAt(tokens, best + 1, last));
  }
  if (previous && outside(previous)) {
    const speaker = phrase(phraseEndingAt(tokens, first, before));
    if (speaker) return speaker;
  }
  return phrase(phraseStartingAt(tokens, best + 1, last));
}
