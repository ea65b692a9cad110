// What a question asks versus how it names its story (the asking clause), and the names it gives that coverage must mention.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index/analyzer.js';
import {
  askingClause,
  nameAliases,
  nameShare,
  namedTerms,
  termsWithAliases,
  unmentionedNames,
  wholeNames,
} from '../../src/answer/focus.js';

describe('askingClause', () => {
  it.each([
    [
      'In the story where a central defender says fans are bored of the bids for his club, why did the board turn down the earlier offers?',
      'why did the board turn down the earlier offers?',
    ],
    ['That bad-tempered game after the tunnel bust-up (the one nobody is charged over) - what was the red card for?', 'what was the red card for?'],
    ['Who came up with the silver fern badge, according to that long history piece?', 'Who came up with the silver fern badge'],
    ['Who leads the coup in Niger?', 'Who leads the coup in Niger?'],
    ['Bazoum: still detained?', 'Bazoum: still detained?'],
    // A question word after a noun is a relative one that describes the story; the clause opening with one asks.
    ['How many troops were deployed, in the piece where the junta closed the border?', 'How many troops were deployed'],
    ['Roughly how many people marched, according to the organiser who spoke to reporters?', 'Roughly how many people marched'],
    ['Where was the summit held, the one where the bloc agreed on sanctions?', 'Where was the summit held'],
    ['In the piece on the talks, anyone know what the envoy offered?', 'anyone know what the envoy offered?'],
    // A clause describing the subject interrupts the question, which resumes after it…
    [
      'What did the minister, the one who resigned last week, say about the budget?',
      'What did the minister say about the budget?',
    ],
    ['When are the winners, the ones for short films, being announced?', 'When are the winners being announced?'],
    // …but a clause placing the story does not continue it.
    ['Which town is the institute in, the one that measured the waves, in that piece on storms?', 'Which town is the institute in'],
    // No clause opens with one: the last holding one, as before.
    ['The general who led the coup said what?', 'The general who led the coup said what?'],
  ])('%s → %s', (question, clause) => {
    expect(askingClause(question)).toBe(clause);
  });
});

describe('namedTerms', () => {
  it.each([
    ['How much did Google pay when it bought YouTube?', ['Google', 'YouTube']],
    ["What was the UK launch price of Microsoft's Xbox 360?", ['UK', 'Microsoft', 'Xbox', '360']],
    ['Which film won best picture at the 78th Academy Awards in 2006?', ['78th', 'Academy', 'Awards', '2006']],
    ['how long should I boil an egg if I want the yolk still runny?', []],
    // The first word is capitalised whatever it is: a name there is missed (the evidence then errs towards answering).
    ['Gatlin and Hayes: where are they handed their awards?', ['Hayes']],
  ])('%s → %j', (question, names) => {
    expect(namedTerms(question)).toEqual(names);
  });
});

describe('unmentionedNames', () => {
  it('keeps the names none of whose analysed terms the index holds', () => {
    const indexed = new Set(['googl', 'xbox']);
    expect(unmentionedNames(['Google', 'YouTube', 'Xbox', 'P&O'], (t) => indexed.has(t))).toEqual(['YouTube']);
  });

  it('never reports a nationality word, which the index may hold as the country', () => {
    expect(unmentionedNames(['Nigerien', 'Zorblax'], () => false)).toEqual(['Zorblax']);
  });

  it('does not report a name a candidate article writes in another form', () => {
    const texts = ['In Brussels, the European Union said Niger was an essential partner.'];
    expect(unmentionedNames(['EU', 'E.U', 'Paris'], () => false, texts)).toEqual(['Paris']);
  });
});

describe('wholeNames', () => {
  it.each([
    ['Who won the World Cup?', ['Cup'], ['World Cup']],
    ['Who won the World Cup?', ['World', 'Cup'], ['World Cup']],
    ['What did the Bank of England decide?', ['England'], ['Bank of England']],
    ['Which film won best picture at the 78th Academy Awards in 2006?', ['Awards', '2006'], ['78th Academy Awards', '2006']],
    ['How much did Google pay when it bought YouTube?', ['Google', 'YouTube'], ['Google', 'YouTube']],
    ["What was the UK launch price of Microsoft's Xbox 360?", ['360'], ['Xbox 360']],
    // The first word is capitalised whatever it is: never taken into a name ("Did Arsenal").
    ['Did Arsenal win?', ['Arsenal'], ['Arsenal']],
  ])('%s: %j → %j', (question, names, whole) => {
    expect(wholeNames(question, names)).toEqual(whole);
  });
});

describe('nameAliases', () => {
  const terms = (question: string, sentence: string) => [...termsWithAliases(sentence, nameAliases(question))].sort();

  it("gives a sentence that spells out or dots the question's acronym the acronym's term", () => {
    expect(terms('What did the EU say?', 'the European Union said so')).toEqual(analyze('the European Union said so eu').sort());
    expect(terms('What did the EU say?', 'the E.U. said so')).toContain('eu');
    expect(terms('What did the E.U. say?', 'the European Union said so')).toContain('eu');
  });

  it("gives a sentence that abbreviates the question's spelled-out name that name's terms", () => {
    expect(terms('What did the European Union say?', 'The EU said so.')).toEqual(expect.arrayContaining(['european', 'union']));
    expect(terms("How did Standard & Poor's rate the debt?", 'S&P cut it.')).toEqual(expect.arrayContaining(['standard', 'poor']));
  });

  it('adds nothing where the other form is absent or only looks alike', () => {
    expect(terms('What did the EU say?', 'European leaders met.')).toEqual(analyze('European leaders met.').sort());
    expect(terms('What did the European Union say?', 'The Europa league met.')).toEqual(analyze('The Europa league met.').sort());
    expect(terms('What did the European Union say?', 'The eu said so.')).toEqual(analyze('The eu said so.').sort());
  });
});

describe('nameShare', () => {
  it('is the share of names the text mentions as whole words', () => {
    expect(nameShare(['Google', 'YouTube'], 'Google has bought a video site.')).toBe(0.5);
    expect(nameShare(['360'], 'It sold 3600 units.')).toBe(0);
    expect(nameShare(['Xbox', '360'], 'the XBOX 360, launched in May')).toBe(1);
  });

  it('is 1 when the question names nothing: nothing named, nothing missing', () => {
    expect(nameShare([], 'anything')).toBe(1);
  });

  // dev-general g035 and the seed paraphrases: the question's acronym is written out or dotted in the article.
  it('finds an acronym dotted or spelled out', () => {
    expect(nameShare(['US'], 'U.S. forces are stationed in Niger.')).toBe(1);
    expect(nameShare(['US'], 'the United States said')).toBe(1);
    expect(nameShare(['S&P'], "said David Wyss of Standard & Poor's in New York")).toBe(1);
    expect(nameShare(['NATO'], 'the North Atlantic Treaty Organisation met')).toBe(1);
  });

  it('finds an acronym the question dots in any of its forms', () => {
    expect(nameShare(['E.U'], 'the European Union said')).toBe(1);
    expect(nameShare(['U.S'], 'US forces are stationed in Niger.')).toBe(1);
    expect(nameShare(['E.U'], 'European leaders met')).toBe(0);
  });

  it('does not take other capitalised words for an acronym', () => {
    expect(nameShare(['UN'], 'UNICEF said the union was')).toBe(0);
    expect(nameShare(['US'], 'the bus stopped in united states of mind')).toBe(0);
    expect(nameShare(['EU'], 'European leaders met')).toBe(0);
    // dev-general g063: a title and a surname are not the acronym.
    expect(nameShare(['MP'], 'Lucy tracked down Mr Pound.')).toBe(0);
  });

  // dev-general g062 ('How many Brits…', the article says 'Britons'), the seed paraphrase 'the French plane'.
  it('does not require a nationality word: the article may name the country instead', () => {
    expect(nameShare(['Brits', 'Jack', 'Straw'], 'Jack Straw said 440 Britons were unaccounted for.')).toBe(1);
    expect(nameShare(['French'], 'A plane from France landed at 6.30.')).toBe(1);
    expect(nameShare(['YouTube'], 'A video site from France.')).toBe(0);
  });
});
