// Matching sentences to the asked answer type: the emphasised span of a quote (always inside it, the answer rather than
// the question's own words) and the type-match score used in ranking, on the seed articles' tagged sentences.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyQuestion, type AnswerType } from '../../src/answer/answer-type.js';
import { emphasisSpan, typeMatchScore } from '../../src/answer/type-match.js';
import { splitSentences } from '../../src/text/sentences.js';
import { tagSentence, tagText, type SentenceTag } from '../../src/text/tags.js';

const seedsDir = new URL('../../seeds/', import.meta.url);
const tagged = readdirSync(seedsDir)
  .filter((f) => f.endsWith('.txt'))
  .flatMap((f) => {
    const text = readFileSync(new URL(f, seedsDir), 'utf8');
    const spans = splitSentences(text);
    const tags = tagText(text, spans);
    return spans.map((span, i) => ({ sentence: text.slice(span.start, span.end), tags: tags[i]! }));
  });

function seed(opening: string): { sentence: string; tags: SentenceTag[] } {
  const found = tagged.find((s) => s.sentence.startsWith(opening));
  if (!found) throw new Error(`no seed sentence starts with: ${opening}`);
  return found;
}

/** The emphasised text of the seed sentence opening with `opening`, for `question`. */
function emphasised(opening: string, question: string): string | undefined {
  const { sentence, tags } = seed(opening);
  const span = emphasisSpan(sentence, tags, classifyQuestion(question).type, question);
  return span && sentence.slice(span.start, span.end);
}

describe('emphasisSpan', () => {
  it('emphasises the answer, not the words the question already says', () => {
    // 'Niger' is a place and 'President' a title in the question; the answer is the name.
    expect(emphasised("Niger's President Mohamed Bazoum attends", "Who is Niger's elected president?")).toBe('Mohamed Bazoum');
    expect(emphasised("Niger's President Mohamed Bazoum attends", 'Who did Bazoum meet at the palace?')).toBe('Antonio Guterres');
    expect(emphasised('Bazoum was elected in 2021', 'Which country did Niger gain independence from?')).toBe('France');
  });

  it.each([
    ['The U.S. has about 1,100 troops', 'How many troops does the US have in Niger?', 'about 1,100'],
    ['Abdramane also said in a separate statement', 'At what time did the plane land?', '6.30 a.m.'],
    ['The 63-year-old is one of', 'How old is Bazoum?', '63-year-old'],
    ['Bazoum was elected in 2021', 'When was Bazoum elected?', '2021'],
    ['Access to the residence and offices', 'Which unit blocked access to the residence?', 'Presidential Guard'],
    ['Nigerien soldiers said Wednesday', 'What is the capital of Niger?', 'Niamey'],
    [
      '"The military command... has decided',
      'Why did the army back the coup?',
      'in order to avoid a deadly confrontation between the various forces',
    ],
    ['Foreign Minister Hassoumi Massoudou said', 'What did the foreign minister say?', 'legal and legitimate power'],
  ])('in %j for %j emphasises %j', (opening, question, answer) => {
    expect(emphasised(opening, question)).toBe(answer);
  });

  it('takes a causal clause to its end, through a quotation inside it', () => {
    expect(emphasised('Their leader, an officer named', 'Why did the officers take power?')).toBe(
      'following "the continued deterioration of the security situation, poor economic and social governance."',
    );
  });

  it('prefers the quotation attributed to the subject of "what did X say"', () => {
    const sentence = '"We will not yield," the minister said, as ECOWAS warned of "a firm response," its chair said.';
    const at = (text: string) => ({ start: sentence.indexOf(text), end: sentence.indexOf(text) + text.length });
    const tags: SentenceTag[] = [
      { kind: 'quotation', ...at('We will not yield,'), attribution: 'the minister' },
      { kind: 'quotation', ...at('a firm response,'), attribution: 'its chair' },
    ];
    expect(emphasisSpan(sentence, tags, 'statement', 'What did the ECOWAS chair say?')).toEqual(at('a firm response,'));
    expect(emphasisSpan(sentence, tags, 'statement', 'What did the minister say?')).toEqual(at('We will not yield,'));
    // Without a subject, the first quotation.
    expect(emphasisSpan(sentence, tags, 'statement', 'What was said?')).toEqual(at('We will not yield,'));
  });

  it('emphasises nothing when only the question’s own words match, or the type is other', () => {
    const { sentence, tags } = seed('The army urged the controlling force');
    expect(emphasisSpan(sentence, tags, 'place', 'Where is Niger?')).toBeUndefined();
    expect(emphasisSpan(sentence, tags, 'other', 'What happened in Niger?')).toBeUndefined();
    expect(emphasisSpan(sentence, tags, 'age', 'How old is the army?')).toBeUndefined();
  });

  it('ignores tags that do not lie inside the quote', () => {
    const quote = 'Bazoum was elected in 2021.';
    const stray: SentenceTag[] = [{ kind: 'date', start: 20, end: 40 }];
    expect(emphasisSpan(quote, stray, 'date', 'When was Bazoum elected?')).toBeUndefined();
  });

  it('never changes the quote: every span of every seed sentence lies inside it, on word boundaries', () => {
    const types: AnswerType[] = ['person', 'organisation', 'place', 'date', 'number', 'age', 'reason', 'statement', 'other'];
    let spans = 0;
    for (const { sentence, tags } of tagged) {
      const before = sentence.slice();
      for (const type of types) {
        const span = emphasisSpan(sentence, tags, type, 'What about it?');
        expect(sentence).toBe(before);
        if (!span) continue;
        spans++;
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeLessThanOrEqual(sentence.length);
        expect(span.end).toBeGreaterThan(span.start);
        const text = sentence.slice(span.start, span.end);
        expect(text.trim()).toBe(text);
        // Bold markers around the span, removed again, give back the quote exactly.
        const bold = `${sentence.slice(0, span.start)}**${text}**${sentence.slice(span.end)}`;
        expect(bold.replace('**', '').replace('**', '')).toBe(sentence);
        expect(/[\p{L}\p{N}]/u.test(sentence[span.start - 1] ?? ' ') && /[\p{L}\p{N}]/u.test(text[0]!)).toBe(false);
      }
    }
    expect(spans).toBeGreaterThan(100);
  });
});

describe('typeMatchScore', () => {
  const troops = seed('The U.S. has about 1,100 troops');
  const mission = seed('The country, rich in natural resources');

  it('is 1 for a sentence holding a value of the asked type, 0 for one without', () => {
    const q = 'How many troops does the US have in Niger?';
    expect(typeMatchScore('number', troops.tags, troops.sentence, q)).toBe(1);
    expect(typeMatchScore('number', mission.tags, mission.sentence, q)).toBe(0);
  });

  it("prefers the name beside the role the question asks about to a name holding another role", () => {
    const q = "Who is Niger's elected president?";
    const beside = seed('Nigerien soldiers said Wednesday they had overthrown');
    const elsewhere = seed('Foreign Minister Hassoumi Massoudou said');
    const noRole = 'Mohamed Bazoum met the envoy.';
    expect(typeMatchScore('person', beside.tags, beside.sentence, q)).toBe(1);
    expect(typeMatchScore('person', elsewhere.tags, elsewhere.sentence, q)).toBeLessThan(1);
    expect(typeMatchScore('person', elsewhere.tags, elsewhere.sentence, q)).toBeGreaterThan(0);
    expect(typeMatchScore('person', tagSentence(noRole), noRole, q)).toBe(1);
  });

  it('scores a value the question already gives lower than a new one', () => {
    const sentence = 'Niger gained its independence in 1960.';
    const tags = tagSentence(sentence);
    expect(typeMatchScore('date', tags, sentence, 'What happened in Niger in 1960?')).toBeLessThan(
      typeMatchScore('date', tags, sentence, 'When did Niger gain independence?'),
    );
    expect(typeMatchScore('date', tags, sentence, 'When did Niger gain independence?')).toBe(1);
  });

  // dev-general g017, g077 and g036: the sentences of the BBC articles, the question worded as there.
  it('scores a date less precise than the question asks below one as precise, and any date alike when it does not say', () => {
    const score = (question: string, sentence: string) => {
      const asked = classifyQuestion(question);
      return typeMatchScore(asked.type, tagSentence(sentence), sentence, question, asked.subject, asked.granularity);
    };
    const year = 'What year is the new crime game actually set in?';
    expect(score(year, 'This title, incidentally, is set in 1992.')).toBe(1);
    expect(score(year, 'It lacks the cheesy 80s setting of the last game.')).toBeLessThan(1);
    const toCome = 'When will the winner of the hunt for a new crime novelist be revealed?';
    expect(score(toCome, 'The winner will be announced at the London Book Fair on 14 March next year.')).toBe(1);
    expect(score(toCome, 'This year, the competition is specifically looking for a crime writer.')).toBeLessThan(1);
    const date = 'What date is polling day?';
    expect(score(date, 'It is one of the last pieces of economic data before the 2 November presidential election.')).toBe(1);
    expect(score(date, 'As with the 2004 US presidential election, the outcome will be decided by swing seats.')).toBeLessThan(1);
    // 'When did…' says nothing of precision: a year answers it as well as a day.
    const past = 'When did Niger gain independence?';
    expect(score(past, 'Niger gained its independence in 1960.')).toBe(score(past, 'Niger gained its independence on 3 August 1960.'));
  });

  it('scores reasons by their causal marker', () => {
    const q = 'Why did the army back the coup?';
    const because = 'The army backed the coup because it feared a split.';
    const following = 'The army backed the coup following days of talks.';
    const none = 'The army backed the coup on Thursday.';
    expect(typeMatchScore('reason', tagSentence(because), because, q)).toBe(1);
    expect(typeMatchScore('reason', tagSentence(following), following, q)).toBeGreaterThan(0);
    expect(typeMatchScore('reason', tagSentence(following), following, q)).toBeLessThan(1);
    expect(typeMatchScore('reason', tagSentence(none), none, q)).toBe(0);
  });

  it('scores a quotation attributed to the subject above one by a pronoun, above one by someone else', () => {
    const q = 'What did the foreign minister say?';
    const subject = classifyQuestion(q).subject;
    const minister = seed('Foreign Minister Hassoumi Massoudou said');
    const he = seed('"We ask all the fractious soldiers');
    const guterres = seed('Antonio Guterres, secretary-general');
    const byMinister = typeMatchScore('statement', minister.tags, minister.sentence, q, subject);
    const byHim = typeMatchScore('statement', he.tags, he.sentence, q, subject);
    const byGuterres = typeMatchScore('statement', guterres.tags, guterres.sentence, q, subject);
    expect(byMinister).toBe(1);
    expect(byHim).toBeLessThan(byMinister);
    expect(byGuterres).toBeLessThan(byHim);
    expect(typeMatchScore('statement', troops.tags, troops.sentence, q, subject)).toBe(0);
  });

  it('is 0 for questions of no particular type', () => {
    expect(typeMatchScore('other', troops.tags, troops.sentence, 'What happened?')).toBe(0);
  });

  it('stays within 0..1 for every type over every seed sentence', () => {
    const types: AnswerType[] = ['person', 'organisation', 'place', 'date', 'number', 'age', 'reason', 'statement', 'other'];
    for (const { sentence, tags } of tagged) {
      for (const type of types) {
        const score = typeMatchScore(type, tags, sentence, 'What did the minister say?', 'the minister');
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('who questions answered by a body or a country', () => {
  it('credits an organisation or a country below a person, and only when the question does not name it', () => {
    const sentence = 'Their juntas have forced out French troops and in the case of Mali, the ruling military have woven a close alliance with Russia.';
    const tags = tagSentence(sentence);
    const withRussia = typeMatchScore('person', tags, sentence, "Who did Mali's junta ally with?");
    expect(withRussia).toBeGreaterThan(0.3);
    expect(withRussia).toBeLessThan(1);
    const person = 'Foreign Minister Hassoumi Massoudou said Niger was in danger.';
    expect(typeMatchScore('person', tagSentence(person), person, "Who did Mali's junta ally with?")).toBe(1);
  });
});
