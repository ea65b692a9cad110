// Very long runs of non-space characters (a pasted blob, a symbol run) are kept out of the word-level tools, which are
// quadratic in a token's length: no step of ingestion may take more than moments on one. Each bound below is loose
// (a hundred times what the step takes), and each step took from seconds to hours before the runs were bounded.
import { describe, expect, it } from 'vitest';
import { analyze, toTerm } from '../../src/index/analyzer.js';
import { blankLongRuns, dropLongRuns, MAX_WORD_CHARS } from '../../src/text/long-tokens.js';
import { splitSentences } from '../../src/text/sentences.js';
import { tagText } from '../../src/text/tags.js';

const MB = 1_000_000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('blankLongRuns and dropLongRuns', () => {
  it('blank only runs longer than a word, keeping every offset', () => {
    const long = 'x'.repeat(MAX_WORD_CHARS + 1);
    const word = 'y'.repeat(MAX_WORD_CHARS);
    const text = `Talks ${long} and ${word} ended.`;
    const blanked = blankLongRuns(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe(`Talks ${' '.repeat(long.length)} and ${word} ended.`);
    expect(dropLongRuns(text)).toBe(`Talks   and ${word} ended.`);
  });
});

describe('a 1 MB word or symbol run', () => {
  const article = (run: string) => `The junta met ECOWAS envoys in Niamey on Monday. ${run} and more. The talks ended on Tuesday.`;

  it('is analysed in moments, as one term cut to a word’s length', () => {
    const { value, ms } = timed(() => analyze(`coup ${'a'.repeat(MB)} troops`));
    expect(ms).toBeLessThan(2_000);
    expect(value).toEqual(['coup', 'a'.repeat(MAX_WORD_CHARS), 'troop']);
    expect(toTerm('Elections')).toBe('elect');
  });

  it('does not slow sentence splitting', () => {
    for (const run of ['a'.repeat(MB), '&'.repeat(MB), 'A.'.repeat(MB / 2)]) {
      const text = article(run);
      const { value, ms } = timed(() => splitSentences(text));
      expect(ms).toBeLessThan(3_000);
      // Compared short: a failure must not print the megabyte.
      expect(text.slice(value.at(-1)!.start, value.at(-1)!.end).slice(0, 100)).toBe('The talks ended on Tuesday.');
    }
  });

  it('is skipped by the tagger, which still tags the sentences around it at their offsets', () => {
    for (const run of ['a'.repeat(MB), '&'.repeat(MB), `&${'a'.repeat(MB)};`]) {
      const text = article(run);
      const sentences = splitSentences(text);
      const { value, ms } = timed(() => tagText(text, sentences));
      expect(ms).toBeLessThan(5_000);
      const places = value[0]!.filter((t) => t.kind === 'place').map((t) => text.slice(sentences[0]!.start + t.start, sentences[0]!.start + t.end));
      expect(places).toContain('Niamey');
      const last = sentences.at(-1)!;
      const dates = value.at(-1)!.filter((t) => t.kind === 'date').map((t) => text.slice(last.start + t.start, last.start + t.end));
      expect(dates).toContain('Tuesday');
    }
  });

  it('tags a run-on sentence of 100,000 capitalised words a piece at a time', () => {
    const text = `${'Ab '.repeat(100_000)}met in Niamey.`;
    const { value, ms } = timed(() => tagText(text, [{ start: 0, end: text.length }]));
    expect(ms).toBeLessThan(20_000);
    expect(value[0]!.some((t) => t.kind === 'place' && text.slice(t.start, t.end) === 'Niamey')).toBe(true);
  });
});
