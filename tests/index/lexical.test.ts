// The BM25 side of the index finds a passage by the words a reader would use, whatever their form in the article.
import { describe, expect, it } from 'vitest';
import { buildLexicalIndex, loadLexicalIndex, serializeLexicalIndex, type LexicalDocument } from '../../src/index/lexical.js';

const DOCUMENTS: LexicalDocument[] = [
  { id: 0, text: 'The U.S. has about 1,100 troops in Niger.', context: 'US forces in Niger', outlet: 'NBC News' },
  { id: 1, text: 'In the coup-prone Sahel, the guard confined Bazoum.', context: 'Niger coup', outlet: 'AFP' },
  { id: 2, text: 'Niger’s armed forces chief backed the soldiers.', context: 'Niger coup', outlet: 'AFP' },
  { id: 3, text: 'Preheat the oven and bake the bread for 40 minutes.', context: 'Baking', outlet: 'Kitchen' },
];

const top = (index: ReturnType<typeof buildLexicalIndex>, query: string) => index.search(query)[0]?.id;

describe('lexical index', () => {
  const index = buildLexicalIndex(DOCUMENTS);

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
    expect(index.search('what is it and why')).toEqual([]);
  });

  it('answers the same after serialising and loading', () => {
    const loaded = loadLexicalIndex(serializeLexicalIndex(index));
    expect(loaded.search('1,100 troops')).toEqual(index.search('1,100 troops'));
    expect(loaded.documentCount).toBe(DOCUMENTS.length);
  });
});
