// Matching a sentence to the asked answer type (answer-type.ts classifies the question): how well a sentence's tags
// (src/text/tags.ts) supply that kind of answer — a score for ranking (typeMatchScore) — and the span of a quote to
// emphasise as the answer (emphasisSpan). Word overlap alone finds sentences on the right topic; this prefers the ones
// that hold the answer.
import type { SentenceTag, TagKind } from '../text/index.js';
import { classifyQuestion, headNounType, type AnswerType, type DateGranularity } from './answer-type.js';

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
