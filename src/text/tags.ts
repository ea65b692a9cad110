// Sentence tags: which kinds of entity and value each sentence holds (dates, times, numbers, money, durations, ages,
// people, organisations, places, direct quotations with who said them), as exact character offsets into the sentence,
// so the answer step can prefer and emphasise sentences holding the kind of value a question asks for.
//
// Values come from wink-nlp's named-entity recogniser, people/organisations/places from compromise; small token rules
// (tables below) add what neither library covers and correct what they split apart.
import { createRequire } from 'node:module';
import type Compromise from 'compromise';
import type { ItemEntity, WinkMethods } from 'wink-nlp';
import type { Span } from './types.js';

// The libraries load on the first tagging call (synchronously, through their CommonJS builds): compromise alone takes
// ~0.4 s to load, which every command that never tags (a no-change ingest, `sources`, `--help`) would otherwise pay.
const require = createRequire(import.meta.url);
let compromise: typeof Compromise | undefined;
const compromiseLib = (): typeof Compromise => (compromise ??= require('compromise') as typeof Compromise);
const nlp = (text: string) => compromiseLib()(text);

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
// Data: what the libraries' results mean here, and the small rules on top of them.

/** wink-eng-lite-web-model entity types and the tag each one gives; ORDINAL ('third'), URL, EMAIL… answer no question type. */
const WINK_KINDS: Readonly<Record<string, TagKind>> = {
  DATE: 'date',
  TIME: 'time',
  CARDINAL: 'number',
  PERCENT: 'number',
  MONEY: 'money',
  DURATION: 'duration',
};

// wink calls 'since 2020' and 'since Wednesday' durations; without a unit they name a point in time.
const DURATION_UNITS = new Set(
  'second seconds minute minutes hour hours day days week weeks fortnight fortnights month months year years decade decades century centuries millennium night nights weekend weekends season seasons term terms'.split(
    ' ',
  ),
);

const YEAR = /^(?:1[5-9]|20)\d\d$/;
const YEAR_PREPOSITIONS = new Set(['in', 'for', 'since', 'by', 'until', 'till', 'from', 'before', 'after', 'during', 'of', 'to', 'between', 'and']);

const MERIDIEMS = ['a.m.', 'p.m.', 'a.m', 'p.m', 'am', 'pm'];
const TIME_ZONES = ['gmt', 'bst', 'utc', 'et', 'est', 'edt', 'ct', 'cst', 'cdt', 'pt', 'pst', 'pdt', 'cet', 'cest', 'wat', 'eat', 'ist', 'jst'];
const MAGNITUDES = ['m', 'bn', 'mn', 'k', 'tn', 'million', 'billion', 'trillion', 'thousand'];
const CURRENCY_SYMBOLS = ['$', '£', '€', '¥', '₹', '₦'];

/** One token of a value rule: its lower-case text, part of speech or wink entity type must be one of those listed. */
interface TokenTest {
  words?: readonly string[];
  pos?: readonly string[];
  /** Matches a whole wink entity of one of these types starting at this token. */
  entity?: readonly string[];
  optional?: boolean;
}

interface ValueRule {
  kind: TagKind;
  sequence: readonly TokenTest[];
}

/**
 * Values wink splits or misses. A rule's match replaces the wink values it overlaps ('63' CARDINAL + 'year' DURATION
 * becomes one age). wink's own custom-entity learning would express these, but in wink-eng-lite-web-model 1.8.1 only
 * the first winkNLP instance of a process can learn (its meta model is re-stringified on every load), and the corpus
 * module creates its own instance.
 */
const VALUE_RULES: readonly ValueRule[] = [
  // '63-year-old', 'two 17-year-olds'
  { kind: 'age', sequence: [{ pos: ['NUM'] }, { words: ['-'] }, { words: ['year', 'years'] }, { words: ['-'] }, { words: ['old', 'olds'] }] },
  // '63 years old'
  { kind: 'age', sequence: [{ pos: ['NUM'] }, { words: ['year', 'years'] }, { words: ['old'] }] },
  // 'aged 63'
  { kind: 'age', sequence: [{ words: ['aged'] }, { pos: ['NUM'] }] },
  // '6.30 a.m.', '1.30 a.m. ET': wink tags the number alone as a cardinal.
  { kind: 'time', sequence: [{ pos: ['NUM'] }, { words: MERIDIEMS }, { words: TIME_ZONES, optional: true }] },
  { kind: 'time', sequence: [{ entity: ['TIME'] }, { words: TIME_ZONES }] },
  // '$5.2m': wink's MONEY stops before the magnitude.
  { kind: 'money', sequence: [{ entity: ['MONEY'] }, { words: MAGNITUDES }] },
  // '£4bn': wink sees only the cardinal '4'.
  { kind: 'money', sequence: [{ words: CURRENCY_SYMBOLS }, { pos: ['NUM'] }, { words: MAGNITUDES, optional: true }] },
];

/** Titles that precede a person's name ('Foreign Minister Hassoumi Massoudou'); compromise misses many such names. */
const PERSON_TITLES = new Set(
  'president minister secretary secretary-general general gen. chancellor senator sen. governor gov. colonel col. major maj. captain capt. lieutenant lt. sergeant sgt. admiral commander king queen prince princess pope mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady judge justice mayor chairman chairwoman chair ambassador envoy representative rep. professor prof. bishop archbishop rev. sheikh emir spokesman spokeswoman spokesperson coach manager boss striker captain chief'.split(
    ' ',
  ),
);

/**
 * Head words of organisation names: a capitalised run ending in one ('the Defence and Security Forces', 'Presidential
 * Guard', 'the Economic Community of West African States') is an organisation.
 */
const ORGANISATION_HEADS = new Set(
  'union council forces force command guard party army navy assembly commission committee bank agency ministry department office organisation organization community court parliament congress senate corporation corp group association federation league club institute university college school front movement alliance coalition authority board bureau service services police foundation fund trust society network company airlines airways'.split(
    ' ',
  ),
);

/** Lower-case words allowed inside a capitalised name run ('Party for Democracy and Socialism'). */
const NAME_CONNECTORS = new Set(['of', 'for', 'and', 'the', '&', 'de', 'du', 'des', 'la', 'le', 'on']);

/** All-capital tokens that are not organisations: time zones, titles, common abbreviations, roman numerals. */
const NOT_ORGANISATION_ACRONYMS = new Set(
  'AM PM GMT BST UTC ET EST EDT CET CEST TV CEO CFO MP MPS MEP PM OK ID DJ IT AI PC US USA UK UAE DRC GB EU II III IV VI VII VIII IX XI XII'.split(
    ' ',
  ),
);

/** Acronyms of places (compromise's lexicon has 'uk' but reads 'us' as the pronoun, and tags 'U.S.' an organisation). */
const PLACE_ACRONYMS = new Set(['US', 'USA', 'UK', 'UAE', 'DRC', 'GB']);

/** Words after which a capitalised name is a place: 'in Niamey', 'the capital, Niamey', 'the city of Kano'. */
const LOCATIVE_PREPOSITIONS = new Set(['in', 'at', 'near', 'outside', 'inside', 'across', 'throughout', 'around', 'via']);
const PLACE_NOUNS = new Set(['capital', 'city', 'town', 'village', 'province', 'region', 'state', 'district', 'port', 'island']);

/** compromise lexicon tags of people's names. */
const PERSON_LEXICON_TAGS = new Set(['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'ProperNoun']);

/** compromise lexicon tags that make a word a place. */
const LEXICON_PLACE_TAGS = new Set(['Country', 'City', 'Region', 'Place', 'Town', 'Continent']);

/** Verbs that attribute a quotation to a speaker ('…,' he said / said X / X said "…" / according to X). */
const SPEECH_VERBS = new Set(
  ('said says say told tells added adds declared declares announced announces stated states insisted insists warned warns wrote ' +
    'writes tweeted tweets posted claimed claims asked asks replied replies explained explains argued argues noted notes urged ' +
    'urges called calls described describes denounced condemned condemns admitted admits revealed reveals suggested suggests ' +
    'predicted predicts confirmed confirms acknowledged conceded complained recalled agreed responded commented remarked ' +
    'stressed emphasised emphasized maintained reiterated according'
  ).split(
    ' ',
  ),
);

/**
 * Which name tag wins where two overlap (then the longer). Organisation names ending in a head word are the most
 * specific: they contain places and titles ('Military Command of the Niger Armed Forces'). compromise's people beat
 * its organisations and places ('State Antony' is no place in 'Secretary of State Antony Blinken'); places found only
 * by context come last.
 */
const PRIORITY = {
  headedOrganisation: 4,
  libraryPerson: 3,
  titledPerson: 2,
  libraryOrganisation: 2,
  libraryPlace: 1,
  acronym: 1,
  contextPlace: 0,
  surname: 0,
} as const;

/** Parts of speech a speaker's noun phrase is made of (wink's Universal Dependencies tags), and the possessive. */
const NOUN_PHRASE_POS = new Set(['PROPN', 'NOUN', 'PRON', 'ADJ', 'DET', 'NUM']);
const inNounPhrase = (t: Token) => NOUN_PHRASE_POS.has(t.pos) || t.lower === "'s" || t.lower === '’s';

// ---------------------------------------------------------------------------------------------------------------------
// Tokens: wink's tokens with exact character offsets.

interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
  pos: string;
  /** Index into the entity list of the wink entity this token belongs to, or -1. */
  entity: number;
}

interface WinkEntity {
  type: string;
  first: number;
  last: number;
}

let winkInstance: WinkMethods | undefined;

// Built once: loading the model takes a tenth of a second. Only part of speech and entities run: sentence breaks,
// negation and sentiment would double the time and change neither (checked on 200 BBC articles).
function wink(): WinkMethods {
  winkInstance ??= (require('wink-nlp') as typeof import('wink-nlp').default)(require('wink-eng-lite-web-model'), ['pos', 'ner']);
  return winkInstance;
}

/** wink's tokens of `text` with exact offsets, and its entities as token ranges. */
function tokenize(text: string): { tokens: Token[]; entities: WinkEntity[] } {
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

// ---------------------------------------------------------------------------------------------------------------------
// Tags under construction: absolute offsets into the whole text, with where they came from (for overlap decisions).

interface Draft {
  kind: TagKind;
  start: number;
  end: number;
  /** For names: which wins where two overlap (PRIORITY). */
  priority?: number;
  attribution?: string;
}

const isCapitalised = (t: Token) => /^\p{Lu}/u.test(t.text);
const isAcronym = (t: Token) => /^\p{Lu}{2,6}$/u.test(t.text);
const dotless = (s: string) => s.replace(/\./g, '');

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Matches `sequence` at token `at` (within `[at, limit]`); returns the last token index of the match or -1. */
function matchSequence(tokens: Token[], entities: WinkEntity[], sequence: readonly TokenTest[], at: number, limit: number): number {
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
function valueTags(tokens: Token[], entities: WinkEntity[], first: number, last: number): Draft[] {
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

// ---------------------------------------------------------------------------------------------------------------------
// Names: compromise over windows of text around capitalised words, then the rules it needs.

interface CompromiseTerm {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}

interface CompromiseMatch {
  terms: CompromiseTerm[];
}

interface Window {
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
const WINDOW_BEFORE = 2;
const WINDOW_AFTER = 1;
const NOT_NAME_POS = new Set(['DET', 'PRON', 'ADP', 'CCONJ', 'SCONJ', 'AUX', 'PART', 'PUNCT', 'SYM', 'NUM', 'VERB', 'ADV', 'INTJ']);

function nameWindows(tokens: Token[], entities: WinkEntity[], ranges: Array<[number, number]>): Window[] {
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

function windowAt(windows: Window[], offset: number): Window | undefined {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (windows[mid]!.at <= offset) lo = mid;
    else hi = mid - 1;
  }
  return windows[lo];
}

const lexicon = (): Record<string, unknown> => (compromiseLib().model() as { one: { lexicon: Record<string, unknown> } }).one.lexicon;

function lexiconTags(word: string): string[] {
  const entry = lexicon()[word.toLowerCase()];
  return Array.isArray(entry) ? (entry as string[]) : typeof entry === 'string' ? [entry] : [];
}

const isLexiconPlace = (word: string) => lexiconTags(word).some((tag) => LEXICON_PLACE_TAGS.has(tag));

/** People, organisations and places compromise finds in the windows, mapped back to offsets in `text`. */
function compromiseNames(text: string, windows: Window[]): Draft[] {
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
function capitalisedRun(tokens: Token[], i: number, last: number): [number, number] {
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
function afterTitles(tokens: Token[], i: number, last: number): number {
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
function ruleNames(tokens: Token[], entities: WinkEntity[], first: number, last: number, shouting: boolean): Draft[] {
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
function resolveNames(drafts: Draft[], values: Draft[]): Draft[] {
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
function extendPeople(names: Draft[], tokens: Token[], first: number, last: number, text: string): void {
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

// ---------------------------------------------------------------------------------------------------------------------
// Quotations and who said them.

/**
 * Whether the quote mark at `i` opens or closes a quotation. Curly marks say so; a straight one opens after a space or
 * bracket and before a word. A single curly mark counts only in that position, so apostrophes ('Niger’s') do not.
 */
function quoteRole(text: string, i: number): { family: 'double' | 'single'; opens: boolean } | undefined {
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
function quotedSpans(sentence: string): Span[] {
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

function trimSpan(text: string, { start, end }: Span): Span {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

/** Prepositions a speaker's noun phrase may contain ('The parties in Niger's ruling coalition', 'Secretary of State'). */
const PHRASE_PREPOSITIONS = new Set(['of', 'and', 'in', 'at', 'for', 'from', 'to']);
/** A phrase right after one of these is an object inside a clause ('that seized power, … said'), not a speaker. */
const NOT_BEFORE_SPEAKER = new Set(['VERB', 'AUX', 'ADP']);

/** Hyphens and full stops belong to a name only when attached to a word: 'Secretary-General', 'Col. Maj.', not ' - '. */
function attachedMark(tokens: Token[], i: number): boolean {
  const t = tokens[i]!;
  if (t.text === '.') return tokens[i - 1]?.end === t.start;
  if (t.text === '-') return tokens[i - 1]?.end === t.start && tokens[i + 1]?.start === t.end;
  return false;
}

/** The noun phrase ending at token `at` (walking back), within [from, at]: 'Foreign Minister Hassoumi Massoudou', 'he'. */
function phraseEndingAt(tokens: Token[], from: number, at: number): [number, number] | undefined {
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
function phraseStartingAt(tokens: Token[], at: number, to: number): [number, number] | undefined {
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
function attributionOf(tokens: Token[], first: number, last: number, quote: Span, quotes: Span[], text: string): string | undefined {
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

/** Tags of `sentences` of `text`; `documentOf(i)` says which document sentence i belongs to (surnames link within one). */
function tagSpans(text: string, sentences: Span[], documentOf: (sentence: number) => number): SentenceTag[][] {
  const { tokens, entities } = tokenize(text);
  // Token range of each sentence (tokens lying wholly inside it); tokens outside every sentence belong to none.
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
  const rangeOf = sentences.map((span): [number, number] => {
    const first = firstTokenAt(span.start);
    let end = first;
    while (end < tokens.length && tokens[end]!.end <= span.end) end++;
    return [first, end - 1];
  });
  const ranges = rangeOf.filter(([first, last]) => last >= first);
  const windows = nameWindows(tokens, entities, ranges);
  const libraryNames = compromiseNames(text, windows);

  const found = sentences.map((span, index) => {
    const [first, last] = rangeOf[index]!;
    if (last < first) return { values: [], names: [] };
    const values = valueTags(tokens, entities, first, last);
    const words = tokens.slice(first, last + 1).filter((tk) => /\p{L}/u.test(tk.text));
    const shouting = words.length >= 3 && words.filter((tk) => tk.text === tk.text.toUpperCase()).length / words.length > 0.6;
    const inSentence = libraryNames.filter((d) => d.start >= span.start && d.end <= span.end);
    const names = resolveNames([...inSentence, ...ruleNames(tokens, entities, first, last, shouting)], values);
    extendPeople(names, tokens, first, last, text);
    return { values, names };
  });

  // An article names a person in full once ('Mohamed Bazoum') and by surname after that ('Bazoum was elected').
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

  return sentences.map((span, index) => {
    const [first, last] = rangeOf[index]!;
    const { values, names } = found[index]!;
    if (last < first) return [];
    const surnames = surnamesOf.get(documentOf(index))!;
    for (let i = first; i <= last && surnames.size > 0; i++) {
      const t = tokens[i]!;
      if (surnames.has(t.text) && !names.some((n) => overlaps(n, t)) && !values.some((v) => overlaps(v, t))) {
        names.push({ kind: 'person', start: t.start, end: t.end, priority: PRIORITY.surname });
      }
    }

    // 'Mohamed Bazoum (63)', 'Mr Boateng, 53, is to…': a number in brackets or commas right after a person is an age.
    for (const person of names.filter((n) => n.kind === 'person')) {
      const match = /^(?: ?\((\d{1,3})\)|, (\d{1,3}),)/.exec(text.slice(person.end, span.end));
      const years = match?.[1] ?? match?.[2];
      if (!match || !years || Number(years) > 120) continue;
      const start = person.end + match[0].indexOf(years);
      const age: Draft = { kind: 'age', start, end: start + years.length };
      for (let k = values.length - 1; k >= 0; k--) if (overlaps(values[k]!, age)) values.splice(k, 1);
      values.push(age);
    }

    const sentence = text.slice(span.start, span.end);
    const quotes = quotedSpans(sentence).map((q) => ({ start: span.start + q.start, end: span.start + q.end }));
    const quotations = quotes.map((q): Draft => {
      const attribution = attributionOf(tokens, first, last, q, quotes, text);
      return { kind: 'quotation', ...q, ...(attribution ? { attribution } : {}) };
    });

    return [...values, ...names, ...quotations]
      .filter((d) => d.end > d.start)
      .map((d): SentenceTag => ({
        kind: d.kind,
        start: d.start - span.start,
        end: d.end - span.start,
        ...(d.attribution ? { attribution: d.attribution } : {}),
      }))
      .sort((x, y) => x.start - y.start || y.end - x.end);
  });
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
