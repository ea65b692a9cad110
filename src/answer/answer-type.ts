// Answer types: the kind of answer a question asks for ('How many troops…' a number, 'Who leads…' a person, 'What
// year…' a date as precise as a year), read from its wh-word and head noun by a rule table (classifyQuestion). How a
// sentence supplies that kind of answer is type-match.ts.
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
export function headNounType(word: string): AnswerType | undefined {
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
