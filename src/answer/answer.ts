// Finding the answer: retrieve passages, score their sentences against the question, decide whether the coverage answers
// it, and return verbatim, cited quotes (best first) with corroborating reports from other outlets.
import { UserError } from '../errors.js';
import type { Article } from '../corpus/index.js';
import type { Embedder } from '../embedding/index.js';
import { analyze, idf, type PassageStore } from '../index/index.js';
import {
  analyzeQuery,
  retrieve,
  questionTermShare,
  type AnalyzedQuery,
  type ExpansionSettings,
  type RetrievalSettings,
  type WordNeighbours,
} from '../retrieval/index.js';
import { expandChatShorthand, normalizeQuestion, type Span } from '../text/index.js';
import { classifyQuestion, emphasisSpan, type QuestionClass } from './answer-type.js';
import { nameShare, namedTerms, unmentionedNames, wholeNames } from './focus.js';
import {
  candidateArticles,
  scoreSentences,
  sentencesOfArticles,
  weightedTermShare,
  type ArticleSentence,
  type ScoredSentence,
  type SentenceScorer,
} from './sentences.js';
import { confidence, type Calibration, type EvidenceFeatures } from './confidence.js';
import { CLOSEST_QUOTES, type Answer, type AnswerOptions, type Citation, type Quote } from './types.js';
import { isVerbatim, type SourceTextReader } from './verify.js';

/** A question the user must rephrase (empty, or nothing left after removing mentions and markup). */
export class QuestionError extends UserError {}

export interface AnswerContext {
  index: PassageStore;
  embedder: Embedder;
  neighbours: WordNeighbours | null;
  readSource: SourceTextReader;
  /** Told when a quote is dropped because the article's file no longer reads as indexed (the quote is still dropped). */
  onUnverified?: (article: Article) => Promise<void>;
  calibration: Calibration;
  sentenceScorer: SentenceScorer;
  retrieval: RetrievalSettings;
  expansion: ExpansionSettings;
}

/** The context of one question: the candidate articles' sentences in text order, read from the store once. */
type QuestionContext = AnswerContext & { sentencesByArticle: Map<string, ArticleSentence[]> };

/** How many passages candidate sentences are drawn from (the articles of these). */
const QUOTE_PASSAGES = 6;

/** A second or third quote must be at least this likely, relative to the first, to be shown: no padding. */
const QUOTE_BAR = 0.3;
/** A neighbouring sentence joins the quote when it adds at least this much coverage of the question. */
const SPAN_GAIN = 0.2;
/** A sentence from another outlet corroborates a quote when it shares this share of the quote's content terms. */
const CORROBORATION_OVERLAP = 0.5;

/** Removes what chat adds around a question: mentions, custom emoji, Markdown markers, URLs. */
export function stripChatMarkup(raw: string): string {
  return raw
    .replace(/<a?:\w+:\d+>/g, ' ')
    .replace(/<[@#][!&]?\d+>/g, ' ')
    .replace(/@(everyone|here)\b/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[*_~`|>]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function citationOf(article: Article | Citation): Citation {
  return {
    id: article.id,
    title: article.title,
    outlet: article.outlet,
    published: article.published,
    byline: article.byline,
    url: article.url,
    file: article.file,
  };
}

export async function findAnswer(ctx: AnswerContext, rawQuestion: string, options: AnswerOptions = {}): Promise<Answer> {
  const { index, embedder } = ctx;
  const cleaned = stripChatMarkup(normalizeQuestion(rawQuestion));
  if (!cleaned) throw new QuestionError('The question is empty: ask something about the coverage, e.g. "Who leads the coup?"');
  // Long input is cut to what the model reads; the lexical side uses the same text so both rank the same question.
  // Chat shorthand is spelled out for every reader of the question ("whos the pres" → "who is the president").
  const question = expandChatShorthand(embedder.truncateToTokens(cleaned, embedder.maxTokens));
  const context = options.context ? expandChatShorthand(stripChatMarkup(normalizeQuestion(options.context))) : '';
  const searchText = context ? `${context} ${question}` : question;
  const k = Math.max(1, Math.min(options.k ?? 3, 10));
  // The type is always reported; with answer types off it just does not steer scoring (so evaluations can compare).
  const classified = classifyQuestion(question);
  const questionClass: QuestionClass = options.answerTypes === false ? { type: 'other' } : classified;

  const analyzed = analyzeQuery(searchText, index.termStats, ctx.neighbours, ctx.expansion);
  const queryVector = await embedder.embedQuery(searchText);
  const ranked = await retrieve(index, analyzed, queryVector, {
    k: Math.max(QUOTE_PASSAGES, k),
    filter: { outlet: options.outlet, since: options.since, until: options.until, excludeArticles: options.excludeArticles },
    settings: ctx.retrieval,
  });
  // Names the question gives that appear nowhere in the index nor in another form in the candidate articles
  // (`candidates`): said when declining, so the user knows why.
  const names = namedTerms(question);
  const unanswered = (conf: number, candidates: string[] = []): Answer => {
    const unmentioned = wholeNames(question, unmentionedNames(names, (term) => index.termStats.df.has(term), candidates));
    return {
      ...(unmentioned.length > 0 ? { unmentioned } : {}),
      ...(index.manifest.counts.articles === 0 ? { emptyIndex: true as const } : {}),
      question: cleaned,
      answerType: classified.type,
      answered: false,
      outcome: 'not-covered',
      confidence: conf,
      quotes: [],
      sources: uniqueCitations(ranked.slice(0, 3).map((r) => r.article)),
    };
  };
  if (ranked.length === 0 || analyzed.terms.length === 0) return unanswered(0);

  const idfOf = (t: string) => idf(index.termStats, t);
  const candidatePassages = ranked.slice(0, QUOTE_PASSAGES);
  const sentencesByArticle = await sentencesOfArticles(index, candidateArticles(candidatePassages).map((c) => c.article.id));
  const sentences = await scoreSentences(
    { index, sentencesByArticle, scorer: ctx.sentenceScorer },
    analyzed,
    queryVector,
    candidatePassages,
    idfOf,
    questionClass,
    question,
  );
  const best = sentences[0];
  if (!best) return unanswered(0);

  const candidates = articlesOf(sentences).map((a) => `${a.title}\n${a.text}`);
  // Evidence comes from the question alone (a follow-up's context and the expansions would inflate it).
  const own = context ? analyzeQuery(question, index.termStats, null) : analyzed;
  const second = sentences[1];
  const features: EvidenceFeatures = {
    sentenceScore: best.score,
    scoreMargin: best.score - (second?.score ?? 0),
    dense: best.dense,
    denseMargin: best.dense - Math.max(-1, ...sentences.filter((s) => s.article.id !== best.article.id).map((s) => s.dense)),
    agreement: best.article.id === ranked[0]!.article.id ? 1 : 0,
    typeMatch: best.typeMatch,
    termShare: questionTermShare(own, best.terms, index.termStats),
    namesFound: candidates.some((text) => nameShare(names, text) === 1) ? 1 : 0,
  };
  const conf = confidence(features, ctx.calibration);
  const threshold = options.threshold ?? ctx.calibration.threshold;
  const closest = Math.min(threshold, options.threshold ?? ctx.calibration.closest ?? threshold);
  const collected = options.collectCandidates ? { candidates: sentences.map((s) => ({ text: s.text, features: s.features })) } : {};
  if (conf < closest) return { ...unanswered(conf, candidates), evidence: features, ...collected };
  const outcome = conf >= threshold ? 'answered' : 'closest';

  // Unsure: the best one or two sentences, labelled as the closest coverage rather than an answer.
  const unverified = new Set<string>();
  const quotes = await chooseQuotes({ ...ctx, sentencesByArticle }, analyzed, sentences, outcome === 'answered' ? k : Math.min(k, CLOSEST_QUOTES), idfOf, questionClass, question, unverified);
  // An article whose file no longer backs its text was part of the evidence: the decision is made again without it,
  // never carried over to whatever other text is left (a question about a deleted article is then not covered).
  if (unverified.size > 0) {
    return findAnswer(ctx, rawQuestion, { ...options, excludeArticles: [...(options.excludeArticles ?? []), ...unverified] });
  }
  if (quotes.length === 0) return { ...unanswered(conf, candidates), evidence: features, ...collected };
  return {
    ...collected,
    question: cleaned,
    answerType: classified.type,
    answered: outcome === 'answered',
    outcome,
    confidence: conf,
    evidence: features,
    quotes,
    sources: uniqueCitations(quotes.flatMap((q) => [q.source, ...q.corroboration.map((c) => c.source)])),
  };
}

/** The distinct articles of scored sentences. */
function articlesOf(sentences: ScoredSentence[]): Article[] {
  return [...new Map(sentences.map((s) => [s.article.id, s.article])).values()];
}

function uniqueCitations(cited: ReadonlyArray<Article | Citation>): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of cited) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(citationOf(c));
  }
  return out;
}

/** The best sentences, extended to a neighbouring sentence when the answer spans both, verified, with corroboration. */
async function chooseQuotes(
  ctx: QuestionContext,
  query: AnalyzedQuery,
  sentences: ScoredSentence[],
  k: number,
  idfOf: (t: string) => number,
  questionClass: QuestionClass,
  question: string,
  /** Receives the ids of articles whose file no longer reads as indexed (missing or changed). */
  unverified: Set<string>,
): Promise<Quote[]> {
  const quotes: Quote[] = [];
  // A quote's own sentence, without the neighbour it may be extended by: what a report from another outlet must match.
  const coreTerms = new Map<Quote, Set<string>>();
  const used = new Set<string>();
  const sourceCache = new Map<string, Promise<string | null>>();
  const sourceOf = (a: Article) => {
    if (!sourceCache.has(a.id)) sourceCache.set(a.id, ctx.readSource(a));
    return sourceCache.get(a.id)!;
  };
  // `expected`: a failure is no news about the file (a sentence pair across a caption cleaning removed), so it is not
  // reported; a single sentence that does not read as indexed means the file changed.
  const verified = async (a: Article, start: number, end: number, expected = false) => {
    const text = a.text.slice(start, end);
    const source = await sourceOf(a);
    if (isVerbatim({ text, start, end }, a, source)) return text;
    if (source === null) unverified.add(a.id);
    else if (!expected) {
      unverified.add(a.id);
      await ctx.onUnverified?.(a);
    }
    return null;
  };
  const best = sentences[0]!.score;

  for (const s of sentences) {
    if (quotes.length >= k) break;
    const { span: sentenceSpan } = s.sentence;
    const key = `${s.article.id}:${sentenceSpan.start}`;
    if (used.has(key)) continue;
    // Quotes well below the best one answer a different question (or none): one right sentence beats three guesses.
    if (quotes.length > 0 && s.score < QUOTE_BAR * best) break;
    // Corroborating reports of a fact already quoted are attached to that quote instead of repeated.
    const corroborated = quotes.find((q) => corroborates(q, coreTerms.get(q)!, s, idfOf));
    if (corroborated) {
      used.add(key);
      const text = await verified(s.article, sentenceSpan.start, sentenceSpan.end);
      if (text && !corroborated.corroboration.some((c) => c.source.id === s.article.id)) {
        corroborated.corroboration.push({ text, start: sentenceSpan.start, end: sentenceSpan.end, source: citationOf(s.article) });
      }
      continue;
    }
    let { start, end } = sentenceSpan;
    const articleSentences = ctx.sentencesByArticle.get(s.article.id) ?? [];
    const neighbour = spanningNeighbour(query, s, articleSentences, idfOf, used) ?? continuation(s, articleSentences, used);
    used.add(key);
    let text: string | null = null;
    if (neighbour) {
      // The pair must read in the file as it does here: cleaning may have removed a caption between the two.
      text = await verified(s.article, Math.min(start, neighbour.start), Math.max(end, neighbour.end), true);
      if (text) {
        start = Math.min(start, neighbour.start);
        end = Math.max(end, neighbour.end);
        used.add(`${s.article.id}:${neighbour.start}`);
      }
    }
    text ??= await verified(s.article, start, end);
    if (!text) continue;
    // The emphasised span is found in the best sentence and shifted into the quote (which may begin a sentence earlier).
    const span =
      questionClass.type === 'other' ? undefined : emphasisSpan(s.text, s.sentence.tags, questionClass.type, question);
    const shift = sentenceSpan.start - start;
    const quote: Quote = {
      text,
      start,
      end,
      score: s.score,
      passageId: s.sentence.passageId,
      source: citationOf(s.article),
      corroboration: [],
      ...(span ? { answerSpan: { start: span.start + shift, end: span.end + shift } } : {}),
    };
    quotes.push(quote);
    coreTerms.set(quote, s.terms);
  }
  // Later candidates from other outlets may corroborate quotes chosen before them.
  for (const s of sentences) {
    for (const q of quotes) {
      if (q.source.id === s.article.id || q.corroboration.some((c) => c.source.id === s.article.id)) continue;
      if (!corroboratesQuote(q, coreTerms.get(q)!, s, idfOf)) continue;
      const { start, end } = s.sentence.span;
      const text = await verified(s.article, start, end);
      if (text) q.corroboration.push({ text, start, end, source: citationOf(s.article) });
    }
  }
  return quotes;
}

function corroborates(q: Quote, quoteTerms: Set<string>, s: ScoredSentence, idfOf: (t: string) => number): boolean {
  return q.source.id !== s.article.id && corroboratesQuote(q, quoteTerms, s, idfOf);
}

/** Same fact, another outlet: the sentence shares most of the quote's (IDF-weighted) content terms. */
function corroboratesQuote(q: Quote, quoteTerms: Set<string>, s: ScoredSentence, idfOf: (t: string) => number): boolean {
  if ((q.source.outlet ?? q.source.id) === (s.article.outlet ?? s.article.id)) return false;
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
 * The adjacent sentence to quote as well, when the question's terms are split across the two; never one already quoted
 * (or it would repeat in two quotes).
 */
function spanningNeighbour(
  query: AnalyzedQuery,
  s: ScoredSentence,
  sentences: ArticleSentence[],
  idfOf: (t: string) => number,
  used: Set<string>,
): Span | null {
  let best: Span | null = null;
  let bestGain = SPAN_GAIN;
  for (const i of [s.at - 1, s.at + 1]) {
    const span = sentences[i]?.span;
    if (!span || used.has(`${s.article.id}:${span.start}`)) continue;
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
 * matches a question's words is often followed by the one that answers it. Never one already quoted.
 */
function continuation(s: ScoredSentence, sentences: ArticleSentence[], used: Set<string>): Span | null {
  if (s.typeMatch > 0) return null;
  const next = sentences[s.at + 1]?.span;
  return next && !used.has(`${s.article.id}:${next.start}`) ? next : null;
}
