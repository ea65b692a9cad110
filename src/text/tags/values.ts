// Sentence tagging, values: dates, times, numbers, money, durations and ages from wink's entities, corrected by the
// value rules (src/text/tags/rules.ts).
import { DURATION_UNITS, VALUE_RULES, WINK_KINDS, YEAR, YEAR_PREPOSITIONS, type TokenTest } from './rules.js';
import { overlaps, type Draft, type Token, type WinkEntity } from './tokens.js';

/** Matches `sequence` at token `at` (within `[at, limit]`); returns the last token index of the match or -1. */
export function matchSequence(tokens: Token[], entities: WinkEntity[], sequence: readonly TokenTest[], at: number, limit: number): number {
  let i = at;
  for (const test of sequence) {
    const token = i <= limit ? tokens[i] : undefined;
    let next = -1;
    if (token) {
      if (test.entity) {
        const e = token.entity >= 0 ? entities[token.entity] : undefined;
        if (e && e.first === i && e.last <= limit && test.entity.includes(e.type)) next = e.last + 1;
      } else if ((!test.words || test.words.includes(token.lower)) && (!test.pos || test.pos.includes(token.pos))) {
        next = i + 1;
      }
    }
    if (next < 0) {
      if (test.optional) continue;
      return -1;
    }
    i = next;
  }
  return i - 1;
}

/** Values in tokens [first, last] of one sentence: wink's entities, then the rules that correct them. */
export function valueTags(tokens: Token[], entities: WinkEntity[], first: number, last: number): Draft[] {
  const drafts: Draft[] = [];
  const seen = new Set<number>();
  for (let i = first; i <= last; i++) {
    const index = tokens[i]!.entity;
    if (index < 0 || seen.has(index)) continue;
    seen.add(index);
    const e = entities[index]!;
    // An entity running across a sentence boundary belongs to neither sentence.
    if (e.first < first || e.last > last) continue;
    let kind = WINK_KINDS[e.type];
    if (!kind) continue;
    // 'one of a dwindling group' counts nothing.
    if (e.type === 'CARDINAL' && e.first === e.last && tokens[e.first]!.lower === 'one' && tokens[e.last + 1]?.lower === 'of') continue;
    if (kind === 'duration' && !tokens.slice(e.first, e.last + 1).some((t) => DURATION_UNITS.has(t.lower))) kind = 'date';
    // wink leaves some years as cardinals ('the top 10 gadgets for 2004', '27th Jul, 2023').
    if (kind === 'number' && e.first === e.last && YEAR.test(tokens[e.first]!.text)) {
      const before = tokens[e.first - 1];
      const dateBefore = before?.text === ',' && tokens[e.first - 2] !== undefined && entities[tokens[e.first - 2]!.entity]?.type === 'DATE';
      if ((before && YEAR_PREPOSITIONS.has(before.lower)) || dateBefore) kind = 'date';
    }
    drafts.push({ kind, start: tokens[e.first]!.start, end: tokens[e.last]!.end });
  }
  const ruled: Draft[] = [];
  for (let i = first; i <= last; i++) {
    for (const rule of VALUE_RULES) {
      const end = matchSequence(tokens, entities, rule.sequence, i, last);
      if (end < i) continue;
      ruled.push({ kind: rule.kind, start: tokens[i]!.start, end: tokens[end]!.end });
      i = end;
      break;
    }
  }
  return [...drafts.filter((d) => !ruled.some((r) => overlaps(r, d))), ...ruled];
}
