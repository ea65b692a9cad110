// Sentence tags over the real seed articles: the values and names a question's answer type is matched against, who a
// quotation is attributed to, and the exact offsets emphasis relies on.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';
import { tagSentence, tagSentences, tagText, type SentenceTag, type TagKind } from '../../src/text/tags.js';

const seedsDir = new URL('../../seeds/', import.meta.url);
const seedFiles = readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort();
const seeds = seedFiles.map((f) => readFileSync(new URL(f, seedsDir), 'utf8'));

/** Every seed sentence with its tags, tagged article by article as ingestion does. */
const tagged = seeds.flatMap((text) => {
  const spans = splitSentences(text);
  const tags = tagText(text, spans);
  return spans.map((span, i) => ({ sentence: text.slice(span.start, span.end), tags: tags[i]! }));
});

/** The seed sentence starting with `opening`, and its tags. */
function seedSentence(opening: string): { sentence: string; tags: SentenceTag[] } {
  const found = tagged.find((s) => s.sentence.startsWith(opening));
  if (!found) throw new Error(`no seed sentence starts with: ${opening}`);
  return found;
}

/** The texts tagged `kind` in `sentence`. */
function texts(sentence: string, tags: SentenceTag[], kind: TagKind): string[] {
  return tags.filter((t) => t.kind === kind).map((t) => sentence.slice(t.start, t.end));
}

function seedTexts(opening: string, kind: TagKind): string[] {
  const { sentence, tags } = seedSentence(opening);
  return texts(sentence, tags, kind);
}

function sentenceTexts(sentence: string, kind: TagKind): string[] {
  return texts(sentence, tagSentence(sentence), kind);
}

describe('values in the seed sentences', () => {
  it('tags the number of troops', () => {
    expect(seedTexts('The U.S. has about 1,100 troops', 'number')).toContain('about 1,100');
  });

  it('tags clock times with their a.m. and time zone, which wink leaves out', () => {
    const opening = 'Abdramane also said in a separate statement that France landed';
    expect(seedTexts(opening, 'time')).toEqual(['6.30 a.m.', '1.30 a.m. ET']);
    // The bare clock figures are not also counted as numbers.
    expect(seedTexts(opening, 'number')).toEqual([]);
    expect(seedTexts(opening, 'date')).toEqual(['Wednesday']);
  });

  it('tags an age written as "63-year-old" as one age, not a number and a duration', () => {
    const opening = 'The 63-year-old is one of a dwindling group';
    expect(seedTexts(opening, 'age')).toEqual(['63-year-old']);
    expect(seedTexts(opening, 'number')).not.toContain('63');
    expect(seedTexts(opening, 'duration')).toEqual([]);
    // 'since 2020' is a point in time, though wink calls it a duration.
    expect(seedTexts(opening, 'date')).toContain('since 2020');
  });

  it('tags the year of an election as a date', () => {
    expect(seedTexts('Bazoum was elected in 2021', 'date')).toEqual(['2021', '1960']);
  });

  it('tags full dates', () => {
    expect(seedTexts("Niger's President Mohamed Bazoum attends a meeting", 'date')).toEqual(['May 2, 2022']);
  });
});

describe('names in the seed sentences', () => {
  it('tags "Antonio Guterres, secretary-general of the United Nations" as a person and an organisation', () => {
    const opening = 'Antonio Guterres, secretary-general of the United Nations';
    expect(seedTexts(opening, 'person')).toEqual(['Antonio Guterres']);
    expect(seedTexts(opening, 'organisation')).toContain('United Nations');
  });

  it('tags people without their titles', () => {
    expect(seedTexts('Nigerien soldiers said Wednesday', 'person')).toEqual(['Mohamed Bazoum']);
    expect(seedTexts("Niger's President Mohamed Bazoum attends", 'person')).toEqual(['Mohamed Bazoum', 'Antonio Guterres']);
    expect(seedTexts('Foreign Minister Hassoumi Massoudou said', 'person')).toEqual(['Hassoumi Massoudou']);
    expect(seedTexts('Air Force Col. Maj. Amadou Abdramane', 'person')).toEqual(['Amadou Abdramane']);
  });

  it('recognises a person named in full elsewhere in the article by surname alone', () => {
    expect(seedTexts('Bazoum was elected in 2021', 'person')).toEqual(['Bazoum']);
    // Not across documents: a lone sentence gives no full name to link the surname to.
    expect(sentenceTexts('Bazoum was elected in 2021.', 'person')).toEqual([]);
  });

  it('tags places, including a capital the lexicon does not know, by its context', () => {
    expect(seedTexts('Nigerien soldiers said Wednesday', 'place')).toEqual(['Niamey']);
    expect(seedTexts('Several hundred people, some of them holding Russian flags', 'place')).toEqual(['Niamey']);
    expect(seedTexts('The 63-year-old is one of a dwindling group', 'place')).toEqual(['Sahel', 'Mali', 'Burkina Faso']);
  });

  it('tags "ECOWAS and the African Union" as two organisations', () => {
    expect(seedTexts('ECOWAS and the African Union', 'organisation')).toEqual(['ECOWAS', 'African Union']);
  });

  it('tags organisation names the lexicon misses: runs ending in a head word, and acronyms', () => {
    expect(seedTexts('Hours later, their leaders', 'organisation')).toEqual(['Defence and Security Forces', 'FDS']);
    expect(seedTexts('In a statement on Facebook, the Military Command', 'organisation')).toContain(
      'Military Command of the Niger Armed Forces',
    );
    expect(seedTexts('Air Force Col. Maj. Amadou Abdramane', 'organisation')).toContain(
      'National Council for the Safeguarding of the Country',
    );
    expect(seedTexts('The president of neighbouring Benin', 'organisation')).toEqual([
      'Economic Community of West African States',
      'ECOWAS',
    ]);
    expect(seedTexts('Access to the residence and offices', 'organisation')).toEqual(['Presidential Guard']);
  });

  it('reads U.S. as a place, not an organisation', () => {
    expect(seedTexts('The U.S. has about 1,100 troops', 'place')).toEqual(['U.S.', 'Niger']);
    expect(seedTexts('The U.S. has about 1,100 troops', 'organisation')).toEqual([]);
  });
});

describe('names from the lexicon, in sentences of the BBC corpus (../shared/corpora/bbc-news)', () => {
  it('reads a name the lexicon knows whole before a title inside it: "General Motors" is no General', () => {
    const sentence = 'The fourth-quarter losses at General Motors Europe totalled $345m, up from $66m during the same period in 2003.';
    expect(sentenceTexts(sentence, 'organisation')).toEqual(['General Motors']);
    expect(sentenceTexts(sentence, 'person')).toEqual([]);
  });

  it('starts a person at a known first name, leaving out a role before it', () => {
    const sentence = "Referee Andy Turner waved play on and Casey Laulala coasted in for his side's fifth try.";
    expect(sentenceTexts(sentence, 'person')).toEqual(['Andy Turner', 'Casey Laulala']);
  });

  it('tags a country opening a sentence', () => {
    expect(sentenceTexts('France have been criticised for the absence of traditional French flair.', 'place')).toEqual(['France']);
  });

  it('tags two proper nouns no list knows as a person when a speech verb follows (a sentence written for this test)', () => {
    expect(sentenceTexts('Hristo Stoichkov said the friendly would go ahead.', 'person')).toEqual(['Hristo Stoichkov']);
    expect(sentenceTexts('Hristo Stoichkov arranged the friendly.', 'person')).toEqual([]);
  });
});

describe('quotations', () => {
  it('tags a quotation attributed with "he said"', () => {
    const { sentence, tags } = seedSentence('"We ask all the fractious soldiers');
    const quotes = tags.filter((t) => t.kind === 'quotation');
    expect(quotes.map((q) => sentence.slice(q.start, q.end))).toEqual(['We ask all the fractious soldiers to return to their ranks,']);
    expect(quotes[0]!.attribution).toBe('he');
  });

  it('attributes a quotation to the speaker named before it', () => {
    const { tags } = seedSentence('Foreign Minister Hassoumi Massoudou said');
    expect(tags.find((t) => t.kind === 'quotation')?.attribution).toBe('Foreign Minister Hassoumi Massoudou');
  });

  it('finds the speaker before a clause set off by commas', () => {
    const guterres = seedSentence('Antonio Guterres, secretary-general of the United Nations');
    expect(guterres.tags.find((t) => t.kind === 'quotation')?.attribution).toBe('Antonio Guterres');
    const abdramane = seedSentence('Air Force Col. Maj. Amadou Abdramane');
    expect(abdramane.tags.find((t) => t.kind === 'quotation')?.attribution).toBe('Air Force Col. Maj. Amadou Abdramane');
  });

  it('tags curly-quoted quotations, each with the attribution of the sentence', () => {
    const { sentence, tags } = seedSentence('In a statement on Facebook, the Military Command');
    const quotes = tags.filter((t) => t.kind === 'quotation');
    expect(quotes.map((q) => sentence.slice(q.start, q.end))).toEqual([
      'avoid a deadly confrontation between the different forces',
      'subscribe to the declaration of the Defense and Security forces',
    ]);
    expect(quotes.every((q) => q.attribution === 'the Military Command of the Niger Armed Forces')).toBe(true);
  });

  it('attributes with the reporting verbs of news copy, without the full stop after a name', () => {
    const sentence = '"This was a difficult decision," said Mr Irish.';
    expect(tagSentence(sentence).find((t) => t.kind === 'quotation')?.attribution).toBe('Mr Irish');
    const revealed = '"It was hard," 19-year-old Simpson revealed.';
    expect(tagSentence(revealed).find((t) => t.kind === 'quotation')?.attribution).toBe('19-year-old Simpson');
  });

  it('leaves a quotation without a speaker unattributed', () => {
    const { tags } = seedSentence('"All Nigeriens who love democracy');
    const quote = tags.find((t) => t.kind === 'quotation');
    expect(quote).toBeDefined();
    expect(quote!.attribution).toBeUndefined();
  });

  it.each(['Everything can be achieved through dialogue,” he said.', 'Everything can be achieved through dialogue," he said.'])(
    'tags a quotation opened in an earlier sentence from the sentence start: %s',
    (sentence) => {
      const quotes = tagSentence(sentence).filter((t) => t.kind === 'quotation');
      expect(quotes).toEqual([{ kind: 'quotation', start: 0, end: sentence.search(/[”"]/), attribution: 'he' }]);
    },
  );

  it('tags a quotation going on into the next sentence to the sentence end', () => {
    const sentence = 'He said: "We will restore order.';
    expect(sentenceTexts(sentence, 'quotation')).toEqual(['We will restore order.']);
  });

  it('tags curly single quotes as quotations, but not apostrophes', () => {
    const sentence = 'The body was found ‘partially buried’ in Niger’s capital, the sheriff’s office says.';
    expect(sentenceTexts(sentence, 'quotation')).toEqual(['partially buried']);
  });
});

describe('rules on top of the libraries', () => {
  it.each([
    ['Mohamed Bazoum (63) was ousted on Wednesday.', '63'],
    ['Mr Boateng, 53, is to become high commissioner.', '53'],
    ['The president, aged 63, was detained.', 'aged 63'],
    ['He is 63 years old.', '63 years old'],
    ['Two 17-year-olds were arrested.', '17-year-olds'],
  ])('tags the age in %j', (sentence, age) => {
    expect(sentenceTexts(sentence, 'age')).toEqual([age]);
  });

  it.each([
    ['The deal cost $5.2m last year.', '$5.2m'],
    ['The budget rose to £4bn.', '£4bn'],
  ])('tags the whole sum of money in %j', (sentence, money) => {
    expect(sentenceTexts(sentence, 'money')).toEqual([money]);
  });

  it('tags all-capital acronyms as organisations, but not time zones, titles or headlines in capitals', () => {
    expect(sentenceTexts('The UN and NATO met the IMF at 10:30 GMT.', 'organisation')).toEqual(['UN', 'NATO', 'IMF']);
    expect(sentenceTexts('The CEO spoke on TV at 9 p.m. ET.', 'organisation')).toEqual([]);
    expect(sentenceTexts('BREAKING NEWS FROM THE CAPITAL TONIGHT', 'organisation')).toEqual([]);
  });

  it('reads a bare year after a preposition as a date, though wink calls it a number', () => {
    expect(sentenceTexts('It topped the list of gadgets for 2004.', 'date')).toEqual(['2004']);
    expect(sentenceTexts('It topped the list of gadgets for 2004.', 'number')).toEqual([]);
  });

  it('tags a person after a title written in lower case only when the name has two words', () => {
    expect(sentenceTexts('Prices rose, said Cochilco vice president Patricio Cartagena.', 'person')).toEqual(['Patricio Cartagena']);
    expect(sentenceTexts('Prices rose, said Cochilco vice president Patricio Cartagena.', 'quotation')).toEqual([]);
  });

  it('does not count "one of" as a number', () => {
    expect(sentenceTexts('He is one of three candidates.', 'number')).toEqual(['three']);
  });
});

describe('offsets', () => {
  it('gives every tag of every seed sentence as a non-empty, trimmed slice of its sentence', () => {
    let count = 0;
    for (const { sentence, tags } of tagged) {
      for (const tag of tags) {
        expect(tag.start).toBeGreaterThanOrEqual(0);
        expect(tag.end).toBeLessThanOrEqual(sentence.length);
        const text = sentence.slice(tag.start, tag.end);
        expect(text.trim()).toBe(text);
        expect(text).toMatch(/[\p{L}\p{N}]/u);
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  it('gives offsets relative to each sentence, not to the article', () => {
    const text = 'Bazoum was elected in 2021.\nHe met Antonio Guterres in Niamey on May 2, 2022.';
    const spans = splitSentences(text);
    const [first, second] = tagText(text, spans);
    const secondText = text.slice(spans[1]!.start, spans[1]!.end);
    expect(texts(text.slice(spans[0]!.start, spans[0]!.end), first!, 'date')).toEqual(['2021']);
    expect(texts(secondText, second!, 'date')).toEqual(['May 2, 2022']);
    expect(texts(secondText, second!, 'person')).toEqual(['Antonio Guterres']);
  });

  it('accepts sentence spans in any order, overlapping or not', () => {
    const text = seeds[0]!;
    const spans = splitSentences(text).slice(0, 12);
    const forward = tagText(text, spans);
    expect(tagText(text, [...spans].reverse())).toEqual([...forward].reverse());
    // A passage-like span covering two sentences holds the tags of both.
    const joined = { start: spans[2]!.start, end: spans[3]!.end };
    const both = tagText(text, [spans[2]!, joined])[1]!;
    expect(both.filter((t) => t.kind === 'number').map((t) => text.slice(joined.start + t.start, joined.start + t.end))).toEqual([
      'about 1,100',
      'three',
    ]);
  });

  it('tags a batch of sentences as it tags each one alone', () => {
    const sentences = tagged.slice(0, 40).map((s) => s.sentence);
    expect(tagSentences(sentences)).toEqual(sentences.map((s) => tagSentence(s)));
  });

  it('returns no tags for sentences with nothing to tag, and for empty spans', () => {
    expect(tagSentence('it was quiet.')).toEqual([]);
    expect(tagText('', [{ start: 0, end: 0 }])).toEqual([[]]);
  });
});
