// The small rule that decides whether a channel message is a question for the bot, and the text it is answered as.
import { describe, expect, it } from 'vitest';
import { questionText, readsAsQuestion, threadName } from '../../src/bot/messages.js';

describe('readsAsQuestion', () => {
  it.each([
    "Who is Niger's elected president?",
    'what did the army say',
    'How many troops does the US have in Niger',
    'Did ECOWAS condemn the coup',
    "What's the latest on Niger",
    'Is the president still detained',
    "isn't he the foreign minister",
    'the coup happened when?',
    'Bazoum (the president?)',
    'anything about the budget?  ',
  ])('reads %j as a question', (text) => {
    expect(readsAsQuestion(text)).toBe(true);
  });

  it.each([
    '',
    'thanks everyone',
    'The coup was last week.',
    'Whoa, nice',
    'who knows',
    'Howdy folks, good morning',
    'Isolation is hard for everyone',
    'lol',
  ])('does not read %j as a question', (text) => {
    expect(readsAsQuestion(text)).toBe(false);
  });
});

describe('questionText and threadName', () => {
  it('drops mentions of the bot, in either form, and joins lines', () => {
    expect(questionText('<@123456789> who won?', '123456789')).toBe('who won?');
    expect(questionText('who <@!123456789>\nwon?', '123456789')).toBe('who won?');
    expect(questionText('<@987654321> who won?', '123456789')).toBe('<@987654321> who won?');
  });

  it('names a thread after the question in at most 100 characters, cut between words', () => {
    expect(threadName("Who is Niger's elected president?")).toBe("Who is Niger's elected president?");
    const long = 'What did the regional organisations say about the soldiers who announced they had seized power in Niger last week?';
    const name = threadName(long);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toBe('What did the regional organisations say about the soldiers who announced they had seized power in…');
    expect(threadName('<@&123456789> <@123> ')).toBe('Question');
  });

  it.each([
    ['@everyone who won the vote? @here', 'everyone who won the vote? here'],
    ['Is [https://discord.com/nitro](http://evil.example/steal) free?', 'Is https://discord.com/nitro free?'],
    ['Who won [the vote](<https://evil.example>)?', 'Who won the vote?'],
    // U+202E would show "?gnp.exe" reversed; zero-width characters hide words from filters.
    // A link whose address holds brackets, and one cut short (a title cut at its length limit): no "[x](" left.
    ['Who is [Bazoum](https://en.wikipedia.org/wiki/Bazoum_(politician)) now?', 'Who is Bazoum now?'],
    ['Who won [the vote](https://example.com/2023/07/', 'Who won the vote'],
    ['Who won\u202E?exe.gnp', 'Who won?exe.gnp'],
    ['every\u200Bone \u2066who\u2069 w\u200Don\uFEFF?', 'everyone who won?'],
    ['Who won <#123456789012345678> in <@!123456789012345678>?', 'Who won in ?'],
    ['Who\u0007 won\u2028 the\u0000 vote?', 'Who won the vote?'],
    // Escape sequences go whole, as in the terminal (printableText): no "[2J" or window title left behind.
    ['Who\u001b[2J won\u001b]0;title\u0007 it?', 'Who won it?'],
  ])('strips pings, masked links and invisible or bidi characters from the thread name: %j', (question, name) => {
    expect(threadName(question)).toBe(name);
  });
});
