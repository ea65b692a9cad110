// Sentence tagging, names: people, organisations and places — compromise over windows of text around capitalised words,
// then the rules it needs (titled people, organisation names, acronyms, places by context).
import { createRequire } from 'node:module';
import type Compromise from 'compromise';
import type { TagKind } from '../tags.js';
import { LEXICON_PLACE_TAGS, LOCATIVE_PREPOSITIONS, NAME_CONNECTORS, NOT_ORGANISATION_ACRONYMS, ORGANISATION_HEADS, PERSON_TITLES, PLACE_ACRONYMS, PLACE_NOUNS, PRIORITY } from './rules.js';
import { dotless, isAcronym, isCapitalised, overlaps, type Draft, type Token, type WinkEntity } from './tokens.js';

// The libraries load on the first tagging call (synchronously, through their CommonJS builds): compromise alone takes
// ~0.4 s to load, which every command that never tags (a no-change ingest, `sources`, `--help`) would otherwise pay.
const require = createRequire(import.meta.url);
let compromise: typeof Compromise | undefined;
const compromiseLib = (): typeof Compromise => (compromise ??= require('compromise') as typeof Compromise);
const nlp = (text: string) => compromiseLib()(text);

export interface CompromiseTerm {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}

export interface CompromiseMatch {
  terms: CompromiseTerm[];
}

export interface Window {
  /** Offset of the window in the text given to compromise. */
  at: number;
  /** Offset of the window in the original text. */
  start: number;
  end: number;
}

// compromise spends about a millisecond per sentence, mostly on words that cannot be part of a name. Only the words
// around capitalised words (two before, one after: enough for its context rules such as 'the President X' or 'X said')
// are given to it, one window per line: on 200 BBC articles the final tags agree with whole-sentence tagging on 99.6%
// of names, in about two thirds of the time.
export const WINDOW_BEFORE = 2;
export const WINDOW_AFTER = 1;
export const NOT_NAME_POS = new Set(['DET', 'PRON', 'ADP', 'CCONJ', 'SCONJ', 'AUX', 'PART', 'PUNCT', 'SYM', 'NUM', 'VERB', 'ADV', 'INTJ']);

export function nameWindows(tokens: Token[], entities: WinkEntity[], ranges: Array<[number, number]>): Window[] {
  const windows: Window[] = [];
  let at = 0;
  for (const [first, last] of ranges) {
    let open = -1;
    let close = -1;
    const flush = () => {
      if (open < 0) return;
      const start = tokens[open]!.start;
      const end = tokens[close]!.end;
      windows.push({ at, start, end });
      at += end - start + 1;
      open = -1;
    };
    for (let i = first; i <= last; i++) {
      const t = tokens[i]!;
      const type = t.entity >= 0 ? entities[t.entity]!.type : '';
      if (!isCapitalised(t) || NOT_NAME_POS.has(t.pos) || type === 'DATE' || type === 'TIME' || type === 'DURATION') continue;
      const from = Math.max(first, i - WINDOW_BEFORE);
      const to = Math.min(last, i + WINDOW_AFTER);
      if (open >= 0 && from > close + 1) flush();
      if (open < 0) open = from;
      close = Math.max(close, to);
    }
    flush();
  }
  return windows;
}

export function windowAt(windows: Window[], offset: number): Window | undefined {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (windows[mid]!.at <= offset) lo = mid;
    else hi = mid - 1;
  }
  return windows[lo];
}

export const lexicon = (): Record<string, unknown> => (compromiseLib().model() as { one: { lexicon: Record<string, unknown> } }).one.lexicon;

export function lexiconTags(word: string): string[] {
  const entry = lexicon()[word.toLowerCase()];
  return Array.isArray(entry) ? (entry as string[]) : typeof entry === 'string' ? [entry] : [];
}

export const isLexiconPlace = (word: string) => lexiconTags(word).some((tag) => LEXICON_PLACE_TAGS.has(tag));

/** People, organisations and places compromise finds in the windows, mapped back to offsets in `text`. */
export function compromiseNames(text: string, windows: Window[]): Draft[] {
  if (windows.length === 0) return [];
  const joined = windows.map((w) => text.slice(w.start, w.end)).join('\n');
  const doc = nlp(joined);
  const drafts: Draft[] = [];
  const found: Array<[TagKind, number, CompromiseMatch[]]> = [
    ['person', PRIORITY.libraryPerson, doc.people().json({ offset: true, terms: { offset: true } }) as CompromiseMatch[]],
    ['organisation', PRIORITY.libraryOrganisation, doc.organizations().json({ offset: true, terms: { offset: true } }) as CompromiseMatch[]],
    ['place', PRIORITY.libraryPlace, doc.places().json({ offset: true, terms: { offset: true } }) as CompromiseMatch[]],
  ];
  for (const [kind, priority, matches] of found) {
    for (const match of matches) {
      let terms = match.terms;
      // 'President Mohamed Bazoum', 'Secretary-General Antonio Guterres', 'president Mahamadou Issoufou': the title is
      // not the name.
      const title = (term: CompromiseTerm) =>
        !/^\p{Lu}/u.test(term.text) || (kind === 'person' && (term.tags.includes('Honorific') || term.tags.includes('Abbreviation')));
      while (terms.length > 1 && title(terms[0]!)) terms = terms.slice(1);
      const last = terms.at(-1);
      if (!last || !/^[\p{Lu}\d]/u.test(last.text)) continue;
      // 'Colonel-Major': titles alone name nobody.
      if (kind === 'person' && terms.every((term) => term.tags.includes('Honorific') || PERSON_TITLES.has(term.text.toLowerCase()))) continue;
      const start = terms[0]!.offset.start;
      let end = last.offset.start + last.offset.length;
      // "Niger's": the possessive ending is not part of the name.
      if (/['’]s$/.test(joined.slice(start, end))) end -= 2;
      const w = windowAt(windows, start);
      if (!w || end - w.at > w.end - w.start) continue;
      const from = w.start + (start - w.at);
      const to = w.start + (end - w.at);
      if (text.slice(from, to) !== joined.slice(start, end) || from >= to) continue;
      // compromise reads 'U.S.' as an organisation.
      const name = text.slice(from, to);
      const corrected = PLACE_ACRONYMS.has(dotless(name)) ? 'place' : kind;
      drafts.push({ kind: corrected, start: from, end: to, priority });
    }
  }
  return drafts;
}

/**
 * The capitalised run of tokens starting at `i`, as [first, last]: connectors may join capitalised words ('Party for
 * Democracy and Socialism', 'Safeguarding of the Country') but 'and the' separates two names ('ECOWAS and the African Union').
 */
export function capitalisedRun(tokens: Token[], i: number, last: number): [number, number] {
  let end = i;
  for (let j = i + 1; j <= last; j++) {
    const t = tokens[j]!;
    if (isCapitalised(t)) {
      end = j;
      continue;
    }
    const next = tokens[j + 1];
    const joins =
      t.text === '-' ||
      (t.lower === 'the' && ['of', 'for'].includes(tokens[j - 1]!.lower)) ||
      (NAME_CONNECTORS.has(t.lower) && t.lower !== 'the' && next !== undefined && (isCapitalised(next) || next.lower === 'the') && !(['and', '&'].includes(t.lower) && next.lower === 'the'));
    if (!joins) break;
  }
  return [i, end];
}

/** After a title at `i`, where the name starts: past further titles ('Foreign Minister'), hyphens, 'of State'. */
export function afterTitles(tokens: Token[], i: number, last: number): number {
  let j = i + 1;
  while (j <= last) {
    const t = tokens[j]!;
    if (PERSON_TITLES.has(t.lower) || t.text === '-' || t.text === '.') j++;
    // 'Secretary of State Antony Blinken', but not 'President of the European Commission'
    else if (t.lower === 'of' && j + 2 <= last && isCapitalised(tokens[j + 1]!) && isCapitalised(tokens[j + 2]!)) j += 2;
    else break;
  }
  return j;
}

/** Names the libraries miss, by rule over wink's tokens: titled people, organisation names, acronyms, places by context. */
export function ruleNames(tokens: Token[], entities: WinkEntity[], first: number, last: number, shouting: boolean): Draft[] {
  const drafts: Draft[] = [];
  const inTimeEntity = (t: Token) => t.entity >= 0 && ['DATE', 'TIME', 'DURATION'].includes(entities[t.entity]!.type);
  const nameToken = (t: Token | undefined): t is Token =>
    t !== undefined && isCapitalised(t) && (t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ') && !inTimeEntity(t);
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    // A title, then one to four capitalised name words: 'Foreign Minister Hassoumi Massoudou'; after a title in lower
    // case, at least two ('vice president Patricio Cartagena', not 'the coach Arsenal hired').
    if (PERSON_TITLES.has(t.lower) && (isCapitalised(t) || nameToken(tokens[i + 2]))) {
      const from = afterTitles(tokens, i, last);
      let end = from - 1;
      while (end + 1 - from < 4 && nameToken(tokens[end + 1]) && end + 1 <= last && !isAcronym(tokens[end + 1]!) && !PERSON_TITLES.has(tokens[end + 1]!.lower)) end++;
      if (end >= from + (isCapitalised(t) ? 0 : 1)) {
        drafts.push({ kind: 'person', start: tokens[from]!.start, end: tokens[end]!.end, priority: PRIORITY.titledPerson });
        i = end;
        continue;
      }
    }

    if (!isCapitalised(t) || t.pos === 'PUNCT') continue;

    // A capitalised run ending in an organisation head word, or going on after it with 'of'/'for' and a name.
    const [runFirst, runLast] = capitalisedRun(tokens, i, last);
    let from = runFirst;
    // 'The Defence and Security Forces', 'President of the European Commission': neither is part of the name.
    while (from < runLast && (PERSON_TITLES.has(tokens[from]!.lower) || NAME_CONNECTORS.has(tokens[from]!.lower))) from++;
    let head = -1;
    for (let k = from; k <= runLast; k++) if (ORGANISATION_HEADS.has(tokens[k]!.lower) && isCapitalised(tokens[k]!)) head = k;
    if (head >= 0) {
      const end = head < runLast && ['of', 'for'].includes(tokens[head + 1]!.lower) ? runLast : head;
      // A lone head word opening a sentence ('Police said') is a capitalised common noun.
      if (end > from || from > first) drafts.push({ kind: 'organisation', start: tokens[from]!.start, end: tokens[end]!.end, priority: PRIORITY.headedOrganisation });
      i = runLast;
      continue;
    }

    // All-capital acronyms: 'ECOWAS', 'FDS', 'UN' (compromise knows few of them); headlines in capitals are skipped.
    const bare = dotless(t.text);
    if (/^\p{Lu}{2,6}$/u.test(bare) && !shouting && !inTimeEntity(t)) {
      // 'NIAMEY, Niger —', 'WASHINGTON —': a dateline names a place.
      const dateline = i === first && last - first > 6 && [',', '—', '–', '-'].includes(tokens[i + 1]?.text ?? '');
      if (PLACE_ACRONYMS.has(bare) || dateline || isLexiconPlace(bare)) drafts.push({ kind: 'place', start: t.start, end: t.end, priority: PRIORITY.acronym });
      else if (bare === t.text && !NOT_ORGANISATION_ACRONYMS.has(bare)) drafts.push({ kind: 'organisation', start: t.start, end: t.end, priority: PRIORITY.acronym });
      continue;
    }

    // A name after 'in', 'at' (the), or after 'the capital,' / 'the city of', is a place.
    if (!nameToken(t) || i === first) continue;
    const prev = tokens[i - 1]!;
    const prev2 = i - 2 >= first ? tokens[i - 2] : undefined;
    const cued =
      LOCATIVE_PREPOSITIONS.has(prev.lower) ||
      (prev.lower === 'the' && prev2 !== undefined && LOCATIVE_PREPOSITIONS.has(prev2.lower)) ||
      ((prev.text === ',' || prev.lower === 'of') && prev2 !== undefined && PLACE_NOUNS.has(prev2.lower));
    if (cued) {
      let end = i;
      while (end + 1 <= last && nameToken(tokens[end + 1])) end++;
      const next = tokens[end + 1];
      // 'in Bazoum's residence': a possessive names an owner, not the place.
      if (next?.lower === "'s" || next?.lower === '’s') continue;
      drafts.push({ kind: 'place', start: t.start, end: tokens[end]!.end, priority: PRIORITY.contextPlace });
      i = end;
    } else if (isLexiconPlace(t.text)) {
      // A word compromise's lexicon knows as a country or city, wherever its tagger did not reach it.
      drafts.push({ kind: 'place', start: t.start, end: t.end, priority: PRIORITY.contextPlace });
    }
  }
  return drafts;
}

/** Keeps one name tag where name tags overlap: the higher priority, then the longer. */
export function resolveNames(drafts: Draft[], values: Draft[]): Draft[] {
  const sorted = [...drafts].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Draft[] = [];
  for (const d of sorted) {
    // 'May', 'Wednesday': a date is not a name.
    if (values.some((v) => (v.kind === 'date' || v.kind === 'time') && overlaps(v, d))) continue;
    if (kept.some((k) => overlaps(k, d))) continue;
    kept.push(d);
  }
  return kept;
}

/** A titled or detected person followed by a capitalised name word compromise left out ('Maj. Amadou' + 'Abdramane'). */
export function extendPeople(names: Draft[], tokens: Token[], first: number, last: number, text: string): void {
  for (const d of names) {
    if (d.kind !== 'person') continue;
    for (let i = first; i <= last; i++) {
      const t = tokens[i]!;
      if (t.start < d.end) continue;
      if (t.start === d.end + 1 && text[d.end] === ' ' && t.pos === 'PROPN' && isCapitalised(t) && !isAcronym(t) && !names.some((n) => overlaps(n, t))) {
        d.end = t.end;
        continue;
      }
      break;
    }
  }
}
