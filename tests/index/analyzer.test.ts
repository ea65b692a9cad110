// The analyzer decides which words a question and a passage share: stems, stop words, possessives, numbers, compounds.
import { describe, expect, it } from 'vitest';
import { analyze, isStopWord, toTerm, words } from '../../src/index/analyzer.js';

describe('analyze', () => {
  it('lower-cases and stems, so inflections of a word share one term', () => {
    expect(analyze('Elections elected')).toEqual(['elect', 'elect']);
    expect(analyze('troops Troop')).toEqual(['troop', 'troop']);
    expect(analyze('running runs')).toEqual(['run', 'run']);
  });

  it('drops stop words, including question scaffolding', () => {
    expect(analyze('What is the size of the army?')).toEqual(['size', 'armi']);
    expect(analyze('When does it happen, and why?')).toEqual(['happen']);
    for (const word of ['the', 'The', 'does', 'whom', 'us']) expect(isStopWord(word)).toBe(true);
    expect(isStopWord('army')).toBe(false);
  });

  it('indexes a possessive as its owner, with either apostrophe', () => {
    expect(analyze("Niger's army")).toEqual(analyze('Niger army'));
    expect(analyze('Niger’s army')).toEqual(analyze('Niger army'));
    expect(toTerm('Bazoum’s')).toBe('bazoum');
  });

  it('folds ligatures and fullwidth letters, as questions are folded', () => {
    expect(analyze('ﬂed the ｃｏｕｐ')).toEqual(analyze('fled the coup'));
  });

  it('reads numbers with thousands separators as one number', () => {
    expect(analyze('about 1,100 troops')).toEqual(['1100', 'troop']);
    expect(analyze('1,100')).toEqual(analyze('1100'));
    expect(analyze('$2,000,000')).toEqual(['2000000']);
    expect(analyze('in 2023')).toEqual(['2023']);
  });

  it('keeps a decimal point, so 1.5 and 15 stay different numbers', () => {
    expect(analyze('1.5 billion')).not.toEqual(analyze('15 billion'));
    expect(toTerm('1.5')).toBe('1.5');
  });

  it('indexes a hyphenated compound whole and by its parts', () => {
    const terms = analyze('the coup-prone Sahel');
    expect(terms).toEqual([toTerm('coup-prone'), 'coup', 'prone', 'sahel']);
    // A question that spells the compound as two words shares both parts with it.
    expect(terms).toEqual(expect.arrayContaining(analyze('coup prone')));
    expect(analyze('night-time curfew')).toEqual(expect.arrayContaining(['night', 'time', 'curfew']));
  });

  it('keeps dotted abbreviations such as U.S., which are not the stop word "us"', () => {
    expect(analyze('The U.S. has troops')).toEqual(['us', 'troop']);
    expect(analyze('the U.N. envoy')).toEqual(['un', 'envoy']);
    expect(analyze('tell us more')).toEqual(['tell']);
  });

  it('reads an acronym that spells a stop word (US, WHO) as the name it is', () => {
    expect(analyze('US troops and the WHO')).toEqual(['us', 'troop', 'who']);
    expect(analyze('The US has troops')).toEqual(analyze('The U.S. has troops'));
    expect(analyze('who told us')).toEqual(['told']);
  });

  it('drops single letters but keeps single digits', () => {
    expect(analyze('a b 5 x')).toEqual(['5']);
  });

  it('tokenizes words with inner apostrophes, hyphens and separators but not the punctuation around them', () => {
    expect(words('“Niger’s coup-prone neighbours”, said 1,100 (U.S.) troops.')).toEqual([
      'Niger’s',
      'coup-prone',
      'neighbours',
      'said',
      '1,100',
      'U.S',
      'troops',
    ]);
  });

  it('handles letters of other scripts', () => {
    expect(analyze('Ελλάδα Ουκρανία')).toHaveLength(2);
    expect(analyze('')).toEqual([]);
  });
});
