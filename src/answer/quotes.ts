// Choosing quotes: which of the scored sentences are shown, over which span of their article, and which reports from
// other outlets are attached to them as corroboration. Pure: the scored sentences, their articles' sentence spans and
// the question come in as plain data, quote spans go out. Whether a span still reads as in its article's file is not
// decided here: `chooseQuotes` hands each span it would show to its caller to check (answer.ts, with verify.ts) and
// goes on with what the check gives back, because a span that fails changes what is chosen next.
import type { Article } from '../corpus/index.js';
import { analyze } from '../index/index.js';
import type { AnalyzedQuery } from '../retrieval/index.js';
import type { Span } from '../text/index.js';
import type { QuestionClass } from './answer-type.js';
import { weightedTermShare, type ArticleSentence, type ScoredSentence } from './sentences.js';
import { emphasisSpan } from './type-match.js';

/** A second or third quote must be at least this likely, relative to the first, to be shown: no padding. */
const QUOTE_BAR = 0.3;
/** A neighbouring sentence joins the quote when it adds at least this much coverage of the question. */
const SPAN_GAIN = 0.2;
/** A sentence from another outlet corroborates a quote when it shares this share of the quote's content terms. */
const CORROBORATION_OVERLAP = 0.5;

/** What choosing quotes needs to know besides the scored sentences. */
export interface QuoteRequest {
  query: AnalyzedQuery;
  question: string;
  questionClass: QuestionClass;
  /** How many quotes at most. */
  k: number;
  idfOf: (term: string) => number;
  /** The candidate articles' sentences in text order (for the neighbours a quote may take in). */
  sentencesByArticle: ReadonlyMap<string, ArticleSentence[]>;
}

/** A span of an article's text to check against the article's file before it is shown. */
export interface SpanCheck {
  article: Article;
  start: number;
  end: number;
  /**
   * Whether failing is to be expected and is no news about the file: a sentence and its neighbour read as one span,
   * which fails where cleaning removed something between the two (a caption).
   */
  expected: boolean;
}

/** A span of an article's text that checked. */
export interface ArticleSpan {
  article: Article;
  /** The article's text from `start` to `end`, as the check gave it back. */
  text: string;
  start: number;
  end: number;
}

/** A chosen quote (one sentence, or two read as one), with the reports of the same fact from other outlets. */
export interface ChosenQuote extends ArticleSpan {
  /** The score of the sentence it was chosen for. */
  score: number;
  /** That sentence's passage (quotes are cited by passage). */
  passageId: string;
  /** Offsets, relative to `text`, of the value of the asked type (what to emphasise). */
  answerSpan?: { start: number; end: number };
  corroboration: ArticleSpan[];
}

/**
 * The quotes to show for sentences scored best first: at most `request.k`, each checked before it is taken. Yields
 * every span to check and expects back the checked text, or null when the span does not read as in the file; returns
 * the quotes, best first. The rules, each on its own function below:
 * - the best sentence that checks is quoted; further quotes stop at the first sentence below the bar (`belowBar`);
 * - a sentence that corroborates a quote already chosen (`corroborates`) is attached to it, not quoted again;
 * - a quote takes in a neighbouring sentence that holds the rest of the question's words (`spanningNeighbour`), else
 *   the next sentence when its own holds no value of the kind asked for (`continuation`); when the two together do not
 *   check, the sentence alone is quoted;
 * - no sentence is quoted twice (a neighbour taken in is not quoted again on its own);
 * - the value of the asked type is marked in the quote (`answerSpanIn`);
 * - last, every candidate from another outlet that corroborates a quote is attached to it (one per article).
 *
 * Example (the fixture of tests/answer/quotes.test.ts): for "How many U.S. troops are in Niger?", with NBC's "The U.S.
 * has troops in Niger." scored best, AFP's "Some 1,100 U.S. troops are in Niger." second and NBC's "About 1,100 of
 * them are stationed at three outposts." third, the one quote is NBC's two sentences "The U.S. has troops in Niger.
 * About 1,100 of them are stationed at three outposts." with AFP's sentence attached as corroboration.
 */
export function* chooseQuotes(sentences: ScoredSentence[], request: QuoteRequest): Generator<SpanCheck, ChosenQuote[], string | null> {
  const { k, idfOf } = request;
  const quotes: ChosenQuote[] = [];
  // A quote's own sentence, without the neighbour it may be extended by: what a report from another outlet must match.
  const coreTerms = new Map<ChosenQuote, Set<string>>();
  const used = new Set<string>();
  const best = sentences[0]?.score ?? 0;

  for (const s of sentences) {
    if (quotes.length >= k) break;
    const { span: sentenceSpan } = s.sentence;
    const key = sentenceKey(s.article, sentenceSpan.start);
    if (used.has(key)) continue;
    // Quotes well below the best one answer a different question (or none): one right sentence beats three guesses.
    if (quotes.length > 0 && belowBar(s.score, best)) break;
    // Corroborating reports of a fact already quoted are attached to that quote instead of repeated.
    const corroborated = quotes.find((q) => corroborates(q.article, coreTerms.get(q)!, s, idfOf));
    if (corroborated) {
      used.add(key);
      const text = yield { article: s.article, start: sentenceSpan.start, end: sentenceSpan.end, expected: false };
      if (text && !corroborated.corroboration.some((c) => c.article.id === s.article.id)) {
        corroborated.corroboration.push({ article: s.article, text, start: sentenceSpan.start, end: sentenceSpan.end });
      }
      continue;
    }
    let { start, end } = sentenceSpan;
    const articleSentences = request.sentencesByArticle.get(s.article.id) ?? [];
    const neighbour = spanningNeighbour(request.query, s, articleSentences, idfOf, used) ?? continuation(s, articleSentences, used);
    used.add(key);
    let text: string | null = null;
    if (neighbour) {
      // The pair must read in the file as it does here: cleaning may have removed a caption between the two.
      text = yield { article: s.article, start: Math.min(start, neighbour.start), end: Math.max(end, neighbour.end), expected: true };
      if (text) {
        start = Math.min(start, neighbour.start);
        end = Math.max(end, neighbour.end);
        used.add(sentenceKey(s.article, neighbour.start));
      }
    }
    text ??= yield { article: s.article, start, end, expected: false };
    if (!text) continue;
    const answerSpan = answerSpanIn(s, start, request.questionClass, request.question);
    const quote: ChosenQuote = {
      article: s.article,
      text,
      start,
      end,
      score: s.score,
      passageId: s.sentence.passageId,
      corroboration: [],
      ...(answerSpan ? { answerSpan } : {}),
    };
    quotes.push(quote);
    coreTerms.set(quote, s.terms);
  }
  // Later candidates from other outlets may corroborate quotes chosen before them.
  for (const s of sentences) {
    for (const q of quotes) {
      if (q.article.id === s.article.id || q.corroboration.some((c) => c.article.id === s.article.id)) continue;
      if (!corroborates(q.article, coreTerms.get(q)!, s, idfOf)) continue;
      const { start, end } = s.sentence.span;
      const text = yield { article: s.article, start, end, expected: false };
      if (text) q.corroboration.push({ article: s.article, text, start, end });
    }
  }
  return quotes;
}

/** Which sentence of which article: a sentence is never quoted twice. */
function sentenceKey(article: Article, start: number): string {
  return `${article.id}:${start}`;
}

/**
 * Whether a sentence is too unlikely, beside the best one, to be shown as a further quote: below QUOTE_BAR (0.3) of the
 * best score. With the best sentence at 0.8, a second at 0.3 is shown (0.3 ≥ 0.24) and one at 0.2 is not: quotes well
 * below the best answer a different question, and one right sentence beats three guesses.
 */
function belowBar(score: number, bestScore: number): boolean {
  return score < QUOTE_BAR * bestScore;
}

/**
 * Same fact, another outlet: a sentence corroborates a quote when it comes from another outlet (an article without an
 * outlet counts as its own) and shares most of the quote's content terms (`quoteTerms`, IDF-weighted) — half of them,
 * and, both ways, those shared are at least 30 % of the sentence's own, so a long sentence that mentions the quote's
 * words in passing is not the same fact. Example: the NBC quote "The U.S. has troops in Niger." is corroborated by
 * AFP's "Some 1,100 U.S. troops are in Niger.", but not by NBC's own "U.S. troops in Niger were confined to their
 * bases.", nor by AFP's "The coup leaders closed the borders.", nor by AFP's "France and the U.S., allies of Niger with
 * troops and bases in the Sahel, voiced support for Bazoum after the coup." (three of its fourteen terms).
 */
export function corroborates(
  quoteArticle: Pick<Article, 'id' | 'outlet'>,
  quoteTerms: Set<string>,
  s: Pick<ScoredSentence, 'article' | 'terms'>,
  idfOf: (term: string) => number,
): boolean {
  if ((quoteArticle.outlet ?? quoteArticle.id) === (s.article.outlet ?? s.article.id)) return false;
  let total = 0;
  let shared = 0;
  for (const t of quoteTerms) {
    const w = idfOf(t);
    total += w;
    if (s.terms.has(t)) shared += w;
  }
  let sentenceTotal = 0;
  for (const t of s.terms) sentenceTotal += idfOf(t);
  // Both directions: a long sentence that mentions the quote's words in passing is not the same fact.
  return total > 0 && shared / total >= CORROBORATION_OVERLAP && shared / Math.max(sentenceTotal, 1e-9) >= CORROBORATION_OVERLAP * 0.6;
}

/**
 * The adjacent sentence to quote as well, when the question's terms are split across the two: the one (before or after,
 * in the same paragraph, not already used) that adds the most IDF-weighted share of the question's terms, at least
 * SPAN_GAIN (0.2). Example: for "Which colonel read the junta's statement on television?", the best sentence "Colonel
 * Amadou Abdramane read it on national television." starts mid-thought ("it"); the sentence before it, "The junta
 * issued a statement on Wednesday.", holds 'junta' and 'statement' (two fifths more of the question), so the quote
 * starts there. Never one already quoted (it would repeat in two quotes), never across a paragraph break.
 */
function spanningNeighbour(
  query: AnalyzedQuery,
  s: ScoredSentence,
  sentences: ArticleSentence[],
  idfOf: (term: string) => number,
  used: ReadonlySet<string>,
): Span | null {
  let best: Span | null = null;
  let bestGain = SPAN_GAIN;
  for (const i of [s.at - 1, s.at + 1]) {
    const span = sentences[i]?.span;
    if (!span || used.has(sentenceKey(s.article, span.start))) continue;
    const between = s.article.text.slice(Math.min(span.end, s.sentence.span.end), Math.max(span.start, s.sentence.span.start));
    // Never across a paragraph break: the two sentences must read as one passage.
    if (between.includes('\n')) continue;
    const terms = new Set([...s.terms, ...analyze(s.article.text.slice(span.start, span.end))]);
    const gain = weightedTermShare(query, terms, idfOf) - s.termShare;
    if (gain >= bestGain) {
      best = span;
      bestGain = gain;
    }
  }
  return best;
}

/**
 * The sentence after one that holds no value of the kind asked for (no name for "who", no number for "how many", or
 * an untyped "what happened"): news writing restates a matter, then gives its detail, so the sentence that best
 * matches a question's words is often followed by the one that answers it. Example: for "How many U.S. troops are in
 * Niger?", "The U.S. has troops in Niger." holds no number, so "About 1,100 of them are stationed at three outposts."
 * joins it; "The U.S. has 1,100 troops in Niger." would be quoted alone. Never one already quoted.
 */
function continuation(s: ScoredSentence, sentences: ArticleSentence[], used: ReadonlySet<string>): Span | null {
  if (s.typeMatch > 0) return null;
  const next = sentences[s.at + 1]?.span;
  return next && !used.has(sentenceKey(s.article, next.start)) ? next : null;
}

/**
 * Where, in a quote starting at `quoteStart`, the value of the asked type stands: found in the sentence the quote was
 * chosen for (type-match.ts) and shifted by the sentence the quote may begin with. Example: for "Which colonel read the
 * junta's statement on television?", the quote "The junta issued a statement on Wednesday. Colonel Amadou Abdramane
 * read it on national television." was chosen for its second sentence: 'Amadou Abdramane' is marked at 51..67, not at
 * 8..24 where it stands in that sentence. None for a question of no particular type.
 */
function answerSpanIn(
  s: Pick<ScoredSentence, 'text' | 'sentence'>,
  quoteStart: number,
  questionClass: QuestionClass,
  question: string,
): { start: number; end: number } | undefined {
  const span = questionClass.type === 'other' ? undefined : emphasisSpan(s.text, s.sentence.tags, questionClass.type, question);
  const shift = s.sentence.span.start - quoteStart;
  return span ? { start: span.start + shift, end: span.end + shift } : undefined;
}
