// The answers a cross-validation chooses among: every question answered under every candidate setting (dense share of
// retrieval fusion × query expansion on/off) with the decision left open, plus the two BM25 recipes on the same
// questions. One sweep per (model, index); `crossValidate` then picks settings and thresholds fold by fold.
import type { Answer, AnswerOptions } from '../answer/index.js';
import type { Article } from '../corpus/index.js';
import type { PassageStore } from '../index/index.js';
import { answerShownWithin, bm25Baseline, chunkBaseline, hybridBaseline } from '../retrieval/index.js';
import type { SweepSample } from './cross-validation.js';
import { askOptions, hasCorpus, holdsAnswer, indexedArticles, rankOf, searchTextOf, type EvalQuestion } from './evaluate.js';

export interface SweepSetting {
  denseWeight: number;
  expansion: boolean;
}

/** The candidate settings: BM25 alone up to a dense-led fusion, each with and without expansion. */
export const SWEEP_SETTINGS: SweepSetting[] = [0, 0.2, 0.4, 0.6, 0.8].flatMap((denseWeight) => [
  { denseWeight, expansion: true },
  { denseWeight, expansion: false },
]);

export const settingName = (s: SweepSetting) => `dense ${s.denseWeight.toFixed(1)}, expansion ${s.expansion ? 'on' : 'off'}`;

export function parseSettingName(name: string): SweepSetting {
  const m = /^dense ([\d.]+), expansion (on|off)$/.exec(name);
  if (!m) throw new Error(`not a sweep setting: ${name}`);
  return { denseWeight: Number(m[1]), expansion: m[2] === 'on' };
}

export interface QuestionSet {
  name: string;
  questions: EvalQuestion[];
}

export interface BaselineRow {
  question: string;
  index: string;
  set: string;
  answerable: boolean;
  /** Rank of the first passage / chunk holding an answer in the top 3 (0: none). */
  passageRank: number;
  chunkRank: number;
  /** The answer within the first 300 characters the chunk-BM25 recipe and the hybrid recipe show. */
  chunkShown: boolean;
  hybridShown: boolean;
}

/** One question to run on one index. */
export interface QuestionRun {
  index: string;
  set: string;
  question: EvalQuestion;
  group: string;
  /** The indexed articles holding one of its answers: left out, the question has none (a generated negative). */
  answerArticles: string[];
}

/** The questions of `sets` the index can answer (a `corpus` it holds), each with its article group. */
export function runnableQuestions(articles: readonly Article[], indexName: string, sets: QuestionSet[]): QuestionRun[] {
  const out: QuestionRun[] = [];
  for (const set of sets) {
    for (const q of set.questions) {
      if (q.corpus && !hasCorpus(articles, q.corpus)) continue;
      const answers = q.answers.map((a) => a.toLowerCase());
      const answerArticles =
        q.expect === 'answer' ? articles.filter((a) => answers.some((x) => a.text.toLowerCase().includes(x))).map((a) => a.id) : [];
      out.push({ index: indexName, set: set.name, question: q, group: articleGroup(articles, q), answerArticles });
    }
  }
  return out;
}

/**
 * The article a question is about, so that its questions share a fold: the corpus row when the question file gives one
 * (`row`, as in dev-general.jsonl), else the first indexed article holding one of its answers; an unanswerable question
 * is a group of its own.
 */
function articleGroup(articles: readonly Article[], q: EvalQuestion): string {
  if (q.expect === 'none') return `question:${q.id}`;
  if (q.row !== undefined && q.corpus) return `${q.corpus}:row:${q.row}`;
  const answers = q.answers.map((a) => a.toLowerCase());
  const article = articles.find((a) => answers.some((x) => a.text.toLowerCase().includes(x)));
  return article ? `article:${article.id}` : `question:${q.id}`;
}

/**
 * Answers every run under every setting; `answerWith(setting)` gives the answer function of a setting. `embedQuery`
 * (the index's model) lets the hybrid recipe run beside the chunk-BM25 one.
 */
export async function sweep(
  index: PassageStore,
  runs: QuestionRun[],
  answerWith: (setting: SweepSetting) => Promise<(question: string, options: AnswerOptions) => Promise<Answer>>,
  embedQuery: (question: string) => Promise<Float32Array>,
  settings: SweepSetting[] = SWEEP_SETTINGS,
  onProgress?: (done: number, total: number) => void,
): Promise<{ samples: SweepSample[]; baselines: BaselineRow[] }> {
  const samples: SweepSample[] = [];
  let done = 0;
  for (const setting of settings) {
    const answer = await answerWith(setting);
    for (const run of runs) {
      const q = run.question;
      // Threshold 0: quotes for every question, so the cross-validation can decide with thresholds of its own.
      const a = await answer(q.question, askOptions(q, { threshold: 0, collectCandidates: true }));
      samples.push({
        question: q.id,
        index: run.index,
        set: run.set,
        group: run.group,
        setting: settingName(setting),
        answerable: q.expect === 'answer',
        rank: q.expect === 'answer' ? rankOf(a.quotes.slice(0, 3).map((x) => x.text), q.answers) : 0,
        candidates:
          q.expect === 'answer' ? (a.candidates ?? []).map((c) => ({ features: c.features, holdsAnswer: holdsAnswer(c.text, q.answers) })) : [],
      });
      onProgress?.(++done, settings.length * runs.length);
    }
  }
  const chunks = await chunkBaseline(await indexedArticles(index));
  const baselines: BaselineRow[] = [];
  for (const { index: indexName, set, question: q } of runs) {
    const answerable = q.expect === 'answer';
    const searchText = searchTextOf(q);
    const chunkTexts = chunks.search(searchText, 3).map((c) => c.text);
    const hybridTexts = answerable ? await hybridBaseline(index, searchText, await embedQuery(searchText), 3) : [];
    baselines.push({
      question: q.id,
      index: indexName,
      set,
      answerable,
      passageRank: answerable ? rankOf((await bm25Baseline(index, searchText, 3)).map((p) => p.text), q.answers) : 0,
      chunkRank: answerable ? rankOf(chunkTexts, q.answers) : 0,
      chunkShown: answerable && answerShownWithin(chunkTexts, q.answers),
      hybridShown: answerable && answerShownWithin(hybridTexts, q.answers),
    });
  }
  return { samples, baselines };
}
