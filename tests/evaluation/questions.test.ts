// The hand-written development questions in eval/questions/ (see docs/questions.md): every line has the documented
// shape, ids are unique, each answer is a verbatim substring of its article, the terms an unanswerable question would
// need occur nowhere, and no question (nor a follow-up's thread opener) copies its article. The seed files are checked on every run; bbc.jsonl against
// the BBC corpus when ../shared is beside the repository (eval/questions/check.py does the same from Python).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SEEDS_DIR } from '../support/index-fixture.js';
import { BBC_CSV, describeWithShared } from '../support/shared-corpus.js';

const QUESTIONS_DIR = path.join(path.dirname(SEEDS_DIR), 'eval', 'questions');
const FILES = { 'seeds.jsonl': 'qs', 'seeds-casual.jsonl': 'qc', 'seeds-follow-ups.jsonl': 'qf', 'bbc.jsonl': 'qb' } as const;
type FileName = keyof typeof FILES;

/** A term an unanswerable question would need: a string, or strings that must not all occur in one text. */
const absentTerm = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const common = {
  id: z.string().min(1),
  question: z.string().min(5),
  type: z.enum(['who', 'what', 'when', 'where', 'why', 'how-many', 'how', 'which', 'yes-no', 'other']),
  style: z.enum(['formal', 'casual']),
};
/** An answer is the fact a right quote must hold, not a sentence: trimmed, single-spaced, at most 8 words. */
const answer = z
  .string()
  .min(1)
  .refine((a) => a === a.replace(/\s+/g, ' ').trim(), 'answer has stray whitespace')
  .refine((a) => a.split(' ').length <= 8, 'answer is longer than 8 words');
const answerable = { expect: z.literal('answer'), answers: z.array(answer).min(1) };
const unanswerable = {
  expect: z.literal('none'),
  answers: z.array(z.string()).length(0),
  kind: z.enum(['on-topic', 'off-topic']),
  absent: z.array(absentTerm).optional(),
};
const bbcArticle = {
  corpus: z.literal('bbc'),
  row: z.number().int().nonnegative(),
  category: z.enum(['business', 'entertainment', 'politics', 'sport', 'tech']),
};

const seedLine = z.discriminatedUnion('expect', [
  z.strictObject({ ...common, ...answerable }),
  z.strictObject({ ...common, ...unanswerable }),
]);
/** A follow-up in a thread: the thread's first question comes with it, as the bot hands it over (bot/messages.ts). */
const followUp = { context: z.string().min(5) };
const followUpLine = z.discriminatedUnion('expect', [
  z.strictObject({ ...common, ...answerable, ...followUp }),
  z.strictObject({ ...common, ...unanswerable, ...followUp }),
]);
/** An on-topic trap names the row of the story it is about; an off-topic question has none. */
const bbcLine = z.discriminatedUnion('expect', [
  z.strictObject({ ...common, ...answerable, ...bbcArticle }),
  z.discriminatedUnion('kind', [
    z.strictObject({ ...common, ...unanswerable, kind: z.literal('on-topic'), ...bbcArticle }),
    z.strictObject({ ...common, ...unanswerable, kind: z.literal('off-topic'), corpus: z.literal('bbc') }),
  ]),
]);
type Question = z.infer<typeof seedLine> | z.infer<typeof followUpLine> | z.infer<typeof bbcLine>;

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function readQuestions(file: FileName): Question[] {
  const schema = file === 'bbc.jsonl' ? bbcLine : file === 'seeds-follow-ups.jsonl' ? followUpLine : seedLine;
  const lines = readFileSync(path.join(QUESTIONS_DIR, file), 'utf8').split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error)}`);
    return [parsed.data];
  });
}

function words(text: string): string[] {
  return text.toLowerCase().replace(/\u2019/g, "'").match(/[a-z0-9']+/g) ?? [];
}

/** The longest run of consecutive words the question shares with any sentence of the texts. */
function longestCopiedRun(question: string, texts: string[]): number {
  const q = words(question);
  let best = 0;
  for (const sentence of texts.flatMap((t) => t.split(/(?<=[.!?"\u201d])\s+(?=["\u201c(]?[A-Z0-9])/))) {
    const s = words(sentence);
    let prev = new Array<number>(s.length + 1).fill(0);
    for (let i = 1; i <= q.length; i++) {
      const cur = new Array<number>(s.length + 1).fill(0);
      for (let j = 1; j <= s.length; j++) {
        if (q[i - 1] === s[j - 1]) cur[j] = prev[j - 1]! + 1;
        best = Math.max(best, cur[j]!);
      }
      prev = cur;
    }
  }
  return best;
}

/** The texts holding every string of an absent term (case-insensitive). */
function textsHolding(term: string | string[], texts: Map<string, string>): string[] {
  const group = (typeof term === 'string' ? [term] : term).map((t) => t.toLowerCase());
  return [...texts].filter(([, text]) => group.every((g) => text.toLowerCase().includes(g))).map(([label]) => label);
}

/** What a reviewer looks for in one question, against the text(s) it is about and every text it must not be in. */
function problemsOf(q: Question, own: string[], everything: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const a of q.answers) if (!own.some((t) => t.includes(a))) problems.push(`${q.id}: answer ${JSON.stringify(a)} is not in its article`);
  if (q.expect === 'none') {
    for (const term of q.absent ?? []) {
      const hits = textsHolding(term, everything);
      if (hits.length > 0) problems.push(`${q.id}: absent term ${JSON.stringify(term)} occurs in ${hits.slice(0, 5).join(', ')}`);
    }
  }
  const run = longestCopiedRun(q.question, own);
  if (run >= 6) problems.push(`${q.id}: question copies ${run} consecutive words of its article`);
  if ('context' in q && longestCopiedRun(q.context, own) >= 6) problems.push(`${q.id}: its thread's first question copies its article`);
  return problems;
}

const seedTexts = new Map(
  readdirSync(SEEDS_DIR)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => [`seed ${name}`, collapse(readFileSync(path.join(SEEDS_DIR, name), 'utf8'))] as const),
);

describe('eval/questions', () => {
  const byFile = Object.fromEntries(Object.keys(FILES).map((f) => [f, readQuestions(f as FileName)])) as Record<FileName, Question[]>;

  it('gives every question a unique id with its file prefix', () => {
    const ids = Object.values(byFile).flat().map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [file, prefix] of Object.entries(FILES)) {
      for (const q of byFile[file as FileName]) expect(q.id.startsWith(prefix), `${file}: ${q.id}`).toBe(true);
    }
  });

  it('keeps the seed files to one style each', () => {
    expect(byFile['seeds.jsonl'].every((q) => q.style === 'formal')).toBe(true);
    expect(byFile['seeds-casual.jsonl'].every((q) => q.style === 'casual')).toBe(true);
    expect(byFile['seeds-follow-ups.jsonl'].every((q) => q.style === 'casual')).toBe(true);
  });

  it('makes about a fifth of each file unanswerable, with on-topic traps and off-topic questions', () => {
    for (const [file, questions] of Object.entries(byFile)) {
      const none = questions.filter((q) => q.expect === 'none');
      const share = none.length / questions.length;
      expect(share, file).toBeGreaterThanOrEqual(0.15);
      expect(share, file).toBeLessThanOrEqual(0.25);
      const onTopic = none.filter((q) => q.expect === 'none' && q.kind === 'on-topic');
      expect(onTopic.length, file).toBeGreaterThan(0);
      expect(onTopic.length, file).toBeLessThan(none.length);
      // an on-topic trap says which terms its answer would need, so the claim "nothing answers it" is checked
      for (const q of onTopic) expect(q.expect === 'none' && (q.absent ?? []).length > 0, q.id).toBe(true);
    }
  });

  for (const [file, least] of [['seeds.jsonl', 35], ['seeds-casual.jsonl', 35], ['seeds-follow-ups.jsonl', 25]] as const) {
    it(`${file}: answers are verbatim in a seed article, absent terms in none, no question copies the articles`, () => {
      const own = [...seedTexts.values()];
      expect(byFile[file].length).toBeGreaterThanOrEqual(least);
      expect(byFile[file].flatMap((q) => problemsOf(q, own, seedTexts))).toEqual([]);
    });
  }
});

describeWithShared(BBC_CSV)('eval/questions/bbc.jsonl against the BBC corpus', () => {
  let rows: Array<{ text: string; category: string }>;
  let everything: Map<string, string>;
  let questions: Question[];

  beforeAll(() => {
    rows = (parse(readFileSync(BBC_CSV), { columns: true }) as Array<{ text: string; category: string }>).map((r) => ({
      text: collapse(r.text),
      category: r.category,
    }));
    everything = new Map([...seedTexts, ...rows.map((r, i) => [`row ${i}`, r.text] as const)]);
    questions = readQuestions('bbc.jsonl');
  });

  it('names rows that exist, with the category the corpus gives them', () => {
    for (const q of questions) {
      if (!('row' in q)) continue;
      expect(q.row, q.id).toBeLessThan(rows.length);
      expect(q.category, q.id).toBe(rows[q.row]?.category);
    }
  });

  it('spreads the answerable questions over all five sections', () => {
    const categories = new Set(questions.flatMap((q) => (q.expect === 'answer' && 'category' in q ? [q.category] : [])));
    expect(categories.size).toBe(5);
  });

  it('finds every answer verbatim in its row, no absent term anywhere, and no copied sentence', () => {
    const problems = questions.flatMap((q) => problemsOf(q, 'row' in q ? [rows[q.row]?.text ?? ''] : [], everything));
    expect(problems).toEqual([]);
  });
});
