// What a question asks, as distinct from how it names its story ("In the story where a defender says fans are bored of
// the bids, why did the board turn down the earlier offers?" names its article in the first clause and asks in the
// second), and the names it gives, which coverage that answers it must mention.
import { analyze } from '../index/index.js';
import { isDemonym } from '../text/index.js';

const QUESTION_WORD = /\b(what|who|whom|whose|when|where|why|how|which)\b/i;
/** Clause boundaries inside a question: commas, semicolons, colons, brackets and spaced dashes. */
const CLAUSE_BREAK = /\s[-–—]\s|[,;:()]/;
/**
 * Words that may come before the question word of a clause that asks ("roughly how many…", "and what…", "anyone know
 * what…", "in which…"). Anything else before it, a noun above all, makes the word a relative one that describes:
 * "the piece where Blair promised…", "the trade body boss who says…".
 */
const LEAD_IN = new Set(
  'so and but or then roughly approximately about around exactly just also ok okay anyone anybody know does do you in at on by for from to with of during since until after before under into'.split(
    ' ',
  ),
);

/** A clause describing the noun before it: "the one where…", "who says…", "which…". */
const DESCRIBING_INTERRUPTION = /^\s*(?:the ones?|who|whom|whose|which|that)\b/i;
/** First words of a clause that places the story rather than continuing the question. */
const PLACING = new Set([...LEAD_IN, 'according', 'going', 'judging', 'as', 'per', 'reported', 'said']);

/** Whether a clause opens with its question word, past lead-in words only. */
function opensWithQuestionWord(clause: string): boolean {
  for (const word of clause.trim().toLowerCase().split(/\s+/)) {
    if (QUESTION_WORD.test(word)) return true;
    if (!LEAD_IN.has(word.replace(/[^\p{L}']/gu, ''))) return false;
  }
  return false;
}

/**
 * The clause that asks: the last clause opening with a question word ("…, why did the board turn down the offers?";
 * "How many Britons were missing, in the piece where Blair promised aid?"), else the last holding one; the whole
 * question when none does ("Bazoum's successor?").
 */
export function askingClause(question: string): string {
  const clauses = question.split(CLAUSE_BREAK);
  const withQuestionWord = clauses.map((text, at) => ({ text, at })).filter((c) => QUESTION_WORD.test(c.text));
  const opening = withQuestionWord.filter((c) => opensWithQuestionWord(c.text));
  const chosen = opening.at(-1) ?? withQuestionWord.at(-1);
  if (!chosen) return question.trim();
  // "What did the coach, the one insisting he won't quit, say about the claims?": the question resumes after a clause
  // describing its subject, unless what follows only places the story ("…, in that piece on the budget?").
  const interruption = clauses[chosen.at + 1];
  const resumed = clauses[chosen.at + 2]?.trim();
  if (
    opening.includes(chosen) &&
    interruption !== undefined &&
    DESCRIBING_INTERRUPTION.test(interruption) &&
    resumed &&
    !QUESTION_WORD.test(resumed) &&
    !PLACING.has(resumed.split(/\s+/)[0]!.toLowerCase())
  ) {
    return `${chosen.text.trim()} ${resumed}`;
  }
  return chosen.text.trim();
}


/** Capitalised words that name nothing: question words and the like, when a question capitalises them mid-sentence. */
const NOT_NAMES = new Set(['i', 'what', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'which', 'the', 'a', 'an', 'according']);
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’&.-]*/gu;

/**
 * The names and numbers a question mentions ("YouTube", "Xbox", "360", "2006"), as written: a capitalised word that
 * does not begin the question, or any word with a digit. A question about something the coverage never mentions
 * cannot be answered by it, however well its other words match.
 */
export function namedTerms(question: string): string[] {
  const names = new Map<string, string>();
  for (const { token } of nameTokens(question)) if (!names.has(token.toLowerCase())) names.set(token.toLowerCase(), token);
  return [...names.values()];
}

/** The tokens of `question` that namedTerms counts as names, as written, with where each starts and ends. */
function nameTokens(question: string): Array<{ token: string; start: number; end: number }> {
  const found: Array<{ token: string; start: number; end: number }> = [];
  let first = true;
  for (const match of question.matchAll(TOKEN)) {
    const token = match[0].replace(/['’]s$/u, '').replace(/[.'’&-]+$/u, '');
    const isFirst = first;
    first = false;
    if (!token) continue;
    if (/\p{N}/u.test(token) || (!isFirst && /^\p{Lu}/u.test(token) && !NOT_NAMES.has(token.toLowerCase()))) {
      found.push({ token, start: match.index, end: match.index + token.length });
    }
  }
  return found;
}

/** What may stand between two words of one name: spaces, and 'of' or 'the' ('Bank of England', 'Queen of the South'). */
const WITHIN_NAME = /^\s+(?:(?:of|the)\s+)*$/;

/**
 * Each of `names` (namedTerms' words) as the whole name of the question it is part of: 'Cup' in "Who won the World
 * Cup?" is 'World Cup', since "no article mentions Cup" reads as if the cup were the question. A name said in parts
 * is given once.
 */
export function wholeNames(question: string, names: string[]): string[] {
  const tokens = nameTokens(question);
  const runs: Array<{ start: number; end: number }> = [];
  tokens.forEach((t, i) => {
    const last = runs.at(-1);
    if (last && i > 0 && WITHIN_NAME.test(question.slice(tokens[i - 1]!.end, t.start))) last.end = t.end;
    else runs.push({ start: t.start, end: t.end });
  });
  const whole = new Set<string>();
  for (const name of names) {
    const at = tokens.find((t) => t.token.toLowerCase() === name.toLowerCase());
    const run = at && runs.find((r) => r.start <= at.start && at.end <= r.end);
    whole.add(run ? question.slice(run.start, run.end) : name);
  }
  return [...whole];
}

/**
 * An acronym's other written forms: dotted ('U.S.' for 'US') and spelled out, each capitalised word giving one letter
 * with 'of', 'the', 'and', 'for' or '&' between them ('United States', 'Standard & Poor's' for 'S&P'). Undefined for a
 * name that is not an all-capital acronym of 2 to 6 letters. A run of capitalised words may spell one by chance ('Union
 * Square'): a name found where it is not errs towards answering.
 */
function acronymForms(name: string): RegExp | undefined {
  // A question may write the acronym dotted itself ('E.U.'; namedTerms drops the last dot).
  const bare = /^(?:\p{Lu}\.){1,5}\p{Lu}\.?$/u.test(name) ? name.replace(/\./g, '') : name;
  if (!/^\p{Lu}(?:&?\p{Lu}){1,5}$/u.test(bare)) return undefined;
  const letters = [...bare.replace(/&/g, '')];
  // Words of three letters or more: 'Mr Pound' does not spell 'MP'.
  const spelled = letters.map((l) => `${l}[\\p{Ll}'’-]{2,}`).join(`\\s+(?:(?:of|the|and|for|&)\\s+)*`);
  return wholeWord(`${abbreviated(letters)}|${spelled}`);
}

/** An acronym's letters written plain or dotted ('EU', 'E.U.', 'E. U'), '&' allowed between them ('S&P'). */
function abbreviated(letters: string[]): string {
  return `${letters.join('&?')}|${letters.map((l) => `${l}\\.`).join('\\s?').replace(/\\\.$/, '\\.?')}`;
}

/** Any of the alternatives in `source`, as a whole word. */
function wholeWord(source: string): RegExp {
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${source})(?=$|[^\\p{L}\\p{N}])`, 'u');
}

/** A run of capitalised words a question spells out ('European Union', 'Standard & Poor's'), past its first word. */
const SPELLED_OUT = /(?<=[^\p{L}\p{N}'’]\s*)\p{Lu}[\p{Ll}'’-]+(?:\s+(?:(?:of|the|and|for|&)\s+)*\p{Lu}[\p{Ll}'’-]+){1,5}/gu;

/** A name of the question in the other form a sentence may write it in, and the question's terms it stands for. */
export interface NameAlias {
  pattern: RegExp;
  terms: string[];
}

/**
 * The question's names a sentence may write differently: an acronym dotted or spelled out ('EU' / 'European Union'),
 * and a spelled-out name as its acronym ('European Union' / 'EU', 'E.U.'). News spells a name out once and abbreviates
 * it after, so the sentence that answers often uses the form the question did not. A name may spell an unrelated
 * acronym by chance ('Tony Blair' / 'TB'); that costs one sentence a little unearned term share.
 */
export function nameAliases(question: string): NameAlias[] {
  const aliases: NameAlias[] = [];
  for (const name of namedTerms(question)) {
    const pattern = acronymForms(name);
    const terms = analyze(name);
    if (pattern && terms.length > 0) aliases.push({ pattern, terms });
  }
  for (const [run] of question.matchAll(SPELLED_OUT)) {
    const initials = [...run.matchAll(/(?:^|\s)(\p{Lu})(?!\p{Lu})/gu)].map((m) => m[1]!);
    const capitalised = run.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w));
    if (initials.length === capitalised.length) aliases.push({ pattern: wholeWord(abbreviated(initials)), terms: analyze(run) });
  }
  return aliases;
}

/** A sentence's analysed terms, with the question's terms for each of its names the sentence writes in another form. */
export function termsWithAliases(text: string, aliases: NameAlias[]): Set<string> {
  const terms = new Set(analyze(text));
  for (const alias of aliases) if (alias.pattern.test(text)) for (const t of alias.terms) terms.add(t);
  return terms;
}

/**
 * Whether `text` mentions `name`: as a whole word, case aside; an acronym in another of its forms (acronymForms); or a
 * nationality word at all — it describes rather than names, and coverage says 'France' or 'British' as often as
 * 'French' or 'Brits' (checked last: it is the only test that loads the name lexicon).
 */
function mentions(name: string, text: string, lowerText: string): boolean {
  if (new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(name.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(lowerText)) return true;
  if (acronymForms(name)?.test(text)) return true;
  return isDemonym(name);
}

/** Share of `names` that `text` mentions (1 when there are none: nothing named, nothing missing). */
export function nameShare(names: string[], text: string): number {
  if (names.length === 0) return 1;
  const lower = text.toLowerCase();
  return names.filter((name) => mentions(name, text, lower)).length / names.length;
}

/**
 * The names no indexed passage holds in any form (`indexed` says whether an analysed term occurs in the index) and
 * none of `texts` (the candidate articles) mentions otherwise written ('European Union' for 'EU'). Nationality words
 * are never reported: the index may say 'France' for 'French'.
 */
export function unmentionedNames(names: string[], indexed: (term: string) => boolean, texts: string[] = []): string[] {
  return names.filter((name) => {
    const terms = analyze(name);
    return terms.length > 0 && !terms.some(indexed) && !isDemonym(name) && !texts.some((text) => nameShare([name], text) === 1);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
