// Answer types: the kind of answer a question asks for ('How many troops…' a number, 'Who leads…' a person), read from
// its wh-word and head noun by a rule table, and how well a sentence's tags (src/text/tags.ts) supply that kind of
// answer: a score for ranking, and the span of a quote to emphasise. Word overlap alone finds sentences on the right
// topic; this prefers the ones that hold the answer.
import type { SentenceTag, TagKind } from '../text/index.js';
import { askingClause } from './focus.js';

export type AnswerType = 'person' | 'organisation' | 'place' | 'date' | 'number' | 'age' | 'reason' | 'statement' | 'other';

/**
 * How precise a date the question asks for: 'year' for 'What year…', 'finer' (a month, a day, a weekday) for 'What
 * date…' or 'When will…'. Absent: any date answers ('When did Niger gain independence?' → 1960).
 */
export type DateGranularity = 'year' | 'finer';

export interface QuestionClass {
  type: AnswerType;
  /** For 'What did X say?': X as written ('the foreign minister'), so quotations attributed to X can be preferred. */
  subject?: string;
  /** For a date question that says how precise a date it wants. */
  granularity?: DateGranularity;
}

export interface QuestionRule {
  /** Tested on the normalised question (fillers such as 'can you tell me' removed, case kept); case-insensitive. */
  pattern: RegExp;
  /**
   * The answer type; or 'head': the type of the first head noun after the match ('Which *unit*…', 'What is the
   * *capital*…') in HEAD_NOUNS, else `fallback`. A named group `subject` in the pattern gives the statement's subject.
   */
  type: AnswerType | 'head';
  fallback?: AnswerType;
}

const SPEECH =
  'say|said|declare|declared|announce|announced|tell|told|state|stated|claim|claimed|warn|warned|write|wrote|tweet|tweeted|post|posted|add|added|reply|replied|respond|comment|argue|insist|stress|urge|think|ask|asked|call|called|describe|described|dub|dubbed|label|labelled|labeled';

/** First matching rule wins; anchored rules read the question's opening, the unanchored ones catch a wh-word left at the end. */
export const QUESTION_RULES: readonly QuestionRule[] = [
  // Statements: 'What did the foreign minister say…', 'How did ECOWAS react…', 'What was the UN's response…'
  { pattern: /^what (?:did|does|do|has|have|had|will|would) (?<subject>.+?) have to say\b/i, type: 'statement' },
  { pattern: new RegExp(`^what (?:did|does|do|has|have|had|will|would|could) (?<subject>.+?) (?:${SPEECH})\\b`, 'i'), type: 'statement' },
  { pattern: /^how (?:did|does|do|has|have) (?<subject>.+?) (?:react|respond|reply|answer|describe|characterise|characterize|sum up)\b/i, type: 'statement' },
  { pattern: /^what (?:is|was|are|were) (?<subject>.+?)['’]s? (?:response|reaction|message|statement|comment|position|stance)\b/i, type: 'statement' },
  { pattern: /^what (?:is|was) the (?:response|reaction|message|statement|comment|position|stance) (?:of|from) (?<subject>.+)$/i, type: 'statement' },
  { pattern: /^what (?:was|is|has been) said by (?<subject>.+)$/i, type: 'statement' },
  // Reasons: 'Why…', 'For what reason…', 'What caused…', 'What is the reason…'
  {
    pattern:
      /^(?:why|how come|for what reason|what (?:caused|causes|led to|leads to|prompted|prompts|triggered|triggers|motivated|motivates|drove|drives|sparked|provoked|made|is behind|was behind|were behind)\b)/i,
    type: 'reason',
  },
  // 'What was the fine for?', 'What were the arrests for?'
  { pattern: /^what (?:is|was|are|were) (?:the|a|an|his|her|its|their) .+ for$/i, type: 'reason' },
  // Ages before numbers: 'How old…', 'At what age…'
  { pattern: /^how old\b/i, type: 'age' },
  { pattern: /^(?:at )?what age\b/i, type: 'age' },
  // Dates before 'how long': 'How long ago…'
  { pattern: /^how long ago\b/i, type: 'date' },
  { pattern: /^how (?:many|much)\b/i, type: 'number' },
  // 'What does he weigh now?', 'What will the new stadium cost?'
  { pattern: /^what (?:does|did|do|will|would|could)\b.{1,60}?\b(?:weigh|cost)\b/i, type: 'number' },
  // Quantities: 'How big is the army…', 'How far…'
  { pattern: /^how (?:big|large|small|long|far|tall|high|low|heavy|wide|deep|often|fast|expensive|costly|strong|few|close)\b/i, type: 'number' },
  { pattern: /^(?:since |until |till |by |from )?when\b/i, type: 'date' },
  { pattern: /^(?:from |to |in )?where(?:abouts)?\b/i, type: 'place' },
  // 'Whose troops…' asks for an owner; 'Who is the group that…' may ask for an organisation.
  { pattern: /^whose\b/i, type: 'person' },
  { pattern: /^(?:by |to |with |for |from )?who(?:m)?(?: (?:is|are|was|were|'s))(?: (?:the|a|an))?\b/i, type: 'head', fallback: 'person' },
  { pattern: /^(?:by |to |with |for |from )?who(?:m)?\b/i, type: 'person' },
  // 'Which unit…', 'In which city…', 'At what time…', 'What is the capital of…', 'What year…'
  {
    pattern:
      /^(?:(?:in|at|from|for|to|by|with|on|of|during|under|into|against|since|until|through) )?(?:which|what)(?: (?:is|are|was|were|'s))?(?: (?:the|a|an))?\b/i,
    type: 'head',
    fallback: 'other',
  },
  // A wh-word at the end: 'The plane landed at what time?', 'Niger's president is who?'
  { pattern: /\bhow (?:many|much)\b/i, type: 'number' },
  { pattern: /\bhow old\b/i, type: 'age' },
  { pattern: /\b(?:at|by|until) what time\b|\b(?:in )?what year\b|\bwhen$/i, type: 'date' },
  { pattern: /\bwhere$/i, type: 'place' },
  { pattern: /\bwho(?:m)?$/i, type: 'person' },
  { pattern: /\bwhy$/i, type: 'reason' },
  // 'Name the leader…', 'The capital of Niger?'
  { pattern: /^(?:(?:name|list|identify|give me|state) )?(?:(?:the|a|an) )?/i, type: 'head', fallback: 'other' },
];

/** Head nouns and the answer type they ask for (singular; plurals are reduced before lookup). */
export const HEAD_NOUNS: Readonly<Record<string, AnswerType>> = {
  ...Object.fromEntries(
    (
      'person man woman people president vice-president minister secretary-general secretary spokesman spokeswoman spokesperson leader ' +
      'ruler chief head general commander colonel officer official politician prime premier chancellor king queen prince princess monarch ' +
      'emperor ceo chairman chairwoman director manager coach player striker captain author writer singer actor actress artist winner ' +
      'candidate ambassador envoy diplomat governor mayor senator mp lawmaker judge soldier victim suspect founder owner journalist ' +
      'reporter presenter host boss opponent rival successor predecessor father mother son daughter wife husband brother sister'
    )
      .split(' ')
      .map((w) => [w, 'person' as const]),
  ),
  ...Object.fromEntries(
    (
      'organisation organization group bloc union party unit army navy force military junta company firm agency body council ' +
      'committee commission alliance coalition movement government ministry department institution bank team club band network ' +
      'broadcaster newspaper publisher channel court league association federation faction militia brand label airline retailer ' +
      'charity restaurant university business corporation regime'
    )
      .split(' ')
      .map((w) => [w, 'organisation' as const]),
  ),
  ...Object.fromEntries(
    (
      'country city capital region town state nation village province county continent place location area airport venue ' +
      'stadium neighbourhood neighborhood district island street site destination territory border'
    )
      .split(' ')
      .map((w) => [w, 'place' as const]),
  ),
  ...Object.fromEntries(
    'year date day month decade century week time hour weekday season era period'.split(' ').map((w) => [w, 'date' as const]),
  ),
  ...Object.fromEntries(
    (
      'percentage percent amount number proportion share rate figure total price cost sum population size toll count salary fee ' +
      'budget value quantity majority distance length height weight score fine deficit debt'
    )
      .split(' ')
      .map((w) => [w, 'number' as const]),
  ),
  age: 'age',
  ...Object.fromEntries('reason cause motive motivation purpose explanation rationale grounds'.split(' ').map((w) => [w, 'reason' as const])),
  ...Object.fromEntries(
    'message statement quote words response reaction comment remark jibe quip joke insult phrase description verdict nickname'
      .split(' ')
      .map((w) => [w, 'statement' as const]),
  ),
};

/** Head nouns that say nothing by themselves: the noun after 'of' decides ('the name of the UN secretary-general'). */
const OF_HEADS = new Set(['name', 'names', 'kind', 'type', 'sort']);
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'its', 'his', 'her', 'their', 'our', 'your', 'my']);
/** Where the noun phrase after the wh-word ends: auxiliaries and prepositions ('Which troops *did*…', 'leader *of*…'). */
const PHRASE_END = new Set(
  'is are was were be been did does do has have had will would can could should may might must of in on at to for from by with about that who which whose when where why how and or but as'.split(
    ' ',
  ),
);
const MAX_HEAD_WORDS = 4;

const FILLERS: readonly RegExp[] = [
  /^(?:so|and|but|ok|okay|hey|hi|please|well|also)\b[,\s]*/i,
  /^(?:can|could|would|will) you (?:please )?(?:tell|show) me\s+/i,
  /^(?:do|does) (?:you|anyone|anybody) know\s+/i,
  /^(?:please )?(?:tell|show) me\s+/i,
  /^i (?:want|would like|'d like|need|wish) to know\s+/i,
  /^i(?:'m| am)? wonder(?:ing)?\s+/i,
];

/** The question as the rules read it: one line, straight apostrophes, contractions of 'is' expanded, fillers removed. */
function questionForRules(question: string): string {
  let q = question
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .replace(/[?!.\s]+$/, '')
    .replace(/\b(what|who|where|when|how|why|which)'s\b/gi, '$1 is')
    .replace(/\b(what|who)'re\b/gi, '$1 are');
  for (let changed = true; changed; ) {
    changed = false;
    for (const filler of FILLERS) {
      const next = q.replace(filler, '');
      if (next !== q) {
        q = next;
        changed = true;
      }
    }
  }
  return q;
}

/** The type of a head noun, trying its singular forms ('organisations', 'countries') and a compound's last part. */
function headNounType(word: string): AnswerType | undefined {
  const w = word.toLowerCase().replace(/['’]s$/, '');
  const candidates = [w, w.replace(/ies$/, 'y'), w.replace(/es$/, ''), w.replace(/s$/, ''), w.split('-').at(-1) ?? w];
  for (const c of candidates) {
    const type = HEAD_NOUNS[c];
    if (type) return type;
  }
  return undefined;
}

/**
 * The type named by the first head noun of the noun phrase starting `rest`, if any. `asked`: `rest` follows the question
 * word itself ('Which *city's* customers…'), so a possessive there is what is asked about.
 */
function headType(rest: string, asked = false): AnswerType | undefined {
  const words = rest.split(/[\s,;:?!]+/).filter(Boolean);
  let seen = 0;
  for (let i = 0; i < words.length && seen < MAX_HEAD_WORDS; i++) {
    const word = words[i]!.toLowerCase();
    if (DETERMINERS.has(word)) continue;
    // 'Which city's customers get it first?' asks for the city…
    if (asked && i === 0 && /['’]s$/.test(word)) {
      const owner = headNounType(word);
      if (owner) return owner;
    }
    // …but 'the country's president' is a possessive modifying the head that follows.
    if (/['’]s$/.test(word) && word.length > 2) {
      seen++;
      continue;
    }
    if (OF_HEADS.has(word)) {
      if (words[i + 1]?.toLowerCase() === 'of') {
        i++;
        continue;
      }
      return word.startsWith('name') ? 'person' : undefined;
    }
    if (PHRASE_END.has(word)) return undefined;
    let type = headNounType(word);
    // In a compound the last noun is the head: 'armed forces chief' asks for a person, not an organisation.
    while (type && words[i + 1] && headNounType(words[i + 1]!.toLowerCase())) type = headNounType(words[++i]!.toLowerCase());
    if (type) return type;
    // A past-tense verb ends the noun phrase: 'Which troops attacked the capital' asks nothing about a place.
    if (seen > 0 && /ed$/.test(word)) return undefined;
    seen++;
  }
  return undefined;
}

/** The answer type a question expects, 'other' when no rule is sure. */
export function classifyQuestion(question: string): QuestionClass {
  // "In the story where the striker was jeered, what happened to the keeper?": the asking clause holds the wh-word.
  const q = questionForRules(askingClause(question));
  for (const rule of QUESTION_RULES) {
    const match = rule.pattern.exec(q);
    if (!match) continue;
    const subject = match.groups?.subject?.trim();
    if (rule.type !== 'head') return withGranularity(q, subject ? { type: rule.type, subject } : { type: rule.type });
    const asked = /\b(?:which|what)$/i.test(match[0].trim());
    return withGranularity(q, { type: headType(q.slice(match.index + match[0].length), asked) ?? rule.fallback ?? 'other' });
  }
  return { type: 'other' };
}

/**
 * 'What year…' wants a year ('1992', not 'the 80s'); 'What date…' and an event still to come ('When will the winners be
 * announced?', 'When's it out?') want a month or a day ('2 March 2005', not 'this year').
 */
function withGranularity(q: string, asked: QuestionClass): QuestionClass {
  if (asked.type !== 'date') return asked;
  if (/\b(?:what|which) years?\b/i.test(q)) return { ...asked, granularity: 'year' };
  if (/\b(?:what|which) (?:date|day)\b|\bwhen(?:['’]s| (?:will|is|are)\b)/i.test(q)) return { ...asked, granularity: 'finer' };
  return asked;
}

// ---------------------------------------------------------------------------------------------------------------------
// Matching sentences.

/** The tag kinds that hold each answer type's value. */
export const TAG_KINDS_FOR: Readonly<Record<AnswerType, readonly TagKind[]>> = {
  person: ['person'],
  organisation: ['organisation'],
  place: ['place'],
  date: ['date', 'time'],
  number: ['number', 'money', 'duration'],
  age: ['age'],
  statement: ['quotation'],
  reason: [],
  other: [],
};

/** Tag kinds that can also answer a 'who' question, and the credit they earn (below a person's). */
const AGENT_KINDS: readonly TagKind[] = ['organisation', 'place'];
const AGENT_SCORE = 0.6;

/** Words that link an event to its cause or purpose, with how surely they do ('after' is often only about time). */
export const CAUSAL_MARKERS: readonly { phrase: string; weight: number }[] = [
  { phrase: 'because of', weight: 1 },
  { phrase: 'because', weight: 1 },
  { phrase: 'due to', weight: 1 },
  { phrase: 'owing to', weight: 1 },
  { phrase: 'as a result of', weight: 1 },
  { phrase: 'in order to', weight: 1 },
  { phrase: 'so as to', weight: 1 },
  { phrase: 'in a bid to', weight: 1 },
  { phrase: 'in an effort to', weight: 1 },
  { phrase: 'to avoid', weight: 1 },
  { phrase: 'to prevent', weight: 1 },
  { phrase: 'for fear of', weight: 1 },
  { phrase: 'for fear that', weight: 1 },
  { phrase: 'in response to', weight: 1 },
  { phrase: 'in retaliation for', weight: 1 },
  { phrase: 'in protest at', weight: 1 },
  { phrase: 'in protest against', weight: 1 },
  { phrase: 'on the grounds that', weight: 1 },
  { phrase: 'the reason', weight: 1 },
  { phrase: 'caused by', weight: 1 },
  { phrase: 'blamed on', weight: 1 },
  { phrase: 'prompted by', weight: 1 },
  { phrase: 'triggered by', weight: 1 },
  { phrase: 'motivated by', weight: 1 },
  { phrase: 'aimed at', weight: 0.8 },
  { phrase: 'so that', weight: 0.8 },
  { phrase: 'citing', weight: 0.8 },
  { phrase: 'thanks to', weight: 0.8 },
  { phrase: 'following', weight: 0.7 },
  { phrase: 'amid', weight: 0.6 },
  { phrase: 'after', weight: 0.4 },
  { phrase: 'since', weight: 0.3 },
];

// Longest first, so 'because of' wins over 'because' at the same place.
const CAUSAL_PATTERN = new RegExp(
  `\\b(?:${[...CAUSAL_MARKERS]
    .sort((a, b) => b.phrase.length - a.phrase.length)
    .map((m) => m.phrase.replace(/ /g, '\\s+'))
    .join('|')})\\b`,
  'gi',
);
const MARKER_WEIGHT = new Map(CAUSAL_MARKERS.map((m) => [m.phrase, m.weight]));

/** Where a clause ends: punctuation that separates clauses, or a full stop ending a sentence (not '6.30', 'U.S. forces'). */
const CLAUSE_END = /[,;:!?()[\]—–]|\s-\s|\.(?=\s+[\p{Lu}"“]|\s*$)/gu;

const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'we', 'i', 'him', 'her', 'them']);
const MINOR_WORDS = new Set(['the', 'a', 'an', 'of', 'and', 'in', 'on', 'at', 'for', 'to', 'by', 's']);
const WORD = /[\p{L}\p{N}]+(?:[.,'’-][\p{L}\p{N}]+)*/gu;

/** The content words of a text, lower case, possessives removed. */
function contentWords(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase().replace(/['’]s$/, '')).filter((w) => !MINOR_WORDS.has(w));
}

/**
 * Whether a tag says only what the question already says ('Niger' for 'Who is Niger's elected president?'): all its
 * words are in the question, or, for a person, the surname ('Mohamed Bazoum' for 'Who did Bazoum meet?').
 */
function givenByQuestion(tag: SentenceTag, text: string, questionWords: Set<string>): boolean {
  const words = contentWords(text);
  if (words.length === 0) return false;
  if (tag.kind === 'person' && questionWords.has(words.at(-1)!)) return true;
  return words.every((w) => questionWords.has(w));
}

/** Share of the subject's content words found in the attribution: 'the foreign minister' in 'Foreign Minister Hassoumi Massoudou' is 1. */
function subjectOverlap(subject: string, attribution: string): number {
  const wanted = contentWords(subject);
  if (wanted.length === 0) return 0;
  const have = new Set(contentWords(attribution));
  return wanted.filter((w) => have.has(w)).length / wanted.length;
}

const isPronoun = (attribution: string) => PRONOUNS.has(attribution.trim().toLowerCase());

interface CausalClause {
  start: number;
  end: number;
  weight: number;
}

/** The strongest causal marker in `text` (earliest among equals) and its clause, up to the clause's end. */
function causalClause(text: string, quotations: SentenceTag[]): CausalClause | undefined {
  let best: CausalClause | undefined;
  for (const match of text.matchAll(CAUSAL_PATTERN)) {
    const weight = MARKER_WEIGHT.get(match[0].toLowerCase().replace(/\s+/g, ' ')) ?? 0;
    if (best && weight <= best.weight) continue;
    const start = match.index;
    const inside = quotations.find((q) => start >= q.start && start < q.end);
    let end = text.length;
    CLAUSE_END.lastIndex = start + match[0].length;
    for (let m = CLAUSE_END.exec(text); m; m = CLAUSE_END.exec(text)) {
      // A quotation opened inside the clause belongs to it: 'following "the continued deterioration …, poor governance."'
      const quoted = quotations.find((q) => q !== inside && m!.index >= q.start && m!.index < q.end && q.start > start);
      if (quoted) {
        CLAUSE_END.lastIndex = quoted.end;
        continue;
      }
      end = m.index;
      break;
    }
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    best = { start, end, weight };
  }
  return best;
}

const validTags = (quote: string, tags: SentenceTag[]) => tags.filter((t) => t.start >= 0 && t.end <= quote.length && t.start < t.end);

/**
 * The span of `quote` to emphasise as the answer: the first tag of the expected type whose text the question does not
 * already say (for a statement, preferring a quotation attributed to the question's subject); for a reason, the causal
 * clause. Offsets are relative to `quote`; the quote itself is never changed. Undefined when nothing fits.
 */
export function emphasisSpan(
  quote: string,
  tags: SentenceTag[],
  type: AnswerType,
  question?: string,
): { start: number; end: number } | undefined {
  const valid = validTags(quote, tags);
  if (type === 'reason') {
    const clause = causalClause(quote, valid.filter((t) => t.kind === 'quotation'));
    return clause && clause.end > clause.start ? { start: clause.start, end: clause.end } : undefined;
  }
  const kinds = TAG_KINDS_FOR[type];
  const questionWords = new Set(contentWords(question ?? ''));
  const candidates = valid
    .filter((t) => kinds.includes(t.kind) && !givenByQuestion(t, quote.slice(t.start, t.end), questionWords))
    .sort((a, b) => a.start - b.start);
  let chosen = candidates[0];
  if (type === 'statement' && question) {
    const subject = classifyQuestion(question).subject;
    if (subject) chosen = candidates.find((t) => t.attribution && subjectOverlap(subject, t.attribution) >= 0.5) ?? chosen;
  }
  return chosen ? { start: chosen.start, end: chosen.end } : undefined;
}

/** A value of the asked type that is not the one holding the role the question names ('Who is the president?'). */
const ROLE_ELSEWHERE_SCORE = 0.7;
/** Text between a role word and the name it goes with: 'president, Mohamed Bazoum', 'Bazoum, the president'. */
const APPOSITION_GAP = /^[\s,]*(?:(?:the|a|an|its|his|her|their|who is|who was)\s+)?$/i;

/**
 * Whether some fresh value stands beside the role the question asks about, or no such role is in the sentence:
 * "Who is Niger's elected president?" is answered by "…elected president, Mohamed Bazoum," and not by "Foreign Minister
 * Hassoumi Massoudou said … its elected president", whose name belongs to another role.
 */
function roleBound(fresh: SentenceTag[], sentenceText: string, questionWords: Set<string>, type: AnswerType): boolean {
  const roles: Array<{ start: number; end: number }> = [];
  for (const m of sentenceText.matchAll(WORD)) {
    const word = m[0].toLowerCase().replace(/['’]s$/, '');
    if (questionWords.has(word) && headNounType(word) === type) roles.push({ start: m.index!, end: m.index! + m[0].length });
  }
  if (roles.length === 0) return true;
  return fresh.some((t) =>
    roles.some(
      (r) =>
        (r.end <= t.start && APPOSITION_GAP.test(sentenceText.slice(r.end, t.start))) ||
        (t.end <= r.start && APPOSITION_GAP.test(sentenceText.slice(t.end, r.start))),
    ),
  );
}

/** A date less precise than the question asks for ('this year' for 'When will…?'). */
const COARSE_DATE_SCORE = 0.6;

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*';
/** A date finer than a year: a month (with a day or a year beside it), a weekday, or a day word. */
const FINER_THAN_YEAR = new RegExp(
  `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b|\\b${MONTH}\\.?\\s+\\d{1,4}\\b|\\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\\b|\\b(?:today|tomorrow|yesterday|tonight)\\b`,
  'i',
);
/** A year written out ('1992', 'in 2005'), not a decade ('the 1980s'). */
const YEAR = /\b(?:1[5-9]|20)\d{2}\b(?!s)/;

/** Whether a date or time tag is as precise as the question asks. */
function preciseEnough(tag: SentenceTag, text: string, granularity: DateGranularity): boolean {
  if (granularity === 'year') return YEAR.test(text);
  return tag.kind === 'time' || FINER_THAN_YEAR.test(text);
}

/**
 * How well a sentence supplies the expected answer type, 0..1: 1 when it holds a value of that type the question does
 * not already say (as precise a date as the question asks for); for a reason, the weight of its strongest causal marker;
 * for a statement, a quotation, scored higher when attributed to the question's subject. 0 for 'other'.
 */
export function typeMatchScore(
  type: AnswerType,
  tags: SentenceTag[],
  sentenceText: string,
  question: string,
  subject?: string,
  granularity?: DateGranularity,
): number {
  const valid = validTags(sentenceText, tags);
  if (type === 'other') return 0;
  if (type === 'reason') return causalClause(sentenceText, valid.filter((t) => t.kind === 'quotation'))?.weight ?? 0;
  const questionWords = new Set(contentWords(question));
  const matching = valid.filter((t) => TAG_KINDS_FOR[type].includes(t.kind));
  const fresh = matching.filter((t) => !givenByQuestion(t, sentenceText.slice(t.start, t.end), questionWords));
  if (type !== 'statement') {
    if (fresh.length > 0) {
      const precise =
        type === 'date' && granularity ? fresh.filter((t) => preciseEnough(t, sentenceText.slice(t.start, t.end), granularity)) : fresh;
      if (precise.length === 0) return COARSE_DATE_SCORE;
      return roleBound(precise, sentenceText, questionWords, type) ? 1 : ROLE_ELSEWHERE_SCORE;
    }
    // 'Who condemned…?', 'Who did Mali ally with?': the one who acts is often a body or a country, not a person.
    const agents = type === 'person' ? valid.filter((t) => AGENT_KINDS.includes(t.kind)) : [];
    if (agents.some((t) => !givenByQuestion(t, sentenceText.slice(t.start, t.end), questionWords))) return AGENT_SCORE;
    return matching.length > 0 ? 0.3 : 0;
  }

  if (fresh.length === 0) {
    // Reported speech names the subject and a speech verb without quoting: 'Foreign Minister X said Niger's power was…'
    const reported = subject !== undefined && /\b(?:said|says|told|added|declared|announced|stated|warned)\b/i.test(sentenceText);
    return reported && subjectOverlap(subject, sentenceText) >= 0.5 ? 0.5 : 0;
  }
  if (!subject) return fresh.some((t) => t.attribution) ? 1 : 0.8;
  let best = 0;
  for (const t of fresh) {
    const score = !t.attribution ? 0.5 : subjectOverlap(subject, t.attribution) >= 0.5 ? 1 : isPronoun(t.attribution) ? 0.7 : 0.4;
    best = Math.max(best, score);
  }
  return best;
}
