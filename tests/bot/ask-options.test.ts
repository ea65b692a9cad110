// /ask option validation: the same answer options as the command line, with messages a Discord user can act on.
import { describe, expect, it } from 'vitest';
import { parseAsk } from '../../src/bot/commands/ask.js';

describe('parseAsk', () => {
  it('accepts a question with an outlet and a date range', () => {
    expect(parseAsk({ question: 'Who leads the coup?', outlet: 'NBC', since: '2023-07-01', until: '2023-07-31' })).toEqual({
      ok: true,
      question: 'Who leads the coup?',
      private: false,
      options: { outlet: 'NBC', since: '2023-07-01', until: '2023-07-31' },
    });
  });

  it('refuses a date that does not exist and a reversed range, naming the option', () => {
    const badDate = parseAsk({ question: 'Who leads the coup?', since: '2023-02-30' });
    expect(badDate).toEqual({ ok: false, message: expect.stringContaining('since') });
    const reversed = parseAsk({ question: 'Who leads the coup?', since: '2023-08-01', until: '2023-07-01' });
    expect(reversed.ok).toBe(false);
    expect(!reversed.ok && reversed.message).toContain('2023-08-01 is after 2023-07-01');
  });

  it('refuses a question too short to search', () => {
    expect(parseAsk({ question: ' ? ' }).ok).toBe(false);
  });
});
