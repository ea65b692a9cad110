// Sentence tagging, tokens: wink's tokens with exact character offsets, and the tags under construction over them
// (absolute offsets into the whole text, with where they came from, for overlap decisions).
import type { ItemEntity, WinkMethods } from 'wink-nlp';
import { createRequire } from 'node:module';
import type { TagKind } from '../tags.js';

const require = createRequire(import.meta.url);

export interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
  pos: string;
  /** Index into the entity list of the wink entity this token belongs to, or -1. */
  entity: number;
}

export interface WinkEntity {
  type: string;
  first: number;
  last: number;
}

export let winkInstance: WinkMethods | undefined;

// Built once: loading the model takes a tenth of a second. Only part of speech and entities run: sentence breaks,
// negation and sentiment would double the time and change neither (checked on 200 BBC articles).
export function wink(): WinkMethods {
  winkInstance ??= (require('wink-nlp') as typeof import('wink-nlp').default)(require('wink-eng-lite-web-model'), ['pos', 'ner']);
  return winkInstance;
}

/** wink's tokens of `text` with exact offsets, and its entities as token ranges. */
export function tokenize(text: string): { tokens: Token[]; entities: WinkEntity[] } {
  const nlpw = wink();
  const its = nlpw.its;
  const doc = nlpw.readDoc(text);
  const values = doc.tokens().out() as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  // wink keeps every character as a token value or a preceding space, so offsets are a running sum; each one is
  // checked against the text, and a token that cannot be found (none in the BBC corpus) becomes an empty token that no
  // rule matches, rather than shifting every offset after it.
  const tokens: Token[] = [];
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let start = cursor + (spaces[i]?.length ?? 0);
    if (!text.startsWith(value, start)) start = text.indexOf(value, cursor);
    if (start < 0) {
      tokens.push({ text: '', lower: '', start: cursor, end: cursor, pos: 'X', entity: -1 });
      continue;
    }
    tokens.push({ text: value, lower: value.toLowerCase(), start, end: start + value.length, pos: tags[i] ?? 'X', entity: -1 });
    cursor = start + value.length;
  }
  const entities: WinkEntity[] = [];
  doc.entities().each((e: ItemEntity) => {
    const [first, last] = e.out(its.span) as unknown as [number, number];
    for (let i = first; i <= last; i++) tokens[i]!.entity = entities.length;
    entities.push({ type: e.out(its.type) as string, first, last });
  });
  return { tokens, entities };
}

export interface Draft {
  kind: TagKind;
  start: number;
  end: number;
  /** For names: which wins where two overlap (PRIORITY). */
  priority?: number;
  attribution?: string;
}

export const isCapitalised = (t: Token) => /^\p{Lu}/u.test(t.text);
export const isAcronym = (t: Token) => /^\p{Lu}{2,6}$/u.test(t.text);
export const dotless = (s: string) => s.replace(/\./g, '');

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

