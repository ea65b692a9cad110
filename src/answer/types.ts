// The answer API every front end (terminal, JSON, Discord) is built on: what a question returns, and how sources are looked up.
import type { EvidenceFeatures } from './confidence.js';
import type { IngestProgress, IngestReport } from '../index/index.js';

/** The citation of a quote: everything needed to name and find the article. */
export interface Citation {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  byline: string | null;
  url: string | null;
  file: string;
}

/** A verbatim quote: `text` equals the cleaned article text between `start` and `end`. */
export interface Quote {
  text: string;
  start: number;
  end: number;
  score: number;
  /** The passage the quote was chosen from (stable across refreshes while the article is unchanged). */
  passageId: string;
  source: Citation;
  /** Other outlets whose articles report the same fact, each with its own verbatim quote. */
  corroboration: Array<{ text: string; start: number; end: number; source: Citation }>;
  /** Offsets, relative to `text`, of the span that matches the question's expected answer type (issue 5). */
  answerSpan?: { start: number; end: number };
}

/**
 * answered: the quotes answer the question; closest: the evidence is middling, so the best one or two quotes are shown
 * under a clear "not sure" label; not-covered: the coverage does not answer it (no quotes).
 */
export type AnswerOutcome = 'answered' | 'closest' | 'not-covered';

/** Quotes the closest coverage shows at most: the best one or two, not three guesses. */
export const CLOSEST_QUOTES = 2;

export interface Answer {
  question: string;
  /** True only for the `answered` outcome. */
  answered: boolean;
  outcome: AnswerOutcome;
  /** Calibrated probability that the coverage answers the question, 0..1. */
  confidence: number;
  /** Best first; empty when the outcome is `not-covered`. */
  quotes: Quote[];
  /** The cited articles (when answered) or the closest articles (when not). */
  sources: Citation[];
  /** The kind of answer the question asks for ('person', 'date', … or 'other'). */
  answerType?: string;
  /** When not covered: names and numbers of the question that no indexed article mentions (said to the user). */
  unmentioned?: string[];
  /** When not covered because the index holds no articles at all (said to the user, with how to add some). */
  emptyIndex?: true;
  /** With `collectCandidates`: every candidate sentence, best first, with its SENTENCE_FEATURES values. */
  candidates?: Array<{ text: string; features: number[] }>;
  /** The evidence the confidence was computed from (absent when nothing was retrieved). */
  evidence?: EvidenceFeatures;
}

export interface AnswerOptions {
  /** How many quotes at most (1..3 by default 3). */
  k?: number;
  /** Only articles whose outlet contains this text (case-insensitive). */
  outlet?: string;
  /** ISO dates, inclusive. */
  since?: string;
  until?: string;
  /** Earlier question of the same conversation, used as context for a follow-up. */
  context?: string;
  /** Prefer sentences holding the kind of answer the question asks for (who, when, how many…). On by default. */
  answerTypes?: boolean;
  /**
   * Evaluation only: the confidence at or above which quotes are returned, instead of the model's calibrated threshold
   * (0 returns quotes for every question, so a cross-validation can apply thresholds of its own afterwards).
   */
  threshold?: number;
  /** Evaluation only: leave these articles out, as if they were not indexed. */
  excludeArticles?: string[];
  /** Evaluation only: return every candidate sentence with its scoring features (for fitting the sentence scorer). */
  collectCandidates?: boolean;
}

export interface SourceSummary extends Citation {
  passages: number;
}

export interface SourceDetail extends SourceSummary {
  dateline: string | null;
  /** The first sentences of the article. */
  opening: string;
}

/** An article file that no longer backs the index: its quotes cannot be verified until the next ingest. */
export interface SourceProblem {
  /** The file, relative to the sources folder. */
  file: string;
  problem: 'missing' | 'changed';
  /** Why, in a few words (the read error, or that its text changed). */
  detail: string;
}

export interface IndexStatus {
  builtAt: string;
  articles: number;
  passages: number;
  model: string;
  dimensions: number;
}

/** What a refresh is told and given: progress as it goes, log lines, and whether to rebuild everything. */
export interface RefreshOptions {
  full?: boolean;
  onProgress?: (progress: IngestProgress) => void;
  log?: (message: string) => void;
}

/**
 * A loaded index ready to answer: the one thing the bot and the CLI hold. Implemented in src/answer/coverage.ts
 * (`openCoverage`). It is immutable once loaded; a refresh builds a new index and the front end swaps in `reopen()`'s.
 *
 * @example
 * const coverage = await openCoverage(coverageOptionsFromConfig(config));
 * const answer = await coverage.answer('Who leads the junta?', { k: 3, outlet: 'nbc' });
 * for (const quote of answer.quotes) console.log(quote.text, '—', quote.source.title);
 * // After new articles arrive in the sources folder:
 * const report = await coverage.refresh();
 * const current = report.changed ? await coverage.reopen() : coverage;
 */
export interface Coverage {
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
  sources(filter?: { outlet?: string }): Promise<SourceSummary[]>;
  /** One article by id, or by the start of its id when only one article's id starts so. */
  source(idOrPrefix: string): Promise<SourceDetail | undefined>;
  /** Rejects with UnknownOutletError (listing the outlets there are) unless some article's outlet contains `outlet`. */
  requireOutlet(outlet: string): Promise<void>;
  /** The cleaned article text at [start, end): a quote rebuilt from its offsets; undefined if they do not fit the article. */
  quoteText(articleId: string, start: number, end: number): Promise<string | undefined>;
  /** The paragraph of the cleaned article text around [start, end), for "More context". */
  context(articleId: string, start: number, end: number): Promise<string | undefined>;
  status(): IndexStatus;
  /** Article files found missing or changed while answering (each quote from them was dropped), in order noticed. */
  sourceProblems(): SourceProblem[];
  /**
   * Brings the index on disk up to date with the sources folder (only new or changed articles are embedded), with
   * this coverage's model; this coverage keeps answering from the old index. Needs the coverage opened with ingest
   * settings (`coverageOptionsFromConfig` gives them).
   */
  refresh(options?: RefreshOptions): Promise<IngestReport>;
  /** The live index opened again (after a refresh, here or in another process), reusing the loaded model and word vectors. */
  reopen(): Promise<Coverage>;
  /** False once another index generation has gone live (a refresh here or in any other process): then `reopen()`. */
  isLive(): Promise<boolean>;
  /** Releases the store this coverage reads (a database connection) once answers in progress are done. */
  close(): Promise<void>;
  /** Releases the index lock a refresh of this process left behind (on shutdown); false when there was none. */
  releaseIndexLock(): Promise<boolean>;
}
