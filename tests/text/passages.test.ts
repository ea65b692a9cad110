// Passage windows: exact offsets into the article, the token budget, sentence overlap, and termination on awkward inputs.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { approximateTokenCount, buildPassages, type PassageOptions } from '../../src/text/passages.js';
import { splitSentences } from '../../src/text/sentences.js';
import type { Passage, Span } from '../../src/text/types.js';

const seedsDir = new URL('../../seeds/', import.meta.url);
const seeds = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => [f, readFileSync(new URL(f, seedsDir), 'utf8')] as const);

const wordCount = (s: string): number => s.split(/\s+/).filter(Boolean).length;

/** Index of each passage's sentences in the article's sentence list, checking they are a consecutive run of it. */
function sentenceIndexes(text: string, passages: Passage[]): number[][] {
  const all = splitSentences(text);
  const key = (s: Span): string => `${s.start}:${s.end}`;
  const position = new Map(all.map((s, i) => [key(s), i]));
  return passages.map((p) => {
    const indexes = p.sentences.map((s) => position.get(key(s)) ?? -1);
    expect(indexes, `passage ${p.id} has a span that is not a sentence`).not.toContain(-1);
    indexes.forEach((at, i) => i > 0 && expect(at, `passage ${p.id} skips a sentence`).toBe(indexes[i - 1]! + 1));
    return indexes;
  });
}

/** Every structural promise of buildPassages, for any options. */
function expectWellFormed(articleId: string, text: string, passages: Passage[], opts: PassageOptions): void {
  const all = splitSentences(text);
  const runs = sentenceIndexes(text, passages);
  const run0 = (p: Passage) => all.findIndex((s) => s.start === p.start);
  passages.forEach((p, ordinal) => {
    expect(p.id).toBe(`${articleId}#${ordinal}`);
    expect(p.articleId).toBe(articleId);
    expect(p.ordinal).toBe(ordinal);
    expect(p.text).toBe(text.slice(p.start, p.end));
    expect(p.sentences.length).toBeGreaterThan(0);
    expect(p.start).toBe(p.sentences[0]!.start);
    expect(p.end).toBe(p.sentences[p.sentences.length - 1]!.end);
    for (const s of p.sentences) {
      expect(s.start).toBeGreaterThanOrEqual(p.start);
      expect(s.end).toBeLessThanOrEqual(p.end);
    }
    // Budget (the sum of the window's sentence counts): only a sentence too long on its own may exceed it.
    const tokensOf = (from: number, to: number) =>
      all.slice(from, to + 1).reduce((sum, s) => sum + opts.countTokens(text.slice(s.start, s.end)), 0);
    if (p.sentences.length > 1) expect(tokensOf(run0(p), run0(p) + p.sentences.length - 1)).toBeLessThanOrEqual(opts.maxTokens);
    const run = runs[ordinal]!;
    const last = run[run.length - 1]!;
    // Greedy: the next sentence would not have fitted.
    if (last + 1 < all.length) {
      expect(tokensOf(run[0]!, last + 1)).toBeGreaterThan(opts.maxTokens);
    }
    if (ordinal > 0) {
      const previous = runs[ordinal - 1]!;
      const previousLast = previous[previous.length - 1]!;
      // Each window starts later than the last and brings at least the next unseen sentence.
      expect(run[0]!).toBeGreaterThan(previous[0]!);
      expect(run[0]!).toBeLessThanOrEqual(previousLast + 1);
      expect(last).toBeGreaterThan(previousLast);
      const overlap = previousLast + 1 - run[0]!;
      expect(overlap).toBeLessThanOrEqual(opts.overlapSentences);
      // Less overlap than asked only when one more repeated sentence would have broken the budget (or the previous start).
      if (overlap < opts.overlapSentences && run[0]! - 1 > previous[0]!) {
        expect(tokensOf(run[0]! - 1, previousLast + 1)).toBeGreaterThan(opts.maxTokens);
      }
    }
  });
  // Every sentence lands in some passage, from the first to the last.
  if (all.length === 0) expect(passages).toEqual([]);
  else {
    expect(runs[0]![0]).toBe(0);
    expect(runs[runs.length - 1]!.at(-1)).toBe(all.length - 1);
  }
}

describe('buildPassages on the seed articles', () => {
  const optionSets: PassageOptions[] = [
    { maxTokens: 80, overlapSentences: 1, countTokens: approximateTokenCount },
    { maxTokens: 200, overlapSentences: 2, countTokens: approximateTokenCount },
    { maxTokens: 40, overlapSentences: 0, countTokens: approximateTokenCount },
    // Characters, so the whitespace between sentences counts: the budget is measured on the passage text itself.
    { maxTokens: 600, overlapSentences: 1, countTokens: (s) => s.length },
  ];
  for (const [file, text] of seeds) {
    it.each(optionSets.map((o) => [o.maxTokens, o.overlapSentences, o] as const))(
      `keeps offsets, budget and overlap in ${file} (max %i, overlap %i)`,
      (_max, _overlap, opts) => {
        const passages = buildPassages('seed', text, opts);
        expect(passages.length).toBeGreaterThan(1);
        expectWellFormed('seed', text, passages, opts);
      },
    );
  }

  it('lets a passage span paragraphs, keeping the text between them verbatim', () => {
    const [, text] = seeds[0]!;
    const passages = buildPassages('nbc', text, { maxTokens: 120, overlapSentences: 1, countTokens: approximateTokenCount });
    const spanning = passages.find((p) => p.text.includes('\n\n'));
    expect(spanning).toBeDefined();
    expect(spanning!.text).toBe(text.slice(spanning!.start, spanning!.end));
  });
});

describe('buildPassages windows', () => {
  // Ten sentences of exactly three words each.
  const text = Array.from({ length: 10 }, (_, i) => `Sentence number ${i}.`).join(' ');
  const windows = (opts: Omit<PassageOptions, 'countTokens'>): string[][] =>
    buildPassages('a', text, { ...opts, countTokens: wordCount }).map((p) =>
      p.sentences.map((s) => text.slice(s.start, s.end).replace(/\D/g, '')),
    );

  it('fills each window greedily and repeats the requested number of sentences', () => {
    expect(windows({ maxTokens: 9, overlapSentences: 1 })).toEqual([
      ['0', '1', '2'],
      ['2', '3', '4'],
      ['4', '5', '6'],
      ['6', '7', '8'],
      ['8', '9'],
    ]);
    expect(windows({ maxTokens: 12, overlapSentences: 2 })).toEqual([
      ['0', '1', '2', '3'],
      ['2', '3', '4', '5'],
      ['4', '5', '6', '7'],
      ['6', '7', '8', '9'],
    ]);
  });

  it('does not overlap when asked for none', () => {
    expect(windows({ maxTokens: 9, overlapSentences: 0 })).toEqual([['0', '1', '2'], ['3', '4', '5'], ['6', '7', '8'], ['9']]);
  });

  it('still advances when the overlap is as large as a window', () => {
    const result = windows({ maxTokens: 6, overlapSentences: 5 });
    expect(result).toEqual([
      ['0', '1'],
      ['1', '2'],
      ['2', '3'],
      ['3', '4'],
      ['4', '5'],
      ['5', '6'],
      ['6', '7'],
      ['7', '8'],
      ['8', '9'],
    ]);
  });

  it('puts a sentence longer than the budget in a passage of its own and carries on', () => {
    const long = `The ${'very '.repeat(30)}long sentence.`;
    const article = `Short one. ${long} Short two. Short three.`;
    const opts = { maxTokens: 5, overlapSentences: 1, countTokens: wordCount };
    const passages = buildPassages('long', article, opts);
    expect(passages.map((p) => p.text)).toEqual(['Short one.', long, 'Short two. Short three.']);
    expectWellFormed('long', article, passages, opts);
  });

  it('drops overlap that would not fit with the next new sentence instead of repeating a window', () => {
    const article = 'One two. Three four five six seven. Eight nine ten eleven twelve.';
    const opts = { maxTokens: 8, overlapSentences: 1, countTokens: wordCount };
    const passages = buildPassages('shed', article, opts);
    expect(passages.map((p) => p.text)).toEqual(['One two. Three four five six seven.', 'Eight nine ten eleven twelve.']);
    expectWellFormed('shed', article, passages, opts);
  });

  it('uses absolute offsets for passages after the first', () => {
    const passages = buildPassages('abs', text, { maxTokens: 9, overlapSentences: 1, countTokens: wordCount });
    const second = passages[1]!;
    expect(second.start).toBe(text.indexOf('Sentence number 2.'));
    expect(second.sentences.map((s) => text.slice(s.start, s.end))).toEqual([
      'Sentence number 2.',
      'Sentence number 3.',
      'Sentence number 4.',
    ]);
  });
});

describe('buildPassages edge cases', () => {
  const opts: PassageOptions = { maxTokens: 50, overlapSentences: 1, countTokens: approximateTokenCount };

  it('returns no passages for empty or blank text', () => {
    expect(buildPassages('empty', '', opts)).toEqual([]);
    expect(buildPassages('blank', ' \n\n \t', opts)).toEqual([]);
  });

  it('makes one passage of text with no terminal punctuation', () => {
    const text = '\n  Troops surround the presidential palace in Niamey \n';
    const passages = buildPassages('headline', text, opts);
    expect(passages).toHaveLength(1);
    expect(passages[0]).toMatchObject({ id: 'headline#0', ordinal: 0, text: 'Troops surround the presidential palace in Niamey' });
    expect(passages[0]!.sentences).toEqual([{ start: passages[0]!.start, end: passages[0]!.end }]);
  });

  it.each([
    [{ maxTokens: 0 }, /maxTokens/],
    [{ maxTokens: -5 }, /maxTokens/],
    [{ maxTokens: Number.NaN }, /maxTokens/],
    [{ overlapSentences: -1 }, /overlapSentences/],
    [{ overlapSentences: 1.5 }, /overlapSentences/],
  ])('rejects bad options %o with a message naming the option', (bad, message) => {
    expect(() => buildPassages('x', 'Some text.', { ...opts, ...bad })).toThrow(message);
  });

  it('rejects an empty article id', () => {
    expect(() => buildPassages('', 'Some text.', opts)).toThrow(/articleId/);
  });
});

describe('approximateTokenCount', () => {
  it('counts 1.3 per word, rounded up, plus one per punctuation mark', () => {
    expect(approximateTokenCount('')).toBe(0);
    expect(approximateTokenCount('   ')).toBe(0);
    expect(approximateTokenCount('Niger')).toBe(2);
    expect(approximateTokenCount('Hello, world.')).toBe(5);
    // "1,100" is two numbers and a comma, as a WordPiece tokenizer sees it.
    expect(approximateTokenCount('1,100 troops')).toBe(5);
    expect(approximateTokenCount('coup d’état')).toBe(Math.ceil(3 * 1.3) + 1);
  });

  it('never counts fewer tokens than the words of a real article', () => {
    for (const [, text] of seeds) {
      expect(approximateTokenCount(text)).toBeGreaterThanOrEqual(wordCount(text));
    }
  });
});
