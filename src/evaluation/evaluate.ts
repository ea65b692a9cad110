// Evaluation on question files in the format of ../shared/eval/dev.jsonl: hit@1, hit@3, MRR, no-answer precision and
// recall, verbatim-quote rate, confidence ROC AUC, and the same figures for a plain BM25 baseline over the same passages.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { isVerbatim, type Answer, type AnswerOptions, type AnswerOutcome, type EvidenceFeatures, type SourceTextReader } from '../answer/index.js';
import type { Article } from '../corpus/index.js';
import type { PassageStore } from '../index/index.js';
import { bm25Baseline, chunkBaseline } from '../retrieval/index.js';

const evalQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  expect: z.enum(['answer', 'none']),
  answers: z.array(z.string()).default([]),
  /** The question needs this corpus indexed (e.g. "bbc"); skipped when the index has none of it. */
  corpus: z.string().optional(),
  /** The corpus row the question is about (dev-general.jsonl): its questions are held out together in cross-validation. */
  row: z.number().int().optional(),
  /** The first question of the thread this one follows up in: it is asked with that as context, as the bot does there. */
  context: z.string().min(1).optional(),
});
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

/** How the product is asked a question: a follow-up with its thread's first question as context (bot/messages.ts). */
export function askOptions(q: EvalQuestion, options: AnswerOptions = {}): AnswerOptions {
  return q.context ? { ...options, context: q.context } : options;
}

/** What a simple recipe searches for a question: a follow-up after its thread's first question, as one text. */
export function searchTextOf(q: EvalQuestion): string {
  return q.context ? `${q.context} ${q.question}` : q.question;
}

/** A question file that cannot be read or has a line that is not a question; the message names the file and line. */
class QuestionFileError extends UserError {}

const QUESTION_SHAPE = 'each line is one JSON object: {"id", "question", "expect": "answer" or "none", "answers": [...]}';

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new QuestionFileError(`cannot read the question file ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, { cause: error });
  }
  const lines = content.split('\n');
  const questions: EvalQuestion[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new QuestionFileError(`${file}:${i + 1}: not a JSON object (${(error as Error).message}); ${QUESTION_SHAPE}.`, { cause: error });
    }
    const parsed = evalQuestionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new QuestionFileError(`${file}:${i + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message}; ${QUESTION_SHAPE}.`);
    }
    questions.push(parsed.data);
  });
  return questions;
}

/** Every article the store holds, with its text: evaluation reads the whole corpus (the answer path never does). */
export async function indexedArticles(index: Pick<PassageStore, 'listArticles' | 'articles'>): Promise<Article[]> {
  return index.articles((await index.listArticles()).map((a) => a.id));
}

/** Whether the index holds articles of the named corpus (an article file whose name starts with it). */
export function hasCorpus(articles: readonly Article[], corpus: string): boolean {
  const prefix = corpus.toLowerCase();
  return articles.some((a) => (a.file.split('/').pop() ?? '').toLowerCase().startsWith(prefix));
}

export interface SystemScores {
  answerable: number;
  unanswerable: number;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  /** Of the questions the system declined, the share that had no answer (NaN when it declined none). */
  noAnswerPrecision: number;
  /** Of the questions with no answer, the share the system declined. */
  noAnswerRecall: number;
  /** Share of returned quotes that are verbatim in their cited article. */
  verbatimRate: number;
  quotes: number;
}

export interface QuestionResult {
  id: string;
  question: string;
  expect: 'answer' | 'none';
  /** Quotes were shown: answered, or the closest coverage under its "not sure" label. */
  answered: boolean;
  outcome: AnswerOutcome;
  /** 1-based rank of the first quote holding an acceptable answer, 0 when none does. */
  rank: number;
  confidence: number;
  evidence: EvidenceFeatures | null;
  quotes: string[];
  /** Answer type of the question, when the answer module reports one. */
  answerType?: string;
}

export interface EvaluationReport {
  questions: number;
  skipped: string[];
  system: SystemScores;
  /** BM25 over the index's passages (no expansion, context, dense ranking or diversity). */
  baseline: SystemScores;
  /** The simple recipe: minisearch BM25 with its defaults over 1,000-character chunks overlapping by 200. */
  chunkBaseline: SystemScores;
  /** ROC AUC of the confidence for answerable vs unanswerable questions. */
  confidenceAuc: number;
  /** hit@1 / hit@3 per expected answer type (answerable questions only). */
  byType: Record<string, TypeScores>;
  /** Whether answer-type matching was on for this run. */
  answerTypes: boolean;
  results: QuestionResult[];
  misses: QuestionResult[];
}

/** Whether `text` holds one of a question's `answers` (case ignored): what makes a quote, passage or chunk right. */
export function holdsAnswer(text: string, answers: string[]): boolean {
  const lower = text.toLowerCase();
  return answers.some((a) => lower.includes(a.toLowerCase()));
}

/** 1-based rank of the first of `texts` holding one of `answers` (holdsAnswer), 0 when none does. */
export function rankOf(texts: string[], answers: string[]): number {
  const i = texts.findIndex((t) => holdsAnswer(t, answers));
  return i === -1 ? 0 : i + 1;
}

function scores(rows: Array<{ expect: 'answer' | 'none'; answered: boolean; rank: number }>, verbatim: number, quotes: number): SystemScores {
  const answerable = rows.filter((r) => r.expect === 'answer');
  const none = rows.filter((r) => r.expect === 'none');
  const declined = rows.filter((r) => !r.answered);
  const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    answerable: answerable.length,
    unanswerable: none.length,
    hitAt1: mean(answerable.map((r) => (r.rank === 1 ? 1 : 0))),
    hitAt3: mean(answerable.map((r) => (r.rank >= 1 && r.rank <= 3 ? 1 : 0))),
    mrr: mean(answerable.map((r) => (r.rank > 0 ? 1 / r.rank : 0))),
    noAnswerPrecision: declined.length === 0 ? Number.NaN : declined.filter((r) => r.expect === 'none').length / declined.length,
    noAnswerRecall: mean(none.map((r) => (r.answered ? 0 : 1))),
    verbatimRate: quotes === 0 ? Number.NaN : verbatim / quotes,
    quotes,
  };
}

/** Area under the ROC curve of `scores` for the positive `labels` (ties count half). */
export function rocAuc(scores: number[], labels: boolean[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

export interface EvaluationTarget {
  index: PassageStore;
  answer(question: string, options?: AnswerOptions): Promise<Answer & { answerType?: string }>;
  readSource: SourceTextReader;
}

export interface TypeScores {
  questions: number;
  hitAt1: number;
  hitAt3: number;
}

/** hit@1 and hit@3 of the answerable questions, grouped by the answer type the question asks for. */
export function scoresByType(results: QuestionResult[]): Record<string, TypeScores> {
  const groups = new Map<string, QuestionResult[]>();
  for (const r of results) {
    if (r.expect !== 'answer') continue;
    const type = r.answerType ?? 'other';
    groups.set(type, [...(groups.get(type) ?? []), r]);
  }
  const out: Record<string, TypeScores> = {};
  for (const [type, rows] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out[type] = {
      questions: rows.length,
      hitAt1: rows.filter((r) => r.rank === 1).length / rows.length,
      hitAt3: rows.filter((r) => r.rank >= 1 && r.rank <= 3).length / rows.length,
    };
  }
  return out;
}

export async function evaluate(
  target: EvaluationTarget,
  questions: EvalQuestion[],
  options: AnswerOptions = {},
): Promise<EvaluationReport> {
  const articles = await indexedArticles(target.index);
  const articleById = new Map(articles.map((a) => [a.id, a]));
  const skipped = questions.filter((q) => q.corpus && !hasCorpus(articles, q.corpus)).map((q) => q.id);
  const run = questions.filter((q) => !skipped.includes(q.id));
  const results: QuestionResult[] = [];
  const baselineRows: Array<{ expect: 'answer' | 'none'; answered: boolean; rank: number }> = [];
  const chunkRows: Array<{ expect: 'answer' | 'none'; answered: boolean; rank: number }> = [];
  const chunks = await chunkBaseline(articles);
  let verbatim = 0;
  let quoteCount = 0;
  let baselineVerbatim = 0;
  let baselineQuotes = 0;
  for (const q of run) {
    const answer = await target.answer(q.question, askOptions(q, options));
    const texts = answer.quotes.map((x) => x.text);
    for (const quote of answer.quotes) {
      const article = articleById.get(quote.source.id);
      quoteCount++;
      if (article && isVerbatim(quote, article, await target.readSource(article))) verbatim++;
    }
    results.push({
      id: q.id,
      question: q.question,
      expect: q.expect,
      answered: answer.quotes.length > 0,
      outcome: answer.outcome,
      rank: q.expect === 'answer' ? rankOf(texts.slice(0, 3), q.answers) : 0,
      confidence: answer.confidence,
      evidence: answer.evidence ?? null,
      quotes: texts,
      answerType: answer.answerType,
    });
    // The baseline quotes whole passages and never declines.
    const passages = await bm25Baseline(target.index, searchTextOf(q), 3);
    for (const p of passages) {
      const article = articleById.get(p.articleId)!;
      baselineQuotes++;
      if (isVerbatim(p, article, await target.readSource(article))) baselineVerbatim++;
    }
    baselineRows.push({
      expect: q.expect,
      answered: passages.length > 0,
      rank: q.expect === 'answer' ? rankOf(passages.map((p) => p.text), q.answers) : 0,
    });
    const topChunks = chunks.search(searchTextOf(q), 3);
    chunkRows.push({
      expect: q.expect,
      answered: topChunks.length > 0,
      rank: q.expect === 'answer' ? rankOf(topChunks.map((c) => c.text), q.answers) : 0,
    });
  }
  const misses = results.filter((r) => (r.expect === 'answer' ? r.rank !== 1 : r.answered));
  return {
    questions: run.length,
    skipped,
    system: scores(results, verbatim, quoteCount),
    baseline: scores(baselineRows, baselineVerbatim, baselineQuotes),
    // Chunks cut at character offsets are not quotes of anything: no verbatim rate.
    chunkBaseline: scores(chunkRows, 0, 0),
    confidenceAuc: rocAuc(
      results.map((r) => r.confidence),
      results.map((r) => r.expect === 'answer'),
    ),
    byType: scoresByType(results),
    answerTypes: options.answerTypes !== false,
    results,
    misses,
  };
}

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(100 * x).toFixed(0).padStart(4)}%`);

export function formatEvaluation(report: EvaluationReport): string {
  const rows: Array<[string, (s: SystemScores) => string]> = [
    ['answerable questions', (s) => String(s.answerable).padStart(5)],
    ['unanswerable questions', (s) => String(s.unanswerable).padStart(5)],
    ['hit@1', (s) => pct(s.hitAt1)],
    ['hit@3', (s) => pct(s.hitAt3)],
    ['MRR', (s) => (Number.isNaN(s.mrr) ? '  n/a' : s.mrr.toFixed(2).padStart(5))],
    ['no-answer precision', (s) => pct(s.noAnswerPrecision)],
    ['no-answer recall', (s) => pct(s.noAnswerRecall)],
    ['verbatim quotes', (s) => pct(s.verbatimRate)],
  ];
  const lines = [`${'metric'.padEnd(24)} coverage-bot  BM25 baseline  chunk-BM25 recipe`];
  for (const [name, f] of rows) {
    lines.push(`${name.padEnd(24)} ${f(report.system).padStart(12)}  ${f(report.baseline).padStart(13)}  ${f(report.chunkBaseline).padStart(17)}`);
  }
  lines.push(`${'confidence ROC AUC'.padEnd(24)} ${(Number.isNaN(report.confidenceAuc) ? 'n/a' : report.confidenceAuc.toFixed(3)).padStart(12)}`);
  if (report.skipped.length > 0) lines.push(`skipped (corpus not indexed): ${report.skipped.join(', ')}`);
  lines.push('', `By answer type (answer-type matching ${report.answerTypes ? 'on' : 'off'}):`, `${'type'.padEnd(14)} questions  hit@1  hit@3`);
  for (const [type, t] of Object.entries(report.byType)) {
    lines.push(`${type.padEnd(14)} ${String(t.questions).padStart(9)}  ${pct(t.hitAt1)}  ${pct(t.hitAt3)}`);
  }
  if (report.misses.length > 0) {
    lines.push('', 'Misses:');
    for (const m of report.misses) {
      const what =
        m.expect === 'none'
          ? `showed quotes (${m.outcome}) for a question the coverage does not answer`
          : m.answered
            ? `answer at rank ${m.rank || '>3'} (${m.outcome})`
            : 'declined';
      lines.push(`  ${m.id} ${what} (confidence ${m.confidence.toFixed(2)}): ${m.question}`);
      if (m.quotes[0]) lines.push(`      top quote: ${m.quotes[0].slice(0, 160)}`);
    }
  }
  return lines.join('\n');
}
