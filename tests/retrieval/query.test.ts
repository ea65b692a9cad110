// Question analysis: stemmed content terms, word-vector expansions at lower weight that never repeat a question term,
// the filters on expansions, and the IDF-weighted share of the question's terms behind the evidence features.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWordVectors, type WordVectors } from '../../src/embedding/index.js';
import type { TermStats } from '../../src/index/index.js';
import { DEFAULT_EXPANSION, analyzeQuery, oneTypoAway, questionTermShare, type AnalyzedQuery, type WordNeighbours } from '../../src/retrieval/query.js';
import { MODELS_DIR } from '../support/index-fixture.js';

const stats = (passages: number, df: Record<string, number>): TermStats => ({ passages, df: new Map(Object.entries(df)), vocabulary: [] });
/** A large index in which the neighbours of "toppled" are all rare enough to be kept. */
const STATS = stats(1000, { toppl: 5, oust: 3, overthrown: 4, ouster: 2, presid: 50, niger: 80, elect: 30, troop: 20, 1100: 1 });

/** Real neighbours, recording which words were looked up. */
function recording(vectors: WordVectors): WordNeighbours & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    nearest(word, k, minCosine) {
      asked.push(word);
      return vectors.nearest(word, k, minCosine);
    },
  };
}

describe('analyzeQuery', () => {
  let vectors: WordVectors;
  beforeAll(async () => {
    vectors = await loadWordVectors(MODELS_DIR);
  });

  it('keeps the stemmed content terms once each, in order, without stop words', () => {
    const q = analyzeQuery("Who toppled Niger's elected president, the Presidents' choice?", STATS, null);
    expect(q.terms).toEqual(['toppl', 'niger', 'elect', 'presid', 'choic']);
    expect(q.weighted).toEqual(q.terms.map((term) => expect.objectContaining({ term, weight: 1 })));
    expect(analyzeQuery('About 1,100 troops', STATS, null).terms).toEqual(['1100', 'troop']);
    expect(analyzeQuery('Who is it? What was that?', STATS, null).terms).toEqual([]);
  });

  it('adds word-vector neighbours at a lower weight, each once, never one of the question’s own terms', () => {
    const q = analyzeQuery('Who toppled the president?', STATS, vectors);
    const expansions = q.weighted.filter((t) => t.weight < 1);
    // "toppling" and "topple" stem to the question's own "toppl": they must not come back as expansions.
    expect(expansions.map((t) => t.term)).toEqual(expect.arrayContaining(['oust', 'overthrown']));
    for (const t of expansions) {
      expect(q.terms).not.toContain(t.term);
      expect(t.weight).toBeGreaterThan(0);
      expect(t.weight).toBeLessThanOrEqual(DEFAULT_EXPANSION.weight);
    }
    expect(expansions.find((t) => t.term === 'oust')!.source).toBe('toppled');
    const all = q.weighted.map((t) => t.term);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps a word the question uses at full weight even when it is also another word’s neighbour', () => {
    const q = analyzeQuery('toppled ousted', STATS, vectors);
    expect(q.weighted.filter((t) => t.term === 'oust')).toEqual([{ term: 'oust', weight: 1, source: 'ousted' }]);
  });

  it('drops expansions the index lacks or has in too many passages', () => {
    const common = stats(1000, { toppl: 5, oust: 600, overthrown: 4 });
    const terms = analyzeQuery('Who toppled the president?', common, vectors).weighted.map((t) => t.term);
    expect(terms).toContain('overthrown');
    expect(terms).not.toContain('oust'); // in 60% of passages
    expect(terms).not.toContain('ouster'); // in none
  });

  it('looks up neither numbers nor stop words, and nothing when expansion is off or unavailable', () => {
    const neighbours = recording(vectors);
    analyzeQuery('Who had 1,100 troops in 2023?', STATS, neighbours);
    expect(neighbours.asked).toEqual(['troops']);
    const off = recording(vectors);
    const q = analyzeQuery('Who toppled the president?', STATS, off, { ...DEFAULT_EXPANSION, weight: 0 });
    expect(off.asked).toEqual([]);
    expect(q.weighted.every((t) => t.weight === 1)).toBe(true);
    expect(analyzeQuery('Who toppled the president?', STATS, null).weighted).toHaveLength(2);
  });
});

describe('questionTermShare', () => {
  const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const s = stats(10, { rare: 1, common: 9 });
  const query: AnalyzedQuery = {
    question: 'rare common',
    terms: ['rare', 'common'],
    weighted: [
      { term: 'rare', weight: 1, source: 'rare' },
      { term: 'common', weight: 1, source: 'common' },
      { term: 'neighbour', weight: 0.3, source: 'rare' },
    ],
    variants: new Map(),
  };

  it('is the IDF-weighted share of the question’s own terms found', () => {
    const rare = idf(10, 1);
    const common = idf(10, 9);
    expect(questionTermShare(query, new Set(['rare']), s)).toBeCloseTo(rare / (rare + common), 12);
    expect(questionTermShare(query, new Set(['common']), s)).toBeCloseTo(common / (rare + common), 12);
    expect(questionTermShare(query, new Set(['rare', 'common', 'other']), s)).toBe(1);
    expect(questionTermShare(query, new Set(), s)).toBe(0);
  });

  it('ignores expansions, and is 0 for a question without content terms', () => {
    expect(questionTermShare(query, new Set(['neighbour']), s)).toBe(0);
    expect(questionTermShare({ question: 'who?', terms: [], weighted: [], variants: new Map() }, new Set(['rare']), s)).toBe(0);
  });

  it('with power 2 lets the rarest words dominate', () => {
    const rare = idf(10, 1) ** 2;
    const common = idf(10, 9) ** 2;
    expect(questionTermShare(query, new Set(['rare']), s, 2)).toBeCloseTo(rare / (rare + common), 12);
    expect(questionTermShare(query, new Set(['rare']), s, 2)).toBeGreaterThan(questionTermShare(query, new Set(['rare']), s));
  });
});

describe('inflected forms the stemmer keeps apart', () => {
  // Porter2 stems "leads" to "lead" but "leaders" to "leader": the question's word is in the index in another form.
  const s = stats(100, { leader: 5, leadership: 2, coup: 40, lea: 1 });

  it('finds the index forms of a question term the index never holds, and counts them as the term', () => {
    const q = analyzeQuery('Who leads the coup?', s, null);
    expect(q.variants.get('lead')).toEqual(['leader']);
    expect(q.weighted.find((t) => t.term === 'leader')?.weight).toBeGreaterThan(0.5);
    expect(questionTermShare(q, new Set(['leader', 'coup']), s)).toBe(1);
    expect(questionTermShare(q, new Set(['coup']), s)).toBeLessThan(1);
  });

  it('leaves known terms, short terms and unrelated long extensions alone', () => {
    expect(analyzeQuery('Who leads the coup?', stats(100, { lead: 3, leader: 5 }), null).variants.size).toBe(0);
    expect(analyzeQuery('Which war?', stats(100, { warn: 4, ward: 2 }), null).variants.size).toBe(0);
    // "lead" → "leadership" is a derivation, not an inflection: more than three letters longer.
    expect(analyzeQuery('Who leads the coup?', stats(100, { leadership: 4 }), null).variants.size).toBe(0);
  });
});

describe('a misspelt question word', () => {
  const s = stats(100, { bazoum: 6, ecowa: 9, soup: 3, coup: 40, presid: 20 });

  it('is read as the index term one typo away ("bazuom" for "bazoum")', () => {
    const q = analyzeQuery('did bazuom warn ecowas', s, null);
    expect(q.variants.get('bazuom')).toEqual(['bazoum']);
    expect(questionTermShare(q, new Set(['bazoum', 'ecowa', 'warn']), s)).toBe(1);
    expect(oneTypoAway(s, 'presdi')).toEqual(['presid']);
  });

  it('is left alone when short, when a number, or when nothing is one typo away', () => {
    // "cuop" could be coup or many others at four letters: too short to correct.
    expect(analyzeQuery('cuop?', s, null).variants.size).toBe(0);
    expect(analyzeQuery('what about zanzibar', s, null).variants.size).toBe(0);
  });
});
