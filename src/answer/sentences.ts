// Choosing the sentence that answers: every sentence of the articles retrieval found is a candidate, scored by a
// logistic model over evidence about that sentence (how much of what the question asks it holds, its own vector's
// similarity, the answer type, its neighbours, its article's rank). The weights are fitted per embedding model
// (`eval --models … --tune`, k-fold cross-validated); HAND_SET_SCORER stands in for a model nobody tuned.
import type { Article } from '../corpus/index.js';
import type { PassageStore } from '../index/index.js';
import { type AnalyzedQuery, type RankedPassage } from '../retrieval/index.js';
import type { Passage, SentenceTag, Span } from '../text/index.js';
import type { QuestionClass } from './answer-type.js';
import { typeMatchScore } from './type-match.js';
import { nameAliases, termsWithAliases } from './focus.js';

/** One sentence of an article, with what ingestion stored for it. */
export interface ArticleSentence {
  span: Span;
  /** Row of its own vector (`Passage.sentenceRows`), for `PassageStore.sentenceSimilarities`. */
  row: number;
  tags: SentenceTag[];
  /** The first passage holding it (quotes are cited by passage). */
  passageId: string;
}

/** An article's sentences in text order, gathered from its (overlapping) passages, given in text order. */
export function articleSentences(passages: readonly Passage[]): ArticleSentence[] {
  const sentences = new Map<number, ArticleSentence>();
  for (const p of passages) {
    p.sentences.forEach((span, i) => {
      if (sentences.has(span.start)) return;
      sentences.set(span.start, { span, row: p.sentenceRows?.[i] ?? -1, tags: p.sentenceTags?.[i] ?? [], passageId: p.id });
    });
  }
  return [...sentences.values()].sort((a, b) => a.span.start - b.span.start);
}

/** The sentences of each article, read from the store. */
export async function sentencesOfArticles(index: PassageStore, articleIds: readonly string[]): Promise<Map<string, ArticleSentence[]>> {
  const unique = [...new Set(articleIds)];
  const passages = await Promise.all(unique.map((id) => index.articlePassages(id)));
  return new Map(unique.map((id, i) => [id, articleSentences(passages[i]!)]));
}

/** How many of the best passages' articles give candidate sentences. */
const CANDIDATE_ARTICLES = 4;

/**
 * What a candidate sentence is scored on, in the order of the scorer's weights. The sentence's own similarity to the
 * question leads: on questions worded unlike their answer (casual typing included), a strong model's question→sentence
 * similarity ranks better than word overlap. The rest stayed where cross-validation showed they add to it; its passage's
 * similarity, its position and its length did not (docs/evaluation.md).
 */
export const SENTENCE_FEATURES = [
  /** Cosine of the sentence's own vector (embedded under its headline) to the question's. */
  'dense',
  /** dense less the best dense among the candidates (0 for the best): comparable across questions and models. */
  'denseGap',
  /** Holding a value of the answer type the question asks for (who, when, how many…). */
  'typeMatch',
  /** 1 / rank of the sentence's article among the candidate articles (retrieval's passage ranking). */
  'articleRank',
  /**
   * IDF-weighted share of the question's terms in the sentence: no help beside a strong model's similarity, but the
   * offline model's word-vector similarity needs it (cross-validated, docs/evaluation.md).
   */
  'termShare',
] as const;

/** Intercept followed by one weight per SENTENCE_FEATURES entry. */
export interface SentenceScorer {
  weights: number[];
}

/**
 * For a model without a fitted scorer: the sentence's similarity relative to the best candidate leads, the answer type
 * and its article's rank follow. Set by hand (not fitted), so it favours no evaluation set.
 */
export const HAND_SET_SCORER: SentenceScorer = {
  weights: [0, 0, 30, 1, 0.5, 0],
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
  /** IDF-weighted share of the question's terms (and expansions, at their weights) in the sentence. */
  termShare: number;
  /** Cosine of its vector to the question's. */
  dense: number;
  /** Values of SENTENCE_FEATURES, in order. */
  features: number[];
  score: number;
}

export interface SentenceScoring {
  index: PassageStore;
  /** The sentences of (at least) the candidate articles. */
  sentencesByArticle: Map<string, ArticleSentence[]>;
  scorer: SentenceScorer;
}

/** IDF-weighted share of the question's terms, expansions at their weights, found in `terms`. */
export function weightedTermShare(query: AnalyzedQuery, terms: Set<string>, idfOf: (t: string) => number): number {
  let total = 0;
  let found = 0;
  for (const t of query.weighted) {
    const w = t.weight * idfOf(t.term);
    total += w;
    if (terms.has(t.term)) found += w;
  }
  return total === 0 ? 0 : found / total;
}

/** The articles whose sentences are candidates: those of the best passages, in rank order, at most CANDIDATE_ARTICLES. */
export function candidateArticles(passages: readonly RankedPassage[]): Array<{ article: Article; rank: number }> {
  const articles: Array<{ article: Article; rank: number }> = [];
  for (const p of passages) {
    if (articles.some((a) => a.article.id === p.article.id) || articles.length >= CANDIDATE_ARTICLES) continue;
    articles.push({ article: p.article, rank: articles.length + 1 });
  }
  return articles;
}

/** Scores every sentence of the best passages' articles against the question, best first. */
export async function scoreSentences(
  scoring: SentenceScoring,
  query: AnalyzedQuery,
  queryVector: Float32Array,
  passages: RankedPassage[],
  idfOf: (t: string) => number,
  questionClass: QuestionClass,
  question: string,
): Promise<ScoredSentence[]> {
  const { index } = scoring;
  const articles = candidateArticles(passages);
  const aliases = nameAliases(question);
  const unscored: Array<Omit<ScoredSentence, 'features' | 'score'> & { rank: number }> = [];
  for (const { article, rank } of articles) {
    const sentences = scoring.sentencesByArticle.get(article.id) ?? [];
    sentences.forEach((sentence, at) => {
      const text = article.text.slice(sentence.span.start, sentence.span.end);
      const terms = termsWithAliases(text, aliases);
      const typeMatch =
        questionClass.type === 'other'
          ? 0
          : typeMatchScore(questionClass.type, sentence.tags, text, question, questionClass.subject, questionClass.granularity);
      unscored.push({
        article,
        sentence,
        at,
        text,
        terms,
        typeMatch,
        termShare: weightedTermShare(query, terms, idfOf),
        dense: 0,
        rank,
      });
    });
  }
  // Every sentence was embedded at ingestion: scoring reads its stored vector instead of running the model.
  const stored = unscored.filter((s) => s.sentence.row >= 0);
  const similarities = await index.sentenceSimilarities(stored.map((s) => s.sentence.row), queryVector);
  stored.forEach((s, i) => (s.dense = similarities[i]!));
  const bestDense = Math.max(...unscored.map((s) => s.dense));
  const scored = unscored.map(({ rank, ...s }): ScoredSentence => {
    const features = [s.dense, s.dense - bestDense, s.typeMatch, 1 / rank, s.termShare];
    return { ...s, features, score: scoreSentence(scoring.scorer, features) };
  });
  return scored.sort((a, b) => b.score - a.score);
}
