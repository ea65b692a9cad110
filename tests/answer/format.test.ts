// The terminal and JSON formatters: quotes with numbered citation markers, "also reported by", the sources list with
// unknown outlet / undated spelled out, the emphasised answer span, and the no-answer text.
import { describe, expect, it } from 'vitest';
import { CLOSEST_LABEL, NO_ANSWER, citationLine, numberCitations } from '../../src/answer/format/citations.js';
import { formatJson } from '../../src/answer/format/json.js';
import { ANSI, PLAIN, formatTerminal } from '../../src/answer/format/terminal.js';
import type { Answer, Citation } from '../../src/answer/types.js';
import { quote } from '../support/answers.js';

const nbc: Citation = {
  id: 'nbc',
  title: 'Niger army backs coup',
  outlet: 'NBC News',
  published: null,
  byline: null,
  url: 'https://www.nbcnews.com/niger',
  file: 'nbc.txt',
};
const afp: Citation = { ...nbc, id: 'afp', title: 'Armed forces chief backs putsch', outlet: 'AFP', published: '2023-07-27T09:30:00Z', url: null, file: 'afp.txt' };
const anonymous: Citation = { ...nbc, id: 'blog', title: 'A blog post', outlet: null, published: '2023-07-28', url: null, file: 'blog.md' };


const answered: Answer = {
  question: 'What did the coup leaders decide?',
  answered: true,
  outcome: 'answered',
  confidence: 0.9,
  quotes: [
    quote('They decided to put an end to the regime.', nbc, {
      corroboration: [{ text: 'They had "decided to put an end to the regime".', start: 5, end: 52, source: afp }],
    }),
    quote('The borders were closed.', afp, { answerSpan: { start: 4, end: 11 } }),
    quote('Curfew from 10 p.m.', anonymous),
  ],
  sources: [nbc, afp, anonymous],
};

describe('numberCitations', () => {
  it('numbers articles in order of first citation, corroborations included, each once', () => {
    const { cited, markerOf } = numberCitations(answered);
    expect(cited.map((c) => c.id)).toEqual(['nbc', 'afp', 'blog']);
    expect([markerOf('nbc'), markerOf('afp'), markerOf('blog'), markerOf('unknown')]).toEqual([1, 2, 3, 0]);
  });
});

describe('citationLine', () => {
  it('shows outlet · date · title, the date without its time, and says unknown rather than leaving a gap', () => {
    expect(citationLine(afp)).toBe('AFP · 2023-07-27 · Armed forces chief backs putsch');
    expect(citationLine(nbc)).toBe('NBC News · undated · Niger army backs coup');
    expect(citationLine(anonymous)).toBe('Unknown outlet · 2023-07-28 · A blog post');
  });

  it("shows an untitled article's first-sentence title cut near a headline's length, at a word boundary", () => {
    const sentence = 'The army in the west African nation of Niger said Thursday it would offer no resistance to the forces that seized power in an armed coup this week.';
    expect(citationLine({ ...afp, title: sentence })).toBe('AFP · 2023-07-27 · The army in the west African nation of Niger said Thursday it would offer no…');
    expect(citationLine({ ...afp, title: 'Niger junta names a new prime minister after the coup.' })).toBe(
      'AFP · 2023-07-27 · Niger junta names a new prime minister after the coup.',
    );
  });
});

describe('formatTerminal', () => {
  it('prints each quote with its marker, corroboration, then the numbered sources with links', () => {
    expect(formatTerminal(answered).split('\n')).toEqual([
      '“They decided to put an end to the regime.” [1]',
      '    also reported by AFP [2]',
      '“The borders were closed.” [2]',
      '“Curfew from 10 p.m.” [3]',
      '',
      'Sources:',
      '[1] NBC News · undated · Niger army backs coup · https://www.nbcnews.com/niger',
      '[2] AFP · 2023-07-27 · Armed forces chief backs putsch',
      '[3] Unknown outlet · 2023-07-28 · A blog post',
    ]);
  });

  it('emphasises the answer span only with a styled output', () => {
    expect(formatTerminal(answered, PLAIN)).toContain('“The borders were closed.” [2]');
    expect(formatTerminal(answered, ANSI)).toContain('“The \u001b[1mborders\u001b[22m were closed.” [2]');
  });

  it("prints no escape sequence an article holds, yet keeps its own emphasis", () => {
    const hostile: Citation = { ...nbc, title: 'Coup\u001b]0;pwned\u0007 \u202Eevil', outlet: '\u001b]8;;https://evil.example\u001b\\NBC\u001b]8;;\u001b\\' };
    const answer: Answer = { ...answered, quotes: [quote('The \u001b[2Jborders were \u009b31mclosed.', hostile, { answerSpan: { start: 4, end: 15 } })], sources: [hostile] };
    const shown = formatTerminal(answer, ANSI);
    expect(shown).toContain('“The \u001b[1mborders\u001b[22m were closed.” [1]');
    expect(shown).toContain('[1] NBC · undated · Coup evil · https://www.nbcnews.com/niger');
    // Left once this formatter's bold on and off are taken out: no control or bidi character at all.
    expect(shown.replaceAll('\u001b[1m', '').replaceAll('\u001b[22m', '')).not.toMatch(/(?![\t\n])\p{Cc}|[\u202a-\u202e]/u);
  });

  it('labels the closest coverage as not sure before its quotes, which stay verbatim and cited', () => {
    const closest: Answer = { ...answered, answered: false, outcome: 'closest', quotes: answered.quotes.slice(0, 1) };
    const lines = formatTerminal(closest).split('\n');
    expect(lines[0]).toBe(CLOSEST_LABEL);
    expect(lines[1]).toBe('“They decided to put an end to the regime.” [1]');
    expect(formatTerminal(answered)).not.toContain(CLOSEST_LABEL);
    expect(JSON.parse(formatJson(closest)).outcome).toBe('closest');
  });

  it('says the coverage does not answer, and lists the closest articles', () => {
    const none: Answer = { question: 'Pizza?', answered: false, outcome: 'not-covered', confidence: 0.1, quotes: [], sources: [afp, nbc] };
    expect(formatTerminal(none).split('\n')).toEqual([
      NO_ANSWER,
      'Closest articles:',
      '  - AFP · 2023-07-27 · Armed forces chief backs putsch',
      '  - NBC News · undated · Niger army backs coup · https://www.nbcnews.com/niger',
    ]);
    expect(NO_ANSWER).toMatch(/does not answer/);
    expect(formatTerminal({ ...none, sources: [] })).toBe(NO_ANSWER);
  });

  it('names what no indexed article mentions, so the user knows why', () => {
    const none: Answer = { question: 'Q', answered: false, outcome: 'not-covered', confidence: 0.1, quotes: [], sources: [] };
    expect(formatTerminal({ ...none, unmentioned: ['YouTube'] })).toBe(`${NO_ANSWER} None of the indexed articles mentions YouTube.`);
    expect(formatTerminal({ ...none, unmentioned: ['Xbox', '360', 'Microsoft'] })).toBe(
      `${NO_ANSWER} None of the indexed articles mentions Xbox, 360 or Microsoft.`,
    );
    expect(JSON.parse(formatJson({ ...none, unmentioned: ['YouTube'] })).unmentioned).toEqual(['YouTube']);
  });
});

describe('formatJson', () => {
  it('is one line of JSON with answer_span relative to each quote, null when there is none', () => {
    const json = formatJson(answered);
    expect(json).not.toContain('\n');
    const parsed = JSON.parse(json);
    expect(parsed.answered).toBe(true);
    expect(parsed.quotes.map((q: { answer_span: unknown }) => q.answer_span)).toEqual([null, { start: 4, end: 11 }, null]);
    expect(parsed.quotes[1]).not.toHaveProperty('answerSpan');
    expect(parsed.quotes[0].corroboration[0].source.outlet).toBe('AFP');
    expect(parsed.quotes[0].text).toBe('They decided to put an end to the regime.');
  });
});
