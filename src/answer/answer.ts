// Finding the answer: retrieve passages, score their sentences against the question, decide whether the coverage answers
// it, and return verbatim, cited quotes (best first) with corroborating reports from other outlets. Which sentences
// become quotes is quotes.ts; here each span it asks about is checked against the article's file (verify.ts).
import { UserError } from '../errors.js';
import type { Article } from '../corpus/index.js';
import type { Embedder } from '../embedding/index.js';
import { idf, type PassageStore } from '../index/index.js';
import {
  analyzeQuery,
  retrieve,
  questionTermShare,
  type ExpansionSettings,
  type RetrievalSettings,
  type WordNeighbours,
} from '../retrieval/index.js';
import { expandChatShorthand, normalizeQuestion } from '../text/index.js';
import { classifyQuestion, type QuestionClass } from './answer-type.js';
import { nameShare, namedTerms, unmentionedNames, wholeNames } from './focus.js';
import { chooseQuotes, type QuoteRequest, type SpanCheck } from './quotes.js';
import {
  candidateArticles,
  scoreSentences,
  sentencesOfArticles,
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

/** How many passages candidate sentences are drawn from (the articles of these). */
const QUOTE_PASSAGES = 6;

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
  const request: QuoteRequest = {
    query: analyzed,
    question,
    questionClass,
    k: outcome === 'answered' ? k : Math.min(k, CLOSEST_QUOTES),
    idfOf,
    sentencesByArticle,
  };
  const quotes = await verifiedQuotes(ctx, sentences, request, unverified);
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

/**
 * The quotes (quotes.ts chooses them), each span checked as the choice goes: a span is shown only when it reads, white
 * space collapsed, as in the article's file (verify.ts); one that does not changes what is chosen next.
 */
async function verifiedQuotes(
  ctx: AnswerContext,
  sentences: ScoredSentence[],
  request: QuoteRequest,
  /** Receives the ids of articles whose file no longer reads as indexed (missing or changed). */
  unverified: Set<string>,
): Promise<Quote[]> {
  const sourceCache = new Map<string, Promise<string | null>>();
  const sourceOf = (a: Article) => {
    if (!sourceCache.has(a.id)) sourceCache.set(a.id, ctx.readSource(a));
    return sourceCache.get(a.id)!;
  };
  // `expected`: a failure is no news about the file (a sentence pair across a caption cleaning removed), so it is not
  // reported; a single sentence that does not read as indexed means the file changed.
  const verified = async ({ article: a, start, end, expected }: SpanCheck) => {
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
  const choice = chooseQuotes(sentences, request);
  let step = choice.next();
  while (!step.done) step = choice.next(await verified(step.value));
  return step.value.map(
    (q): Quote => ({
      text: q.text,
      start: q.start,
      end: q.end,
      score: q.score,
      passageId: q.passageId,
      source: citationOf(q.article),
      corroboration: q.corroboration.map((c) => ({ text: c.text, start: c.start, end: c.end, source: citationOf(c.article) })),
      ...(q.answerSpan ? { answerSpan: q.answerSpan } : {}),
    }),
  );
}
