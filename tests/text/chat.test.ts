// Chat shorthand in questions: spelled out for the lexical features and rules, the pronoun "us" kept apart from the US.
import { describe, expect, it } from 'vitest';
import { expandChatShorthand } from '../../src/text/index.js';

describe('expandChatShorthand', () => {
  it('spells out chat shorthand, whole words only', () => {
    expect(expandChatShorthand('whos the pres of niger')).toBe('who is the president of niger');
    expect(expandChatShorthand('r the borders open')).toBe('are the borders open');
    expect(expandChatShorthand('wat did the govt say abt it')).toBe('what did the government say about it');
    // Words that merely contain a shorthand are left alone.
    expect(expandChatShorthand('radio presenters urged')).toBe('radio presenters urged');
  });

  it('reads a lower-case "us" as the United States unless a verb or preposition takes it as the pronoun', () => {
    expect(expandChatShorthand('how many us soldiers r in niger')).toBe('how many US soldiers are in niger');
    expect(expandChatShorthand('what did the us say')).toBe('what did the US say');
    expect(expandChatShorthand('can you tell us who leads')).toBe('can you tell us who leads');
    expect(expandChatShorthand('is it safe for us to travel')).toBe('is it safe for us to travel');
  });

  it('leaves capitalised words as typed', () => {
    expect(expandChatShorthand('Pres. Bazoum and U.S. troops')).toBe('Pres. Bazoum and U.S. troops');
  });
});
