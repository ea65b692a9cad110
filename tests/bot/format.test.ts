// The Discord answer embed: quotes verbatim once markdown is resolved, article markdown unable to format or link, the
// answering span in bold, sources with markers, ids and quiet links, everything inside Discord's limits.
import { describe, expect, it } from 'vitest';
import type { Answer, Citation, Quote } from '../../src/answer/types.js';
import { answerEmbed, COLOURS, escapeText, quoteMarkdown, shareRoom } from '../../src/bot/format.js';
import { embedLength } from '../../src/bot/limits.js';
import { displayed, shownQuotes, sourceIds } from './harness.js';
import { quote } from '../support/answers.js';

const citation = (id: string, extra: Partial<Citation> = {}): Citation => ({
  id,
  title: `Title of ${id}`,
  outlet: 'Example News',
  published: '2024-01-02',
  byline: null,
  url: `https://news.example/${id}`,
  file: `${id}.txt`,
  ...extra,
});


const answer = (quotes: Quote[], extra: Partial<Answer> = {}): Answer => ({
  question: 'What happened?',
  answered: true,
  outcome: 'answered',
  confidence: 0.9,
  quotes,
  sources: [],
  ...extra,
});

describe('answerEmbed', () => {
  it('titles the embed with the question as plain words: no pings, masked links, bidi overrides or zero-width characters', () => {
    const question = '@everyone is [https://discord.com/nitro](http://evil.example) fr\u200Bee?\u202E <@&123456789012345678>';
    const embed = answerEmbed(answer([quote('Nitro is not free.', citation('a'))], { question }));
    expect(displayed(embed.title!)).toBe('everyone is https://discord.com/nitro free?');
    expect(embed.title).not.toMatch(/[\u200B\u202E@]|\]\(/);
  });

  it('quotes markdown-laden article text so it displays verbatim but cannot format, link or head', () => {
    const hostile = '# Breaking: **bold** claims, _italics_, ~~struck~~, ||spoiler||, `code`, [a link](https://evil.example) and > quotes';
    const embed = answerEmbed(answer([quote(hostile, citation('a'))]));
    const [shown] = shownQuotes(embed);
    expect(shown?.text).toBe(hostile);
    expect(embed.description).not.toContain('**bold**');
    expect(embed.description).toContain('\\[a link](');
    expect(embed.description).toContain('\\*\\*bold\\*\\*');
  });

  it('puts the answering span in bold, the quote otherwise untouched', () => {
    const text = 'Mohamed Bazoum was elected in 2021.';
    const embed = answerEmbed(answer([quote(text, citation('a'), { answerSpan: { start: 0, end: 14 } })]));
    expect(embed.description).toContain('> “**Mohamed Bazoum** was elected in 2021.” [1]');
    expect(shownQuotes(embed)[0]?.text).toBe(text);
  });

  it('numbers sources in order of citation, with corroborating outlets, ids and <links>', () => {
    const a = citation('a');
    const b = citation('b', { outlet: 'Other Outlet', published: null, url: null });
    const embed = answerEmbed(
      answer([
        quote('First fact.', a, { corroboration: [{ text: 'Same fact.', start: 0, end: 10, source: b }] }),
        quote('Second fact.', b),
      ]),
    );
    expect(embed.description).toContain('*also reported by Other Outlet [2]*');
    expect([...sourceIds(embed).entries()]).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(embed.fields?.[0]?.value).toContain('**[1]** Example News · 2024-01-02 · Title of a\n<https://news.example/a> · `a`');
    expect(embed.fields?.[0]?.value).toContain('**[2]** Other Outlet · undated · Title of b\n`b`');
  });

  it('shows the closest coverage under a "not sure" label, in the no-answer colour, its quotes still cited', () => {
    const embed = answerEmbed(answer([quote('The borders were closed.', citation('a'))], { answered: false, outcome: 'closest' }));
    expect(embed.description?.split('\n')[0]).toMatch(/^\*I'm not sure the coverage answers this — closest passages:\*$/);
    expect(embed.description).toContain('The borders were closed.');
    expect(embed.color).toBe(COLOURS.noAnswer);
    expect(embed.fields?.[0]?.name).toBe('Sources');
  });

  it('says the coverage does not answer and lists the closest articles', () => {
    const embed = answerEmbed(answer([], { answered: false, sources: [citation('x'), citation('y')] }));
    expect(embed.description).toBe('The indexed coverage does not answer this question.');
    expect(embed.fields?.[0]?.name).toBe('Closest articles');
    expect(embed.fields?.[0]?.value).toContain('`x`');
  });

  it('names what no indexed article mentions, with chat markup in those names made inert', () => {
    const embed = answerEmbed(answer([], { answered: false, unmentioned: ['YouTube', '@everyone'] }));
    expect(embed.description).toBe('The indexed coverage does not answer this question. None of the indexed articles mentions YouTube or everyone.');
  });

  it('keeps three very long quotes inside 4,096 description and 6,000 embed characters, each cut between words', () => {
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ') + '.';
    const quotes = ['alpha', 'beta', 'gamma'].map((w, i) => quote(words(500, w), citation(`s${i}`, { title: 'T'.repeat(250) })));
    const embed = answerEmbed(answer(quotes, { question: 'Q'.repeat(400) }));
    expect(embed.title!.length).toBeLessThanOrEqual(256);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    const shown = shownQuotes(embed);
    expect(shown).toHaveLength(3);
    shown.forEach((s, i) => {
      expect(s.cut).toBe(true);
      expect(quotes[i]!.text.startsWith(s.text)).toBe(true);
      expect(quotes[i]!.text[s.text.length]).toBe(' ');
    });
  });
});

describe('quoteMarkdown and shareRoom', () => {
  it('fits escaped text into the room even when escapes lengthen it', () => {
    const text = '*_'.repeat(200);
    const md = quoteMarkdown(text, undefined, 100);
    expect(md.length).toBeLessThanOrEqual(100);
    expect(displayed(md).replace(/…$/, '')).toBe(text.slice(0, displayed(md).replace(/…$/, '').length));
  });

  it('gives short pieces what they need and shares the rest', () => {
    expect(shareRoom([10, 1000, 1000], 1000)).toEqual([10, 495, 495]);
    expect(shareRoom([100, 100], 1000)).toEqual([100, 100]);
  });

  it('escapes headings, lists and masked links too', () => {
    expect(displayed(escapeText('# Title\n- item\n1. first\n[x](https://a.example)'))).toBe('# Title\n- item\n1. first\n[x](https://a.example)');
    expect(escapeText('# Title')).not.toBe('# Title');
  });
});
