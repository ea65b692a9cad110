// Choosing the sentence that answers: every sentence of the articles retrieval found is a candidate, scored by a
// logistic model over evidence about that sentence (how much of what the question asks it holds, its own vector's
// similarity, the answer type, its neighbours, its article's rank). The weights are fitted per embedding model
// (`eval --models … --tune`, k-fold cross-validated); HAND_SET_SCORER stands in for a model nobody tuned.
import type { Article } from '../corpus/index.js';
import { analyze } from '../index/index.js';
import { termCoverage, type AnalyzedQuery, type PassageIndex, type RankedPassage } from '../retrieval/index.js';
import type { SentenceTag, Span } from '../text/index.js';
import { typeMatchScore, type QuestionClass } from './answer-type.js';
import { focusCoverage, focusTerms, nameAliases, termsWithAliases } from './focus.js';

/** One sentence of an article, with what ingestion stored for it. */
export interface ArticleSentence {
  span: Span;
  /** Row of its own vector (`Passage.sentenceRows`), for `PassageIndex.sentenceSimilarity`. */
  row: number;
  tags: SentenceTag[];
  /** The first passage holding it (quotes are cited by passage). */
  passageId: string;
}

/** Every article's sentences in text order, gathered once from the (overlapping) passages. */
export function articleSentences(index: Pick<PassageIndex, 'passages'>): Map<string, ArticleSentence[]> {
  const byStart = new Map<string, Map<number, ArticleSentence>>();
  for (const p of index.passages) {
    const sentences = byStart.get(p.articleId) ?? new Map<number, ArticleSentence>();
    p.sentences.forEach((span, i) => {
      if (sentences.has(span.start)) return;
      sentences.set(span.start, { span, row: p.sentenceRows?.[i] ?? -1, tags: p.sentenceTags?.[i] ?? [], passageId: p.id });
    });
    byStart.set(p.articleId, sentences);
  }
  return new Map([...byStart].map(([id, sentences]) => [id, [...sentences.values()].sort((a, b) => a.span.start - b.span.start)]));
}

/** How many of the best passages' articles give candidate sentences. */
const CANDIDATE_ARTICLES = 4;

/** What a candidate sentence is scored on, in the order of the scorer's weights. */
export const SENTENCE_FEATURES = [
  /** Share of what the question asks found in the sentence (focus.ts: asking words count, headline words do not). */
  'focusCoverage',
  /** IDF-weighted share of the question's terms (and, at their weights, its expansions) in the sentence. */
  'weightedCoverage',
  /** Cosine of the sentence's own vector to the question's. */
  'dense',
  /** Holding a value of the answer type the question asks for (who, when, how many…). */
  'typeMatch',
  /** focusCoverage of the sentence before or after: answers often follow the sentence that restates the question. */
  'neighbourFocus',
  /** 1 / (1 + the sentence's position in its article): leads hold the main facts. */
  'leadPosition',
  /** 1 / rank of the sentence's article among the candidate articles. */
  'articleRank',
  /** The fused retrieval score of the article's best passage. */
  'articleScore',
  /** The fused score of the retrieved passage holding the sentence (0 when none of them does). */
  'passageScore',
  /** Share of the question's terms in the article's headline: the story the question is about. */
  'titleCoverage',
  /** Content terms in the sentence / 20, capped at 2: fragments ("- Coup-prone -") rarely answer anything. */
  'length',
] as const;

/** Intercept followed by one weight per SENTENCE_FEATURES entry. */
export interface SentenceScorer {
  weights: number[];
}

/**
 * For a model without a fitted scorer: what the question asks, found in the sentence, leads; the answer type, the
 * sentence's own similarity and its article's rank follow. Set by hand (not fitted), so it favours no evaluation set.
 */
export const HAND_SET_SCORER: SentenceScorer = {
  weights: [-4, 3, 1, 1, 1, 0.5, 0.3, 1, 1, 0.5, 0, 0],
};

/** Probability-like score of one sentence: the logistic of the scorer's weighted sum. */
export function scoreSentence(scorer: SentenceScorer, features: number[]): number {
  let z = scorer.weights[0] ?? 0;
  features.forEach((x, i) => (z += (scorer.weights[i + 1] ?? 0) * x));
  return 1 / (1 + Math.exp(-z));
}

export interface ScoredSentence {
  article: Article;
  sentence: ArticleSentence;
  /** Position of the sentence in its article. */
  at: number;
  text: string;
  terms: Set<string>;
  typeMatch: number;
  weightedCoverage: number;
  /** Its focus coverage (focus.ts): how much of what the question asks it holds. */
  focus: number;
  /** Values of SENTENCE_FEATURES, in order. */
  features: number[];
  score: number;
}

export interface SentenceScoring {
  index: PassageIndex;
  sentencesByArticle: Map<string, ArticleSentence[]>;
  scorer: SentenceScorer;
}

/** IDF-weighted share of the question's terms, expansions at their weights, found in `terms`. */
export function weightedCoverage(query: AnalyzedQuery, terms: Set<string>, idfOf: (t: string) => number): number {
  let total = 0;
  let found = 0;
  for (const t of query.weighted) {
    const w = t.weight * idfOf(t.term);
    total += w;
    if (terms.has(t.term)) found += w;
  }
  return total === 0 ? 0 : found / total;
}

/** Scores every sentence of the best passages' articles against the question, best first. */
export function scoreSentences(
  scoring: SentenceScoring,
  query: AnalyzedQuery,
  queryVector: Float32Array,
  passages: RankedPassage[],
  idfOf: (t: string) => number,
  questionClass: QuestionClass,
  question: string,
): ScoredSentence[] {
  const { index } = scoring;
  const articles: Array<{ article: Article; rank: number; score: number }> = [];
  for (const p of passages) {
    if (articles.some((a) => a.article.id === p.article.id) || articles.length >= CANDIDATE_ARTICLES) continue;
    articles.push({ article: p.article, rank: articles.length + 1, score: p.score });
  }
  const inPassage = new Map<string, number>();
  for (const p of passages) {
    for (const span of p.passage.sentences) {
      const key = `${p.article.id}:${span.start}`;
      inPassage.set(key, Math.max(inPassage.get(key) ?? 0, p.score));
    }
  }
  const focus = focusTerms(question);
  const aliases = nameAliases(question);
  const scored: ScoredSentence[] = [];
  for (const { article, rank, score: articleScore } of articles) {
    const sentences = scoring.sentencesByArticle.get(article.id) ?? [];
    const headline = new Set(analyze(article.title));
    const titleCoverage = termCoverage(query, headline, index.termStats);
    const texts = sentences.map((s) => article.text.slice(s.span.start, s.span.end));
    const terms = texts.map((t) => termsWithAliases(t, aliases));
    const focused = terms.map((t) => focusCoverage(query, focus, headline, t, idfOf));
    sentences.forEach((sentence, at) => {
      const text = texts[at]!;
      const typeMatch =
        questionClass.type === 'other'
          ? 0
          : typeMatchScore(questionClass.type, sentence.tags, text, question, questionClass.subject, questionClass.granularity);
      // Every sentence was embedded at ingestion: scoring reads its stored vector instead of running the model.
      const dense = sentence.row >= 0 ? index.sentenceSimilarity(sentence.row, queryVector) : 0;
      const coverage = weightedCoverage(query, terms[at]!, idfOf);
      const features = [
        focused[at]!,
        coverage,
        dense,
        typeMatch,
        Math.max(focused[at - 1] ?? 0, focused[at + 1] ?? 0),
        1 / (1 + at),
        1 / rank,
        articleScore,
        inPassage.get(`${article.id}:${sentence.span.start}`) ?? 0,
        titleCoverage,
        Math.min(2, terms[at]!.size / 20),
      ];
      scored.push({
        article,
        sentence,
        at,
        text,
        terms: terms[at]!,
        typeMatch,
        weightedCoverage: coverage,
        focus: focused[at]!,
        features,
        score: scoreSentence(scoring.scorer, features),
      });
    });
  }
  return scored.sort((a, b) => b.score - a.score);
}
