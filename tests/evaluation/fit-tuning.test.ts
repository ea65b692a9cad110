// Cross-validating a model's fit: every held-out question is answered by a fitting that never saw it (nor any question
// about its article), generated negatives leave out the articles holding the answer, and each fold's fitting is used.
import { describe, expect, it } from 'vitest';
import { confidence } from '../../src/answer/confidence.js';
import type { SweepSample } from '../../src/evaluation/cross-validation.js';
import type { QuestionRun } from '../../src/evaluation/sweep.js';
import { SENTENCE_FEATURES } from '../../src/answer/sentences.js';
import { crossValidate, fitOn, type AnswerWith } from '../../src/evaluation/fit-tuning.js';
import type { Answer } from '../../src/answer/types.js';

/** 30 answerable questions, two per article, and 10 unanswerable ones. */
const runs: QuestionRun[] = Array.from({ length: 40 }, (_, i) => ({
  index: 'idx',
  set: 'set',
  question: { id: `q${i}`, question: `question ${i}`, expect: i < 30 ? 'answer' : 'none', answers: i < 30 ? [`answer${i}`] : [] },
  group: i < 30 ? `article:a${Math.floor(i / 2)}` : `question:q${i}`,
  answerArticles: i < 30 ? [`a${Math.floor(i / 2)}`] : [],
}));

const samples: SweepSample[] = runs.flatMap((r, i) =>
  ['dense 0.0, expansion on', 'dense 0.4, expansion off'].map((setting) => ({
    question: r.question.id,
    index: r.index,
    set: r.set,
    group: r.group,
    setting,
    answerable: r.question.expect === 'answer',
    rank: r.question.expect === 'answer' && setting.startsWith('dense 0.4') ? 1 : 0,
    candidates: [
      { features: new Array(SENTENCE_FEATURES.length).fill(0).map((_, k) => (k === 0 ? 0.9 : 0.1)), holdsAnswer: true },
      { features: new Array(SENTENCE_FEATURES.length).fill(0).map((_, k) => (k === 0 ? 0.1 + (i % 3) * 0.05 : 0.2)), holdsAnswer: false },
    ],
  })),
);

/**
 * A pipeline whose evidence is one number per question: `level(n, excluded)` for question n (with or without its
 * answer's articles), and whose quotes hold the answer when `quotesRight(n)`.
 */
function pipeline(level: (n: number, excluded: boolean) => number, quotesRight: (n: number) => boolean): AnswerWith {
  return async (_index, fitting) => async (question, options) => {
    const n = Number(question.split(' ')[1]);
    const c = level(n, options.excludeArticles !== undefined);
    const evidence = { sentenceScore: c, scoreMargin: c, dense: c, denseMargin: c, agreement: c, typeMatch: 0, termShare: c, namesFound: 1 };
    const p = fitting.calibration ? confidence(evidence, fitting.calibration) : 1;
    const threshold = options.threshold ?? fitting.calibration?.threshold ?? 0;
    const closest = options.threshold ?? fitting.calibration?.closest ?? threshold;
    const outcome = p >= threshold ? 'answered' : p >= closest ? 'closest' : 'not-covered';
    const text = quotesRight(n) ? `the answer${n}.` : 'an unrelated sentence.';
    return {
      question,
      answered: outcome === 'answered',
      outcome,
      confidence: p,
      quotes: outcome === 'not-covered' ? [] : [{ text, start: 0, end: 1, score: 1, passageId: 'p', source: {} as never, corroboration: [] }],
      sources: [],
      evidence,
    } satisfies Answer;
  };
}

describe('crossValidate', () => {
  it('answers each held-out question with a fitting that saw neither it nor its article', async () => {
    const trainedOn = new Map<object, Set<string>>();
    const testedOn = new Map<object, Set<string>>();
    const excluded: string[][] = [];
    const pipe = pipeline((n, excluded) => (n < 30 && !excluded ? 0.8 : 0.2), (n) => n < 30);
    const answerWith: AnswerWith = async (index, fitting) => {
      const answer = await pipe(index, fitting);
      return async (question, options) => {
        const id = `q${question.split(' ')[1]}`;
        const byScorer = options.threshold === 0 ? trainedOn : testedOn;
        if (!byScorer.has(fitting.scorer)) byScorer.set(fitting.scorer, new Set());
        byScorer.get(fitting.scorer)!.add(id);
        if (options.excludeArticles) excluded.push(options.excludeArticles);
        return answer(question, options);
      };
    };
    const { outcomes, fittings } = await crossValidate(runs, samples, answerWith, 5);
    expect(fittings).toHaveLength(5);
    expect(outcomes).toHaveLength(40);
    expect(fittings.every((f) => f.setting.denseWeight === 0.4 && !f.setting.expansion)).toBe(true);
    for (const [scorer, tested] of testedOn) {
      const trained = trainedOn.get(scorer)!;
      for (const q of tested) expect(trained.has(q), `${q} was both fitted on and held out`).toBe(false);
      const articles = (ids: Set<string>) => new Set([...ids].map((q) => runs.find((r) => r.question.id === q)!.group));
      for (const g of articles(tested)) expect(articles(trained).has(g)).toBe(false);
    }
    // Generated negatives: an answerable training question again, its answer's articles left out.
    expect(excluded.length).toBeGreaterThan(0);
    expect(excluded.every((a) => a.length === 1 && a[0]!.startsWith('a'))).toBe(true);
    // With evidence this clear, the held-out decisions are right.
    expect(outcomes.filter((o) => o.answerable && o.outcome === 'answered' && o.rank === 1)).toHaveLength(30);
    expect(outcomes.filter((o) => !o.answerable && o.outcome === 'not-covered')).toHaveLength(10);
  });
});

describe('crossValidate on follow-ups', () => {
  it('asks every follow-up with its thread\'s first question, when fitting and when answering it held out', async () => {
    const followUps = runs.map((r) => ({ ...r, question: { ...r.question, context: `thread of ${r.question.id}` } }));
    const pipe = pipeline((n) => (n < 30 ? 0.8 : 0.2), (n) => n < 30);
    const asked: Array<{ question: string; context: string | undefined }> = [];
    const answerWith: AnswerWith = async (index, fitting) => {
      const answer = await pipe(index, fitting);
      return async (question, options) => {
        asked.push({ question, context: options.context });
        return answer(question, options);
      };
    };
    await crossValidate(followUps, samples, answerWith, 5);
    expect(asked.length).toBeGreaterThan(40);
    for (const { question, context } of asked) expect(context).toBe(`thread of q${question.split(' ')[1]}`);
  });
});

const decide = async (answerWith: AnswerWith, n: number) => {
  const fitting = await fitOn(runs, samples, answerWith);
  return (await (await answerWith('idx', fitting))(`question ${n}`, {})).outcome;
};

describe('fitOn thresholds', () => {
  it('answers what the real questions say is answerable, even when generated negatives look the same', async () => {
    // Paraphrased questions: with their article left out the evidence hardly changes. Half the fitting samples at that
    // evidence are generated negatives, which would have the thresholds show the closest coverage for every one.
    const answerWith = pipeline((n) => (n < 30 ? 0.5 : 0.1), () => true);
    expect(await decide(answerWith, 3)).toBe('answered');
    expect(await decide(answerWith, 35)).toBe('not-covered');
  });

  it('shows the closest coverage, not an answer, where the evidence is strong but the quotes miss', async () => {
    const answerWith = pipeline((n, excluded) => (n < 30 && !excluded ? 0.8 : 0.1), (n) => n % 2 === 0);
    // Half the answerable questions quote the wrong sentence: as answers they would cost what a false answer does.
    expect(await decide(answerWith, 3)).toBe('closest');
  });
});
