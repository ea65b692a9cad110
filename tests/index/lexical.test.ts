// The BM25 side of the index finds a passage by the words a reader would use, whatever their form in the article, and
// ranks exactly as minisearch did when it held the index (the retrieval weights were tuned on those scores).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index/analyzer.js';
import { buildLexicalIndex, documentFrequencies, loadLexicalIndex, searchLexical, serializeLexicalIndex, type LexicalDocument, type LexicalIndex } from '../../src/index/lexical.js';
import { REPO_ROOT } from '../support/index-fixture.js';

const DOCUMENTS: LexicalDocument[] = [
  { text: 'The U.S. has about 1,100 troops in Niger.', context: 'US forces in Niger', outlet: 'NBC News' },
  { text: 'In the coup-prone Sahel, the guard confined Bazoum.', context: 'Niger coup', outlet: 'AFP' },
  { text: 'Niger’s armed forces chief backed the soldiers.', context: 'Niger coup', outlet: 'AFP' },
  { text: 'Preheat the oven and bake the bread for 40 minutes.', context: 'Baking', outlet: 'Kitchen' },
];

const ALL_FIELDS = { text: 1, context: 1, outlet: 1 };
const top = (index: LexicalIndex, query: string) => searchLexical(index, query, { fieldBoosts: ALL_FIELDS })[0]?.label;

describe('lexical index', async () => {
  const index = await buildLexicalIndex(DOCUMENTS);

  it('matches a number however its thousands are written', () => {
    expect(top(index, 'How many of the 1100 troops?')).toBe(0);
    expect(top(index, '1,100 soldiers')).toBe(0);
  });

  it('matches inflected and possessive forms', () => {
    expect(top(index, 'What did the army chief of Niger back?')).toBe(2);
    expect(top(index, 'confining Bazoum')).toBe(1);
  });

  it('matches a hyphenated compound from its parts', () => {
    expect(top(index, 'which region is prone to coups')).toBe(1);
  });

  it('finds nothing for a question of stop words only', () => {
    expect(searchLexical(index, 'what is it and why', { fieldBoosts: ALL_FIELDS })).toEqual([]);
  });

  it('searches only the fields given a boost, and leaves out what the filter refuses', () => {
    expect(searchLexical(index, 'AFP', { fieldBoosts: { text: 1 } })).toEqual([]);
    expect(searchLexical(index, 'AFP', { fieldBoosts: { outlet: 1 } }).map((h) => h.label)).toEqual([1, 2]);
    expect(searchLexical(index, 'Niger', { fieldBoosts: ALL_FIELDS, filter: (label) => label !== 0 }).map((h) => h.label).sort()).toEqual([1, 2]);
  });

  it('counts, per term, the documents whose field holds it (the IDF statistics come from these)', () => {
    const expected = new Map<string, number>();
    for (const d of DOCUMENTS) for (const term of new Set(analyze(d.text))) expected.set(term, (expected.get(term) ?? 0) + 1);
    expect(documentFrequencies(index, 'text')).toEqual(expected);
    expect(documentFrequencies(index, 'outlet').get('afp')).toBe(2);
  });

  it('answers the same after serialising and loading', () => {
    const loaded = loadLexicalIndex(serializeLexicalIndex(index));
    expect(searchLexical(loaded, '1,100 troops Niger', { fieldBoosts: ALL_FIELDS })).toEqual(searchLexical(index, '1,100 troops Niger', { fieldBoosts: ALL_FIELDS }));
    expect(loaded.documentCount).toBe(DOCUMENTS.length);
  });
});

describe('lexical index against minisearch', async () => {
  // The seed articles' sentences as passages, their first line as context: a realistic spread of lengths and repeats.
  const documents: LexicalDocument[] = [];
  for (const file of ['000_b9dabca082e516ec.txt', '001_f0ef755a6af1d45a.txt']) {
    const text = readFileSync(path.join(REPO_ROOT, 'seeds', file), 'utf8');
    const [headline = ''] = text.split('\n');
    for (const sentence of text.split(/(?<=[.!?])\s+/)) documents.push({ text: sentence, context: headline, outlet: file.startsWith('000') ? 'AFP' : 'NBC News' });
  }
  const mini = new MiniSearch<LexicalDocument & { id: number }>({
    fields: ['text', 'context', 'outlet'],
    storeFields: [],
    tokenize: analyze,
    processTerm: (term: string) => term,
    searchOptions: { tokenize: analyze, processTerm: (term: string) => term },
  });
  mini.addAll(documents.map((d, id) => ({ ...d, id })));
  const ours = loadLexicalIndex(serializeLexicalIndex(await buildLexicalIndex(documents)));

  // Queries drawn from the documents' own words (a fixed pseudo-random sequence), with repeats and unknown words.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const vocabulary = [...new Set(documents.flatMap((d) => d.text.split(/\s+/)))].concat(['zebra', 'the', 'AFP']);
  const queries = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(next() * 7) }, () => vocabulary[Math.floor(next() * vocabulary.length)]!));
  const boostSets: Array<Record<string, number>> = [{ text: 1, context: 0.5, outlet: 0.5 }, { text: 1 }, { text: 2, context: 1 }, ALL_FIELDS];

  it('gives the same passages in the same order with the same scores', () => {
    let compared = 0;
    queries.forEach((words, i) => {
      const fieldBoosts = boostSets[i % boostSets.length]!;
      const weights = new Map(analyze(words.join(' ')).map((term, j) => [term, [1, 0.3, 0.5, 1, 0][j % 5]!]));
      const expected = mini
        .search(words.join(' '), {
          fields: Object.keys(fieldBoosts),
          combineWith: 'OR',
          boost: fieldBoosts,
          boostTerm: (term: string) => weights.get(term) ?? 1,
          filter: (r) => (r.id as number) % 7 !== 3,
        })
        .map((r) => ({ label: r.id as number, score: r.score }));
      const actual = searchLexical(ours, words.join(' '), { fieldBoosts, termBoost: (term) => weights.get(term), filter: (label) => label % 7 !== 3 });
      expect(actual).toEqual(expected);
      compared += expected.length;
    });
    // The comparison is not vacuous: most queries find passages.
    expect(compared).toBeGreaterThan(3000);
  });
});
