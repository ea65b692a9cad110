// Sentence tagging, names: people, organisations and places — by compromise's lexicon over wink's tokens and parts of
// speech (lexiconNames), then rules (titled people, organisation names, acronyms, places by context).
import { createRequire } from 'node:module';
import type Compromise from 'compromise';
import type { TagKind } from '../tags.js';
import { LEXICON_PLACE_TAGS, PERSON_LEXICON_TAGS, SPEECH_VERBS, LOCATIVE_PREPOSITIONS, NAME_CONNECTORS, NOT_ORGANISATION_ACRONYMS, ORGANISATION_HEADS, PERSON_TITLES, PLACE_ACRONYMS, PLACE_NOUNS, PRIORITY } from './rules.js';
import { dotless, isAcronym, isCapitalised, overlaps, type Draft, type Token, type WinkEntity } from './tokens.js';

// compromise's lexicon (its word list: first names, surnames, countries, cities, organisations) loads on first use,
// synchronously through the CommonJS build of its tagger stage (~0.3 s), which every command that never tags (a
// no-change ingest, `sources`, `--help`) would otherwise pay. Only the lexicon is read: compromise's own parse cost
// more CPU than the offline model's embedding of the same article (see lexiconNames).
const require = createRequire(import.meta.url);
let compromise: typeof Compromise | undefined;
const compromiseLib = (): typeof Compromise => (compromise ??= require('compromise/two') as typeof Compromise);

export const lexicon = (): Record<string, unknown> => (compromiseLib().model() as { one: { lexicon: Record<string, unknown> } }).one.lexicon;

export function lexiconTags(word: string): string[] {
  const entry = lexicon()[word.toLowerCase()];
  return Array.isArray(entry) ? (entry as string[]) : typeof entry === 'string' ? [entry] : [];
}

export const isLexiconPlace = (word: string) => lexiconTags(word).some((tag) => LEXICON_PLACE_TAGS.has(tag));

/** A nationality word the lexicon knows ('French', 'Brits', 'Nigerien'). Loads the lexicon on first call (~0.15 s). */
export const isDemonym = (word: string) => lexiconTags(word).includes('Demonym');

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

/** Whether wink put the token inside a date, time or duration ('May', 'Wednesday'). */
const inTimeEntity = (t: Token, entities: WinkEntity[]) => t.entity >= 0 && ['DATE', 'TIME', 'DURATION'].includes(entities[t.entity]!.type);

/** A capitalised noun, proper noun or adjective outside a date or time: a word a name can be made of. */
const isNameToken = (t: Token | undefined, entities: WinkEntity[]): t is Token =>
  t !== undefined && isCapitalised(t) && (t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ') && !inTimeEntity(t, entities);

/** Names the lexicon pass misses, by rule over wink's tokens: titled people, organisation names, acronyms, places by context. */
export function ruleNames(tokens: Token[], entities: WinkEntity[], first: number, last: number, shouting: boolean): Draft[] {
  const drafts: Draft[] = [];
  const nameToken = (t: Token | undefined): t is Token => isNameToken(t, entities);
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
    if (/^\p{Lu}{2,6}$/u.test(bare) && !shouting && !inTimeEntity(t, entities)) {
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
    }
  }
  return drafts;
}

const FIRST_NAME_TAGS = new Set(['MaleName', 'FemaleName', 'FirstName']);
const LEXICON_ORGANISATION_TAGS = new Set(['Organization', 'SportsTeam']);

/**
 * People, organisations and places in one sentence's tokens, from compromise's lexicon and wink's parts of speech: a run
 * of capitalised words, or part of one, the lexicon knows as a place or organisation ('Burkina Faso', 'General
 * Motors'; a single word only as a place: 'France'), and otherwise two to four name words after a title, or opening with
 * a known first name or closing with a known surname ('Antonio Guterres', 'Maj. Amadou Abdramane'), or two or three
 * proper nouns a speech verb follows or precedes ('Hristo Stoichkov said').
 *
 * This replaced compromise's own parse, which cost about 7 ms of CPU per BBC article — more than the offline model's
 * embedding of it — and set the build's pace. On 300 BBC articles the two agree on 80% of people, 92% of places and 71%
 * of organisations (most of the rest: compromise's single first names and its organisation rules); answer quality was
 * measured unchanged by the cross-validated eval (docs/evaluation.md).
 */
export function lexiconNames(tokens: Token[], entities: WinkEntity[], first: number, last: number): Draft[] {
  const drafts: Draft[] = [];
  // Acronyms are ruleNames' ('ECOWAS', 'UN').
  const nameWord = (t: Token | undefined): t is Token => isNameToken(t, entities) && !isAcronym(t);
  const isTitle = (t: Token | undefined) =>
    t !== undefined && (PERSON_TITLES.has(t.lower) || PERSON_TITLES.has(`${t.lower}.`) || lexiconTags(t.text).includes('Honorific'));
  const speaks = (t: Token | undefined) => t !== undefined && SPEECH_VERBS.has(t.lower);
  const push = (kind: TagKind, a: number, b: number, priority: number) =>
    drafts.push({ kind, start: tokens[a]!.start, end: tokens[b]!.end, priority });
  // A stretch of name words the lexicon did not name as a whole: a person if its words say so.
  const person = (a: number, b: number) => {
    let from = a;
    while (from < b && isTitle(tokens[from])) from++;
    // 'Referee Andy Turner': a known first name starts the name.
    const firstName = tokens.slice(from, b).findIndex((t) => lexiconTags(t.text).some((tag) => FIRST_NAME_TAGS.has(tag)));
    if (firstName > 0) from += firstName;
    from = Math.max(from, b - 3);
    if (b - from < 1) return;
    const run = tokens.slice(from, b + 1);
    const before = tokens[from - 1];
    const titled = isTitle(before) || (before?.text === '.' && isTitle(tokens[from - 2]));
    const named = lexiconTags(run[0]!.text).some((tag) => FIRST_NAME_TAGS.has(tag)) || lexiconTags(run.at(-1)!.text).includes('LastName');
    const plain = run.length <= 3 && run.every((t) => t.pos === 'PROPN' && lexiconTags(t.text).every((tag) => PERSON_LEXICON_TAGS.has(tag)));
    if (titled || named || (plain && (speaks(tokens[b + 1]) || (from > first && speaks(before))))) push('person', from, b, PRIORITY.lexiconPerson);
  };
  for (let i = first; i <= last; i++) {
    if (!nameWord(tokens[i])) continue;
    let end = i;
    while (end + 1 <= last && nameWord(tokens[end + 1])) end++;
    // Places and organisations the lexicon knows by their whole name, longest first: 'General Motors', 'Burkina Faso'.
    let open = i;
    for (let j = i; j <= end; ) {
      let matched = -1;
      let kind: TagKind | undefined;
      // One word alone only as a place ('France' opening a sentence); one-word organisations are mostly common words.
      for (let k = Math.min(end, j + 3); k >= j && matched < 0; k--) {
        const tags = lexiconTags(tokens.slice(j, k + 1).map((t) => t.text).join(' '));
        kind = tags.some((tag) => LEXICON_PLACE_TAGS.has(tag)) ? 'place' : k > j && tags.some((tag) => LEXICON_ORGANISATION_TAGS.has(tag)) ? 'organisation' : undefined;
        if (kind) matched = k;
      }
      if (matched < 0 || !kind) {
        j++;
        continue;
      }
      if (j > open) person(open, j - 1);
      push(kind, j, matched, kind === 'place' ? PRIORITY.lexiconPlace : PRIORITY.lexiconOrganisation);
      j = matched + 1;
      open = j;
    }
    if (open <= end) person(open, end);
    i = end;
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

/** A titled or detected person followed by a capitalised name word the pass that found it left out. */
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
