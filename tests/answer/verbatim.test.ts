// The verbatim guarantee over many generated questions: whatever is asked (word subsets and spans of the seed sentences,
// shuffled words, random words, stray punctuation), every quote and corroborating quote is the article text at its
// offsets and occurs in the cited file. Questions come from a seeded generator, so a failure reproduces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coverage } from '../../src/answer/types.js';
import { indexedArticles } from '../../src/evaluation/index.js';
import type { PassageStore } from '../../src/index/index.js';
import { openSeedCoverage, expectVerbatim, type SeedCoverage } from '../support/seed-coverage.js';

/** mulberry32: a small seeded PRNG, so the generated questions are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PUNCTUATION = ['?', '!', ',', ';', ':', '...', '—', '"', '“', '”', "'", '(', ')', '[', ']', '*', '_', '#', '&', '%', '$'];
const OFF_TOPIC = ['recipe', 'oven', 'bitcoin', 'router', 'password', 'football', 'wedding', 'glacier', 'violin', 'zxqv'];

function questionGenerator(sentences: string[], seed: number) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)]!;
  const vocabulary = [...new Set(sentences.flatMap((s) => s.split(/\s+/)).filter(Boolean))];
  const wordsOf = (s: string) => s.split(/\s+/).filter(Boolean);
  const shuffle = <T>(xs: T[]) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const kinds: Array<[string, () => string]> = [
    ['word subset', () => wordsOf(pick(sentences)).filter(() => random() < 0.4).join(' ') || pick(vocabulary)],
    [
      'span',
      () => {
        const w = wordsOf(pick(sentences));
        const start = int(w.length);
        return w.slice(start, start + 2 + int(10)).join(' ');
      },
    ],
    ['shuffled sentence', () => shuffle(wordsOf(pick(sentences))).join(' ')],
    ['random corpus words', () => Array.from({ length: 1 + int(8) }, () => pick(vocabulary)).join(' ')],
    [
      'punctuated',
      () =>
        wordsOf(pick(sentences))
          .slice(0, 3 + int(8))
          .map((w) => (random() < 0.5 ? `${pick(PUNCTUATION)}${w}${pick(PUNCTUATION)}` : w))
          .join(random() < 0.5 ? ' ' : ' , '),
    ],
    ['mixed with off-topic words', () => shuffle([...wordsOf(pick(sentences)).slice(0, 4), pick(OFF_TOPIC), pick(OFF_TOPIC)]).join(' ')],
  ];
  return () => {
    const [kind, make] = pick(kinds);
    return { kind, question: `${make()}${random() < 0.5 ? '?' : ''}` };
  };
}

/** Asks `count` generated questions and checks every answer; returns what was seen, to show the checks ran. */
async function askGenerated(coverage: Coverage, index: PassageStore, sourcesDir: string, seedValue: number, count: number) {
  const sentences: string[] = [];
  for (const article of await indexedArticles(index)) {
    for (const p of await index.articlePassages(article.id)) sentences.push(...p.sentences.map((s) => article.text.slice(s.start, s.end)));
  }
  const next = questionGenerator([...new Set(sentences)], seedValue);
  const seen = { answered: 0, quotes: 0, corroborated: 0 };
  for (let i = 0; i < count; i++) {
    const { kind, question } = next();
    const answer = await coverage.answer(question);
    const context = `question ${i} (${kind}): ${question}`;
    expect(answer.quotes.length > 0, context).toBe(answer.outcome !== 'not-covered');
    expect(answer.answered, context).toBe(answer.outcome === 'answered');
    expect(answer.quotes.length, context).toBeLessThanOrEqual(answer.outcome === 'closest' ? 2 : 3);
    // No text is quoted twice: quotes of one article never overlap.
    for (const [i, a] of answer.quotes.entries()) {
      for (const b of answer.quotes.slice(i + 1)) {
        if (a.source.id === b.source.id) expect(a.end <= b.start || b.end <= a.start, `${context}: overlapping quotes`).toBe(true);
      }
    }
    seen.quotes += await expectVerbatim(answer, index, sourcesDir);
    if (answer.quotes.length > 0) seen.answered++;
    seen.corroborated += answer.quotes.filter((q) => q.corroboration.length > 0).length;
  }
  return seen;
}

describe('verbatim guarantee over generated questions', () => {
  let seed: SeedCoverage;
  beforeAll(async () => {
    seed = await openSeedCoverage();
  });
  afterAll(() => seed?.close());

  it('returns only quotes and corroborations that are verbatim in the cited article and its file (200 questions)', async () => {
    const { coverage } = seed;
    const seen = await askGenerated(coverage, coverage.index, seed.fixture.sourcesDir, 20230727, 200);
    // Most questions built from the articles' own words are answered, so the checks above are not vacuous.
    expect(seen.answered).toBeGreaterThan(100);
    expect(seen.quotes).toBeGreaterThan(200);
    expect(seen.corroborated).toBeGreaterThan(0);
  });

  // On a nine-passage index every neighbour occurs in more than maxDocumentShare of the passages, so the default
  // settings expand nothing; forcing expansions on checks quotes chosen with expanded terms as well.
  it('keeps the guarantee when query expansion adds neighbouring words (40 questions)', async () => {
    const coverage = await seed.reopen({ expansion: { maxDocumentShare: 1 } });
    const seen = await askGenerated(coverage, coverage.index, seed.fixture.sourcesDir, 1960, 40);
    expect(seen.answered).toBeGreaterThan(20);
  });
});
