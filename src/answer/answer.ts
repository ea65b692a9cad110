// Finding the answer: retrieve passages, score their sentences against the question, decide whether the coverage answers
// it, and return verbatim, cited quotes (best first) with corroborating reports from other outlets.
import { UserError } from '../errors.js';
import type { Article } from '../corpus/index.js';
import type { Embedder } from '../embedding/index.js';
import { analyze, idf } from '../index/index.js';
import {
  analyzeQuery,
  retrieve,
  softCoverage,
  termCoverage,
  type AnalyzedQuery,
  type ExpansionSettings,
  type PassageIndex,
  type RankedPassage,
  type RetrievalSettings,
  type WordNeighbours,
} from '../retrieval/index.js';
import type { SentenceTag, Span } from '../text/index.js';
import { classifyQuestion, emphasisSpan, typeMatchScore, type QuestionClass } from './answer-type.js';
import { confidence, type Calibration, type EvidenceFeatures } from './confidence.js';
import type { Answer, AnswerOptions, Citation, Quote } from './types.js';
import { isVerbatim, type SourceTextReader } from './verify.js';

/** A question the user must rephrase (empty, or nothing left after removing mentions and markup). */
export class QuestionError extends UserError {}

export interface AnswerContext {
  index: PassageIndex;
  embedder: Embedder;
  neighbours: WordNeighbours | null;
  readSource: SourceTextReader;
  /** Told when a quote is dropped because the article's file no longer reads as indexed (the quote is still dropped). */
  onUnverified?: (article: Article) => Promise<void>;
  /** Every article's sentences in text order (passages overlap, so they are gathered once when the index opens). */
  sentencesByArticle: Map<string, Span[]>;
  calibration: Calibration;
  sentenceScorer: SentenceScorer;
  retrieval: RetrievalSettings;
  expansion: ExpansionSettings;
}

/** How many passages quotes are chosen from. */
const QUOTE_PASSAGES = 6;

/**
 * What a candidate sentence is scored on. The scorer is a logistic model over these, fitted per embedding model on
 * labelled questions (`eval --models … --tune`); HAND_SET_SCORER is the fallback for a model nobody tuned.
 */
export const SENTENCE_FEATURES = [
  /** IDF-weighted share of the question's terms (and, at their weights, its expansions) in the sentence. */
  'weightedCoverage',
  /** The same share over the question's own terms (other forms of a word count). */
  'coverage',
  /** Cosine of the sentence's own vector to the question's. */
  'dense',
  /** That cosine min-max normalised over this question's candidates. */
  'denseNorm',
  /** The fused retrieval score of the sentence's passage. */
  'passageScore',
  /** 1 / rank of the passage among those quotes are chosen from. */
  'passageRank',
  /** Holding a value of the answer type the question asks for (who, when, how many…). */
  'typeMatch',
  /** Coverage of the neighbouring sentence: answers often follow the sentence that restates the question. */
  'neighbourCoverage',
  /** 1 / (1 + the sentence's position in its article): leads hold the main facts. */
  'leadPosition',
  /** Content terms in the sentence / 20, capped at 2: fragments ("- Coup-prone -") rarely answer anything. */
  'length',
  /** Share of the question's terms in the article's headline: the story the question is about. */
  'titleCoverage',
] as const;

/** Intercept followed by one weight per SENTENCE_FEATURES entry. */
export interface SentenceScorer {
  weights: number[];
}

/** The weights used before scoring was learned, kept for models without a fitted scorer. */
export const HAND_SET_SCORER: SentenceScorer = {
  // 4 × (0.55 coverage + 0.25 dense + 0.2 passage + 0.35 answer type + 0.2 neighbour) − 3: the old weighted sum, spread so
  // that its logistic separates a strong sentence (sum 0.8 → 0.55) from a weak one (0.4 → 0.2).
  weights: [-3, 2.2, 0, 0, 1, 0.8, 0, 1.4, 0.8, 0, 0, 0],
};

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

export function citationOf(article: Article): Citation {
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

interface ScoredSentence {
  article: Article;
  passage: RankedPassage;
  /** 1-based rank of the passage among those quotes are chosen from. */
  passageRank: number;
  /** Values of SENTENCE_FEATURES, in order. */
  features: number[];
  span: Span;
  /** Index of the sentence within its passage. */
  position: number;
  text: string;
  tags: SentenceTag[];
  terms: Set<string>;
  typeMatch: number;
  coverage: number;
  weightedCoverage: number;
  dense: number;
  score: number;
}

function weightedCoverage(query: AnalyzedQuery, terms: Set<string>, idfOf: (t: string) => number): number {
  let total = 0;
  let found = 0;
  for (const t of query.weighted) {
    const w = t.weight * idfOf(t.term);
    total += w;
    if (terms.has(t.term)) found += w;
  }
  return total === 0 ? 0 : found / total;
}

export async function findAnswer(ctx: AnswerContext, rawQuestion: string, options: AnswerOptions = {}): Promise<Answer> {
  const { index, embedder } = ctx;
  const cleaned = stripChatMarkup(rawQuestion);
  if (!cleaned) throw new QuestionError('The question is empty: ask something about the coverage, e.g. "Who leads the coup?"');
  // Long input is cut to what the model reads; the lexical side uses the same text so both rank the same question.
  const question = embedder.truncateToTokens(cleaned, embedder.maxTokens);
  const context = options.context ? stripChatMarkup(options.context) : '';
  const searchText = context ? `${context} ${question}` : question;
  const k = Math.max(1, Math.min(options.k ?? 3, 10));
  // The type is always reported; with answer types off it just does not steer scoring (so evaluations can compare).
  const classified = classifyQuestion(question);
  const questionClass: QuestionClass = options.answerTypes === false ? { type: 'other' } : classified;

  const analyzed = analyzeQuery(searchText, index.termStats, ctx.neighbours, ctx.expansion);
  const queryVector = await embedder.embedQuery(searchText);
  const ranked = retrieve(index, analyzed, queryVector, {
    k: Math.max(QUOTE_PASSAGES, k),
    filter: { outlet: options.outlet, since: options.since, until: options.until, excludeArticles: options.excludeArticles },
    settings: ctx.retrieval,
  });
  const unanswered = (conf: number): Answer => ({
    question: cleaned,
    answerType: classified.type,
    answered: false,
    outcome: 'not-covered',
    confidence: conf,
    quotes: [],
    sources: uniqueCitations(ranked.slice(0, 3).map((r) => r.article)),
  });
  if (ranked.length === 0 || analyzed.terms.length === 0) return unanswered(0);

  const idfOf = (t: string) => idf(index.termStats, t);
  const sentences = scoreSentences(ctx, analyzed, queryVector, ranked.slice(0, QUOTE_PASSAGES), idfOf, questionClass, question);
  const best = sentences[0];
  if (!best) return unanswered(0);

  const top = ranked[0]!;
  // Evidence comes from the question alone (a follow-up's context and the expansions would inflate it).
  const own = context ? analyzeQuery(question, index.termStats, null) : analyzed;
  const topTerms = new Set([...analyze(top.passage.text), ...analyze(top.article.title)]);
  const features: EvidenceFeatures = {
    passageCoverage: termCoverage(own, topTerms, index.termStats),
    sentenceCoverage: termCoverage(own, best.terms, index.termStats),
    passageSimilarity: top.dense,
    rareCoverage: termCoverage(own, topTerms, index.termStats, 2),
    softCoverage: softCoverage(own, `${top.article.title}\n${top.passage.text}`, index.termStats, ctx.neighbours),
    sentenceScore: best.score,
    typeMatch: best.typeMatch,
  };
  const conf = confidence(features, ctx.calibration);
  const threshold = options.threshold ?? ctx.calibration.threshold;
  const closest = Math.min(threshold, options.threshold ?? ctx.calibration.closest ?? threshold);
  const collected = options.collectCandidates ? { candidates: sentences.map((s) => ({ text: s.text, features: s.features })) } : {};
  if (conf < closest) return { ...unanswered(conf), evidence: features, ...collected };
  const outcome = conf >= threshold ? 'answered' : 'closest';

  // Unsure: the best one or two sentences, labelled as the closest coverage rather than an answer.
  const quotes = await chooseQuotes(ctx, analyzed, sentences, outcome === 'answered' ? k : Math.min(k, 2), idfOf, questionClass, question);
  if (quotes.length === 0) return { ...unanswered(conf), evidence: features, ...collected };
  return {
    ...collected,
    question: cleaned,
    answerType: classified.type,
    answered: outcome === 'answered',
    outcome,
    confidence: conf,
    evidence: features,
    quotes,
    sources: uniqueCitations(
      quotes.flatMap((q) => [q.source, ...q.corroboration.map((c) => c.source)]).map((c) => index.article(c.id)!),
    ),
  };
}

function uniqueCitations(articles: Article[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const a of articles) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(citationOf(a));
  }
  return out;
}

function scoreSentences(
  ctx: AnswerContext,
  query: AnalyzedQuery,
  queryVector: Float32Array,
  passages: RankedPassage[],
  idfOf: (t: string) => number,
  questionClass: QuestionClass,
  question: string,
): ScoredSentence[] {
  const seen = new Set<string>();
  const candidates: Omit<ScoredSentence, 'dense' | 'score' | 'features'>[] = [];
  passages.forEach((passage, rank) => {
    passage.passage.sentences.forEach((span, position) => {
      const key = `${passage.article.id}:${span.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      const text = passage.article.text.slice(span.start, span.end);
      const terms = new Set(analyze(text));
      const tags = passage.passage.sentenceTags?.[position] ?? [];
      candidates.push({
        article: passage.article,
        passage,
        passageRank: rank + 1,
        span,
        position,
        text,
        tags,
        terms,
        typeMatch:
          questionClass.type === 'other' ? 0 : typeMatchScore(questionClass.type, tags, text, question, questionClass.subject),
        coverage: termCoverage(query, terms, ctx.index.termStats),
        weightedCoverage: weightedCoverage(query, terms, idfOf),
      });
    });
  });
  if (candidates.length === 0) return [];
  // Every sentence was embedded at ingestion: scoring reads its stored vector instead of running the model per question.
  const dense = candidates.map((c) => {
    const row = c.passage.passage.sentenceRows![c.position]!;
    return ctx.index.sentenceSimilarity(row, queryVector);
  });
  const minDense = Math.min(...dense);
  const maxDense = Math.max(...dense);
  const titleCoverage = new Map<string, number>();
  const scored = candidates.map((c, i) => {
    const spans = ctx.sentencesByArticle.get(c.article.id) ?? [];
    const at = spans.findIndex((sp) => sp.start === c.span.start);
    // A sentence that answers often follows (or precedes) the one that restates the question: "…condemnation poured
    // in from regional leaders." / "ECOWAS and the African Union each lashed…". Neighbours are found in the whole
    // article, since the two may sit in different passages.
    let neighbour = 0;
    for (const j of at === -1 ? [] : [at - 1, at + 1]) {
      const span = spans[j];
      if (span) neighbour = Math.max(neighbour, weightedCoverage(query, new Set(analyze(c.article.text.slice(span.start, span.end))), idfOf));
    }
    if (!titleCoverage.has(c.article.id)) {
      titleCoverage.set(c.article.id, termCoverage(query, new Set(analyze(c.article.title)), ctx.index.termStats));
    }
    const features = [
      c.weightedCoverage,
      c.coverage,
      dense[i]!,
      maxDense > minDense ? (dense[i]! - minDense) / (maxDense - minDense) : 0,
      c.passage.score,
      1 / c.passageRank,
      c.typeMatch,
      neighbour,
      1 / (1 + Math.max(0, at)),
      Math.min(2, c.terms.size / 20),
      titleCoverage.get(c.article.id)!,
    ];
    return { ...c, dense: dense[i]!, features, score: scoreSentence(ctx.sentenceScorer, features) };
  });
  return scored.sort((a, b) => b.score - a.score);
}

/** Probability-like score of one sentence: the logistic of the scorer's weighted sum. */
export function scoreSentence(scorer: SentenceScorer, features: number[]): number {
  let z = scorer.weights[0] ?? 0;
  features.forEach((x, i) => (z += (scorer.weights[i + 1] ?? 0) * x));
  return 1 / (1 + Math.exp(-z));
}

/** The best sentences, extended to a neighbouring sentence when the answer spans both, verified, with corroboration. */
async function chooseQuotes(
  ctx: AnswerContext,
  query: AnalyzedQuery,
  sentences: ScoredSentence[],
  k: number,
  idfOf: (t: string) => number,
  questionClass: QuestionClass,
  question: string,
): Promise<Quote[]> {
  const quotes: Quote[] = [];
  const used = new Set<string>();
  const sourceCache = new Map<string, Promise<string | null>>();
  const sourceOf = (a: Article) => {
    if (!sourceCache.has(a.id)) sourceCache.set(a.id, ctx.readSource(a));
    return sourceCache.get(a.id)!;
  };
  const verified = async (a: Article, start: number, end: number) => {
    const text = a.text.slice(start, end);
    const source = await sourceOf(a);
    if (isVerbatim({ text, start, end }, a, source)) return text;
    if (source !== null) await ctx.onUnverified?.(a);
    return null;
  };
  const best = sentences[0]!.score;

  for (const s of sentences) {
    if (quotes.length >= k) break;
    const key = `${s.article.id}:${s.span.start}`;
    if (used.has(key)) continue;
    // Quotes well below the best one answer a different question (or none): one right sentence beats three guesses.
    if (quotes.length > 0 && s.score < QUOTE_BAR * best) break;
    // Corroborating reports of a fact already quoted are attached to that quote instead of repeated.
    const corroborated = quotes.find((q) => corroborates(q, s, idfOf));
    if (corroborated) {
      used.add(key);
      const text = await verified(s.article, s.span.start, s.span.end);
      if (text && !corroborated.corroboration.some((c) => c.source.id === s.article.id)) {
        corroborated.corroboration.push({ text, start: s.span.start, end: s.span.end, source: citationOf(s.article) });
      }
      continue;
    }
    let { start, end } = s.span;
    const neighbour = spanningNeighbour(query, s, idfOf, used);
    if (neighbour) {
      start = Math.min(start, neighbour.start);
      end = Math.max(end, neighbour.end);
      used.add(`${s.article.id}:${neighbour.start}`);
    }
    used.add(key);
    const text = await verified(s.article, start, end);
    if (!text) continue;
    // The emphasised span is found in the best sentence and shifted into the quote (which may begin a sentence earlier).
    const span =
      questionClass.type === 'other' ? undefined : emphasisSpan(s.text, s.tags, questionClass.type, question);
    const shift = s.span.start - start;
    quotes.push({
      text,
      start,
      end,
      score: s.score,
      passageId: s.passage.passage.id,
      source: citationOf(s.article),
      corroboration: [],
      ...(span ? { answerSpan: { start: span.start + shift, end: span.end + shift } } : {}),
    });
  }
  // Later candidates from other outlets may corroborate quotes chosen before them.
  for (const s of sentences) {
    for (const q of quotes) {
      if (q.source.id === s.article.id || q.corroboration.some((c) => c.source.id === s.article.id)) continue;
      if (!corroboratesQuote(q, s, idfOf)) continue;
      const text = await verified(s.article, s.span.start, s.span.end);
      if (text) q.corroboration.push({ text, start: s.span.start, end: s.span.end, source: citationOf(s.article) });
    }
  }
  return quotes;
}

function corroborates(q: Quote, s: ScoredSentence, idfOf: (t: string) => number): boolean {
  return q.source.id !== s.article.id && corroboratesQuote(q, s, idfOf);
}

/** Same fact, another outlet: the sentence shares most of the quote's (IDF-weighted) content terms. */
function corroboratesQuote(q: Quote, s: ScoredSentence, idfOf: (t: string) => number): boolean {
  if ((q.source.outlet ?? q.source.id) === (s.article.outlet ?? s.article.id)) return false;
  const quoteTerms = new Set(analyze(q.text));
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
function spanningNeighbour(query: AnalyzedQuery, s: ScoredSentence, idfOf: (t: string) => number, used: Set<string>): Span | null {
  const spans = s.passage.passage.sentences;
  let best: Span | null = null;
  let bestGain = SPAN_GAIN;
  for (const i of [s.position - 1, s.position + 1]) {
    const span = spans[i];
    if (!span || used.has(`${s.article.id}:${span.start}`)) continue;
    const between = s.article.text.slice(Math.min(span.end, s.span.end), Math.max(span.start, s.span.start));
    // Never across a paragraph break: the two sentences must read as one passage.
    if (between.includes('\n')) continue;
    const terms = new Set([...s.terms, ...analyze(s.article.text.slice(span.start, span.end))]);
    const gain = weightedCoverage(query, terms, idfOf) - s.weightedCoverage;
    if (gain >= bestGain) {
      best = span;
      bestGain = gain;
    }
  }
  return best;
}
