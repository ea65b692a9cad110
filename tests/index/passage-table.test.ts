// The binary passage table gives back exactly the passages, sentences, vector rows and tags it was given, and refuses
// bytes that would put a passage, sentence or tag outside its text.
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/index.js';
import { TableFormatError } from '../../src/index/binary.js';
import { packPassages, unpackPassages } from '../../src/index/passage-table.js';
import type { Passage } from '../../src/text/index.js';

// Two short articles written for this test (the quotation is after the AFP seed's wording).
const TEXT_A = 'Soldiers detained President Bazoum. "We are here to talk," said Foreign Minister Massoudou. Talks failed.';
const TEXT_B = 'Niger has 26 million people.';
const article = (id: string, text: string): Article => ({
  id,
  title: text.split('.')[0]!,
  outlet: 'Test',
  published: null,
  byline: null,
  dateline: null,
  url: null,
  file: `${id}.txt`,
  contentHash: id,
  text,
});
const ARTICLES = [article('a', TEXT_A), article('b', TEXT_B)];

const span = (text: string, sentence: string) => ({ start: text.indexOf(sentence), end: text.indexOf(sentence) + sentence.length });
const s1 = span(TEXT_A, 'Soldiers detained President Bazoum.');
const s2 = span(TEXT_A, '"We are here to talk," said Foreign Minister Massoudou.');
const s3 = span(TEXT_A, 'Talks failed.');
const PASSAGES: Passage[] = [
  {
    id: 'a#0',
    articleId: 'a',
    ordinal: 0,
    start: s1.start,
    end: s2.end,
    text: TEXT_A.slice(s1.start, s2.end),
    sentences: [s1, s2],
    sentenceTags: [[{ kind: 'person', start: 28, end: 34 }], [{ kind: 'quotation', start: 0, end: 22, attribution: 'Foreign Minister Massoudou' }, { kind: 'person', start: 28, end: 54 }]],
    sentenceRows: [0, 1],
  },
  {
    id: 'a#1',
    articleId: 'a',
    ordinal: 1,
    start: s2.start,
    end: s3.end,
    text: TEXT_A.slice(s2.start, s3.end),
    sentences: [s2, s3],
    sentenceTags: [[{ kind: 'quotation', start: 0, end: 22, attribution: 'Foreign Minister Massoudou' }, { kind: 'person', start: 28, end: 54 }], []],
    sentenceRows: [1, 2],
  },
  {
    id: 'b#0',
    articleId: 'b',
    ordinal: 0,
    start: 0,
    end: TEXT_B.length,
    text: TEXT_B,
    sentences: [{ start: 0, end: TEXT_B.length }],
    sentenceTags: [[{ kind: 'number', start: 10, end: 20 }]],
    sentenceRows: [3],
  },
];

describe('passage table', () => {
  it('gives back the passages it was given', () => {
    expect(unpackPassages(packPassages(ARTICLES, PASSAGES), ARTICLES, 4)).toEqual(PASSAGES);
  });

  it('refuses a vector row past the sentence-vector table', () => {
    expect(() => unpackPassages(packPassages(ARTICLES, PASSAGES), ARTICLES, 3)).toThrow(/sentence 5 does not fit its passage/);
  });

  it('refuses a passage that runs past its article', () => {
    // Read against a shorter article text: the same bytes no longer fit.
    const shorter = [article('a', TEXT_A.slice(0, 20)), ARTICLES[1]!];
    expect(() => unpackPassages(packPassages(ARTICLES, PASSAGES), shorter, 4)).toThrow(TableFormatError);
    expect(() => unpackPassages(packPassages(ARTICLES, PASSAGES), shorter, 4)).toThrow(/passage 1 does not fit its article/);
  });

  it('refuses bytes that are not a table', () => {
    expect(() => unpackPassages(new TextEncoder().encode('[{"articleId": "a"}]'), ARTICLES, 4)).toThrow(/not a coverage-bot table file/);
  });
});
