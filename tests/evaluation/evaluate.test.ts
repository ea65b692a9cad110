// Evaluation on the seed index with a small question file: counts, skipped corpora, verbatim rate, the ranks behind
// hit@k and MRR, the confidence's ROC AUC, the report's two columns, and clear errors for a malformed question file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluate,
  formatEvaluation,
  hasCorpus,
  holdsAnswer,
  indexedArticles,
  rankOf,
  readQuestions,
  rocAuc,
  scoresByType,
  type EvaluationReport,
  type QuestionResult,
} from '../../src/evaluation/evaluate.js';
import { readSourceText } from '../../src/corpus/index.js';
import { openSeedCoverage, type SeedCoverage } from '../support/seed-coverage.js';

const QUESTIONS = fileURLToPath(new URL('./fixtures/questions.jsonl', import.meta.url));

describe('rocAuc', () => {
  it('is 1 when every positive outscores every negative, 0 when the order is inverted', () => {
    expect(rocAuc([0.9, 0.8, 0.3, 0.1], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.3, 0.1], [false, false, true, true])).toBe(0);
  });

  it('counts ties as half and mixed orders pair by pair', () => {
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [true, false, true, false])).toBe(0.5);
    // Pairs (positive, negative): 0.9>0.6, 0.9>0.2, 0.4<0.6, 0.4>0.2 → 3 of 4.
    expect(rocAuc([0.9, 0.4, 0.6, 0.2], [true, true, false, false])).toBe(0.75);
    // 0.7 ties 0.7 (half) and beats 0.1: 1.5 of 2.
    expect(rocAuc([0.7, 0.7, 0.1], [true, false, false])).toBe(0.75);
  });

  it('is NaN when one class is missing', () => {
    expect(rocAuc([0.2, 0.8], [true, true])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
  });
});

describe('rankOf', () => {
  it('is the 1-based rank of the first text holding an answer, case ignored, and 0 when none does', () => {
    const texts = ['The vote was postponed.', 'Colonel Abdourahamane Tchiani leads the junta.', 'TCHIANI spoke.'];
    expect(holdsAnswer(texts[1]!, ['tchiani'])).toBe(true);
    expect(rankOf(texts, ['Abdourahamane Tchiani', 'Tchiani'])).toBe(2);
    expect(rankOf(texts, ['Bazoum'])).toBe(0);
    expect(rankOf([], ['Tchiani'])).toBe(0);
  });
});

describe('readQuestions', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'coverage-bot-questions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads one question a line, skipping blank lines, with answers defaulting to none', async () => {
    const questions = await readQuestions(QUESTIONS);
    expect(questions.map((q) => q.id)).toEqual(['a1', 'a2', 'a3', 'n1', 'n2', 'b1']);
    expect(questions.find((q) => q.id === 'n1')!.answers).toEqual([]);
    expect(questions.find((q) => q.id === 'b1')!.corpus).toBe('bbc');
    const padded = write('padded.jsonl', '\n{"id":"x","question":"Who?","expect":"none"}\n\n');
    expect(await readQuestions(padded)).toHaveLength(1);
  });

  it('names the file, line and field of a question that does not fit the format', async () => {
    const file = write('bad-expect.jsonl', '{"id":"x","question":"Who?","expect":"none"}\n{"id":"y","question":"Who?","expect":"maybe"}\n');
    await expect(readQuestions(file)).rejects.toThrow(`${file}:2: expect:`);
  });

  it('names the file and line of a line that is not JSON', async () => {
    const file = write('broken.jsonl', '{"id":"x","question":"Who?","expect":"none"}\n{"id":"y", question\n');
    await expect(readQuestions(file)).rejects.toThrow(`${file}:2: not a JSON object`);
  });
});

describe('evaluate on the seed index', () => {
  let seed: SeedCoverage;
  let report: EvaluationReport;
  beforeAll(async () => {
    seed = await openSeedCoverage();
    const { coverage, fixture } = seed;
    report = await evaluate(
      { index: coverage.index, answer: coverage.answer, readSource: (a) => readSourceText(fixture.sourcesDir, a).catch(() => null) },
      await readQuestions(QUESTIONS),
    );
  });
  afterAll(() => seed?.close());

  it('skips questions whose corpus is not indexed and counts the rest', async () => {
    expect(hasCorpus(await indexedArticles(seed.coverage.index), 'bbc')).toBe(false);
    expect(report.skipped).toEqual(['b1']);
    expect(report.questions).toBe(5);
    expect(report.results.map((r) => r.id)).toEqual(['a1', 'a2', 'a3', 'n1', 'n2']);
    for (const s of [report.system, report.baseline, report.chunkBaseline]) {
      expect(s.answerable).toBe(3);
      expect(s.unanswerable).toBe(2);
    }
  });

  it('finds every returned quote verbatim', () => {
    expect(report.system.quotes).toBeGreaterThanOrEqual(3);
    expect(report.system.verbatimRate).toBe(1);
  });

  it('answers the answerable questions in the top 3 and declines the others', () => {
    expect(report.system.hitAt3).toBe(1);
    expect(report.system.noAnswerRecall).toBe(1);
    expect(report.system.noAnswerPrecision).toBe(1);
    expect(report.confidenceAuc).toBe(1);
    for (const r of report.results.filter((x) => x.expect === 'none')) expect(r.answered).toBe(false);
  });

  it('asks a follow-up with its thread\'s first question as context, as the bot does, and scores what that shows', async () => {
    const { coverage, fixture } = seed;
    const dir = mkdtempSync(path.join(tmpdir(), 'coverage-bot-follow-up-'));
    try {
      const file = path.join(dir, 'follow-ups.jsonl');
      writeFileSync(file, '{"id":"f1","question":"how many bases?","context":"does the us have soldiers in niger","expect":"answer","answers":["three outposts"]}\n');
      const asked: Array<{ question: string; context?: string }> = [];
      const followUp = await evaluate(
        {
          index: coverage.index,
          answer: (question, options) => {
            asked.push({ question, ...(options?.context ? { context: options.context } : {}) });
            return coverage.answer(question, options);
          },
          readSource: (a) => readSourceText(fixture.sourcesDir, a).catch(() => null),
        },
        await readQuestions(file),
      );
      expect(asked).toEqual([{ question: 'how many bases?', context: 'does the us have soldiers in niger' }]);
      // Alone, "how many bases?" names nothing of the story; after its thread's question it finds the outposts.
      expect(followUp.results[0]!.rank).toBeGreaterThanOrEqual(1);
      expect(followUp.chunkBaseline.hitAt3).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives hit@1, hit@3 and MRR from each question’s rank of the first quote holding an answer', async () => {
    const questions = await readQuestions(QUESTIONS);
    const answerable = report.results.filter((r) => r.expect === 'answer');
    for (const r of answerable) {
      const answers = questions.find((q) => q.id === r.id)!.answers.map((a) => a.toLowerCase());
      const first = r.quotes.slice(0, 3).findIndex((t) => answers.some((a) => t.toLowerCase().includes(a)));
      expect(r.rank, r.id).toBe(first + 1);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(report.system.hitAt1).toBeCloseTo(mean(answerable.map((r) => (r.rank === 1 ? 1 : 0))), 12);
    expect(report.system.mrr).toBeCloseTo(mean(answerable.map((r) => (r.rank ? 1 / r.rank : 0))), 12);
    expect(report.misses.map((m) => m.id)).toEqual(answerable.filter((r) => r.rank !== 1).map((r) => r.id));
  });

  it('prints every metric for coverage-bot, the BM25 baseline and the chunk-BM25 recipe side by side', () => {
    const lines = formatEvaluation(report).split('\n');
    expect(lines[0]).toMatch(/^metric\s+coverage-bot\s+BM25 baseline\s+chunk-BM25 recipe$/);
    expect(lines).toContain(lines.find((l) => /^answerable questions\s+3\s+3\s+3$/.test(l)));
    expect(lines.find((l) => l.startsWith('unanswerable questions'))).toMatch(/\s2\s+2\s+2$/);
    expect(lines.find((l) => l.startsWith('verbatim quotes'))).toMatch(/^verbatim quotes\s+100%\s+\d+%\s+n\/a$/);
    const value = String.raw`(\d+%|\d\.\d\d|n\/a)`;
    for (const metric of ['hit@1', 'hit@3', 'MRR', 'no-answer precision', 'no-answer recall']) {
      expect(lines.find((l) => l.startsWith(metric)), metric).toMatch(new RegExp(`^[\\w@ -]+\\s+${value}\\s+${value}\\s+${value}$`));
    }
    expect(lines.find((l) => l.startsWith('confidence ROC AUC'))).toMatch(/1\.000$/);
    expect(lines).toContain('skipped (corpus not indexed): b1');
  });
});

describe('scores by answer type', () => {
  const row = (id: string, answerType: string, rank: number, expect: 'answer' | 'none' = 'answer'): QuestionResult => ({
    id,
    question: id,
    expect,
    answered: rank > 0,
    outcome: rank > 0 ? 'answered' : 'not-covered',
    rank,
    confidence: 1,
    evidence: null,
    quotes: [],
    answerType,
  });

  it('groups answerable questions by type with their hit@1 and hit@3', () => {
    const byType = scoresByType([row('a', 'person', 1), row('b', 'person', 3), row('c', 'date', 0), row('n', 'other', 0, 'none')]);
    expect(byType).toEqual({
      date: { questions: 1, hitAt1: 0, hitAt3: 0 },
      person: { questions: 2, hitAt1: 0.5, hitAt3: 1 },
    });
  });

  it('reports the classified type with answer-type matching off, so both runs group alike', async () => {
    const seed = await openSeedCoverage();
    try {
      const { coverage, fixture } = seed;
      const target = { index: coverage.index, answer: coverage.answer, readSource: (a: Parameters<typeof readSourceText>[1]) => readSourceText(fixture.sourcesDir, a).catch(() => null) };
      const questions = await readQuestions(QUESTIONS);
      const on = await evaluate(target, questions);
      const off = await evaluate(target, questions, { answerTypes: false });
      expect(on.answerTypes).toBe(true);
      expect(off.answerTypes).toBe(false);
      expect(Object.keys(off.byType)).toEqual(Object.keys(on.byType));
      expect(on.byType.number?.questions).toBe(1);
      expect(formatEvaluation(off)).toContain('answer-type matching off');
    } finally {
      await seed.close();
    }
  });
});
