// isVerbatim, the last check before a quote reaches a user: right offsets, unmodified text, present in the source file.
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/types.js';
import { collapseWhitespace, isVerbatim } from '../../src/answer/verify.js';

const text = 'Niger’s army backed the coup.\n\nThe U.S. has about 1,100 troops in Niger spread out at three outposts.';
const article: Article = {
  id: 'wire',
  title: 'Niger’s army backed the coup.',
  outlet: 'Wire',
  published: '2023-07-27',
  byline: null,
  dateline: null,
  url: null,
  file: 'wire.txt',
  contentHash: 'x',
  text,
};
// The file as it lies on disk: the cleaner joined a wrapped line and dropped a caption.
const sourceFile = 'Niger’s army backed the coup.\n\nPhoto: AFP\n\nThe U.S. has about 1,100 troops in Niger\nspread out at three outposts.';

const quoteAt = (fragment: string) => {
  const start = text.indexOf(fragment);
  return { text: fragment, start, end: start + fragment.length };
};

describe('isVerbatim', () => {
  it('accepts the article text at its offsets when the file holds it, line breaks aside', () => {
    expect(isVerbatim(quoteAt('The U.S. has about 1,100 troops in Niger spread out at three outposts.'), article, sourceFile)).toBe(true);
    expect(isVerbatim(quoteAt('Niger’s army backed the coup.'), article, sourceFile)).toBe(true);
  });

  it('rejects a quote whose offsets point elsewhere', () => {
    const quote = quoteAt('about 1,100 troops');
    expect(isVerbatim({ ...quote, start: quote.start + 1, end: quote.end + 1 }, article, sourceFile)).toBe(false);
    expect(isVerbatim({ ...quote, end: quote.end - 1 }, article, sourceFile)).toBe(false);
    expect(isVerbatim({ ...quote, start: -1 }, article, sourceFile)).toBe(false);
    expect(isVerbatim({ text: 'outposts.', start: text.length - 9, end: text.length + 1 }, article, sourceFile)).toBe(false);
  });

  it('rejects modified text, even by one character or a straightened apostrophe', () => {
    const quote = quoteAt('about 1,100 troops');
    expect(isVerbatim({ ...quote, text: 'about 1,200 troops' }, article, sourceFile)).toBe(false);
    const apostrophe = quoteAt('Niger’s army');
    expect(isVerbatim({ ...apostrophe, text: "Niger's army" }, article, sourceFile)).toBe(false);
  });

  it('rejects text that is not in the source file, or when the file cannot be read', () => {
    const quote = quoteAt('about 1,100 troops');
    expect(isVerbatim(quote, article, 'The file was edited after ingestion: about 1,000 troops.')).toBe(false);
    expect(isVerbatim(quote, article, null)).toBe(false);
  });

  it('rejects an empty quote', () => {
    expect(isVerbatim({ text: '', start: 3, end: 3 }, article, sourceFile)).toBe(false);
  });
});

describe('collapseWhitespace', () => {
  it('turns every run of white space into one space and trims the ends', () => {
    expect(collapseWhitespace('  one\n\n two\t three \u00a0')).toBe('one two three');
  });
});
