// Answer types: the classifier over a table of questions per type (tricky ones included), the subject of a statement
// question, and how precise a date the question asks for. Matching sentences to the type: type-match.test.ts.
import { describe, expect, it } from 'vitest';
import { classifyQuestion, QUESTION_RULES, type AnswerType } from '../../src/answer/answer-type.js';

const QUESTIONS: Record<AnswerType, string[]> = {
  person: [
    "Who is Niger's elected president?",
    'Who leads the junta?',
    'Who did Blinken speak to?',
    'Whom did the president meet?',
    'Whose troops surrounded the palace?',
    'What is the name of the UN secretary-general?',
    "Who is Niger's foreign minister?",
    // A compound's last noun is its head: a chief, not the forces.
    'Who is the armed forces chief?',
    'Which general took power?',
    'Can you tell me who leads the coup?',
    "Niger's president is who?",
    // The asking clause decides, wherever it stands.
    'wait, who leads the junta?',
    'In the piece about the palace siege, who is the armed forces chief?',
  ],
  organisation: [
    'Which army unit detained the president?',
    'Which unit detained the president?',
    'Which regional organisations condemned the takeover?',
    'Which restaurant has the best pizza in Chicago?',
    'Who is the group behind the coup?',
    'What West African bloc called for his release?',
    'Which company built the plane?',
  ],
  place: [
    "Which city's cable customers get the service first?",
    'Where was the summit held, the one where the bloc agreed on sanctions?',
    'What is the capital of Niger?',
    'Which country did Niger gain independence from?',
    'Where is Bazoum being held?',
    'In which city is the presidential palace?',
    'From where did the plane take off?',
    'What countries have had coups since 2020?',
  ],
  date: [
    'When was Bazoum elected?',
    'What year did Niger gain independence?',
    'What date was the coup?',
    'What time did the plane land?',
    'At what time did the plane land?',
    'The plane landed at what time?',
    'How long ago did the coup happen?',
    'Since when has the curfew been in force?',
    'In the report on the election, which year was Bazoum elected?',
  ],
  number: [
    'What does the champion weigh now that he has cut out snacks?',
    'What will the new stadium cost?',
    'How many troops were deployed, in the piece where the junta closed the border?',
    'How many troops does the US have in Niger?',
    'How much did the deal cost?',
    'How big is the army?',
    'How large is the US presence?',
    'How far is Niamey from the border?',
    'How long has Bazoum been in power?',
    'What percentage of voters backed him?',
    "What's Niger's population?",
    'How many earlier attempts were made against Bazoum?',
    'How low has the currency fallen?',
    'The story about the aid cuts - how much did the US give last year?',
  ],
  age: ['How old is Bazoum?', 'At what age did he take office?', "What is the president's age?"],
  reason: [
    'Why did the army back the coup?',
    'For what reason was the president detained?',
    'What caused the coup?',
    'What led to the takeover?',
    'What was the reason for the curfew?',
    'How come the borders were closed?',
    'What was the curfew for?',
    'In the story where the airport was shut, why were the flights cancelled?',
  ],
  statement: [
    'What did the minister, the one who resigned last week, say about the budget?',
    'What did the foreign minister say?',
    'What did the coup leaders say they decided?',
    'What has the UN said about the coup?',
    'How did ECOWAS react to the takeover?',
    "What was the European Union's response?",
    'What did Donald Trump ask the Supreme Court?',
    'How did the minister describe the takeover?',
    'What did the junta call the ousted president?',
    'What jibe did the opposition leader make about the army?',
  ],
  other: [
    'What happened in Niger?',
    'Is Bazoum safe?',
    'How do I reset my router password?',
    'Which troops attacked the capital?',
    'Tell me about the coup.',
  ],
};

describe('classifyQuestion', () => {
  const table = Object.entries(QUESTIONS).flatMap(([type, questions]) => questions.map((q) => [type, q] as const));

  it.each(table)('classifies as %s: %s', (type, question) => {
    expect(classifyQuestion(question).type).toBe(type);
  });

  it.each([
    ['What did the foreign minister say?', 'the foreign minister'],
    ["What did France's foreign minister declare about the coup?", "France's foreign minister"],
    ['What did the coup leaders say they decided?', 'the coup leaders'],
    ['How did ECOWAS react to the takeover?', 'ECOWAS'],
    ["What was the UN's response?", 'the UN'],
    ['what did antonio guterres have to say', 'antonio guterres'],
  ])('takes the speaker of %j as the subject', (question, subject) => {
    expect(classifyQuestion(question)).toEqual({ type: 'statement', subject });
  });

  it('gives no subject for other types', () => {
    expect(classifyQuestion('Who leads the junta?')).toEqual({ type: 'person' });
  });

  it('reads questions whatever their case, spacing, apostrophes and lead-in', () => {
    expect(classifyQuestion('  HOW   MANY troops?? ').type).toBe('number');
    expect(classifyQuestion('So, do you know where Bazoum is').type).toBe('place');
    expect(classifyQuestion('What’s the capital of Niger').type).toBe('place');
  });

  it('answers "other" for empty or wordless input', () => {
    expect(classifyQuestion('').type).toBe('other');
    expect(classifyQuestion('???').type).toBe('other');
  });

  it('keeps its rules as data', () => {
    expect(QUESTION_RULES.length).toBeGreaterThan(10);
    for (const rule of QUESTION_RULES) expect(rule.pattern.flags).toContain('i');
  });
});

describe('date granularity', () => {
  it.each([
    ['What year is the game set in?', 'year'],
    ['Which years did Wales win the Grand Slam?', 'year'],
    ['what date is polling day?', 'finer'],
    ['When are the winners being announced?', 'finer'],
    ["In that rundown, when's the shooter coming out?", 'finer'],
    ['When did Niger gain independence?', undefined],
    ['When was Bazoum elected?', undefined],
  ])('%s → %s', (question, granularity) => {
    const asked = classifyQuestion(question);
    expect(asked.type).toBe('date');
    expect(asked.granularity).toBe(granularity);
  });
});
