// Text fitting for Discord: everything fits its limit, cuts fall between sentences (else words) with a visible "…",
// and what is kept is verbatim.
import { describe, expect, it } from 'vitest';
import {
  DISCORD_LIMITS,
  ELLIPSIS,
  cutText,
  embedLength,
  excerptAround,
  fitContent,
  fitEmbeds,
  splitText,
  trimText,
  trimTextStart,
} from '../../src/bot/limits.js';

const SENTENCES =
  'The council met on Tuesday. It approved the budget after a long debate. The U.S. ambassador attended as an observer. ' +
  'Opponents said they would appeal.';

/** Random prose: words of 1–12 letters, some sentences, some commas. */
function prose(seed: number, words: number): string {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const word = Array.from({ length: 1 + Math.floor(next() * 12) }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
    const r = next();
    out.push(r < 0.08 ? `${word}.` : r < 0.14 ? `${word},` : word);
  }
  return out.join(' ');
}

describe('trimText', () => {
  it('leaves text that fits alone', () => {
    expect(trimText(SENTENCES, SENTENCES.length)).toBe(SENTENCES);
  });

  it('cuts after the last whole sentence that fits, with " …"', () => {
    expect(trimText(SENTENCES, 80)).toBe('The council met on Tuesday. It approved the budget after a long debate. …');
  });

  it('does not take "U.S." for the end of a sentence', () => {
    const trimmed = trimText(SENTENCES, 120);
    expect(trimmed).toBe('The council met on Tuesday. It approved the budget after a long debate. The U.S. ambassador attended as an observer. …');
  });

  it('cuts between words, with "…", when no sentence ends in the first half of the room', () => {
    const sentence = 'Nigerien soldiers said Wednesday they had overthrown the democratically elected president, Mohamed Bazoum.';
    expect(trimText(sentence, 60)).toBe('Nigerien soldiers said Wednesday they had overthrown the…');
    expect(trimText(sentence, 92)).toBe('Nigerien soldiers said Wednesday they had overthrown the democratically elected president…');
  });

  it('never exceeds the limit, keeps a verbatim beginning and never cuts inside a word', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const text = prose(seed, 300);
      for (const max of [5, 17, 64, 100, 333, 1024]) {
        const { kept, suffix } = cutText(text, max);
        expect((kept + suffix).length).toBeLessThanOrEqual(max);
        expect(text.startsWith(kept)).toBe(true);
        expect([' …', '…']).toContain(suffix);
        const next = text[kept.length];
        // Only a first word longer than the whole room has to be cut.
        if (text.split(' ')[0]!.length >= max - 1) continue;
        expect(next === undefined || /[^a-z]/.test(next), `cut inside a word at ${kept.length} (max ${max})`).toBe(true);
      }
    }
  });

  it('cuts a single word longer than the room, as it must, without splitting a surrogate pair', () => {
    expect(trimText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}${ELLIPSIS}`);
    const emoji = '😀'.repeat(20);
    const trimmed = trimText(emoji, 10);
    expect(trimmed.length).toBeLessThanOrEqual(10);
    expect(trimmed).toBe(`${'😀'.repeat(4)}${ELLIPSIS}`);
  });
});

describe('trimTextStart and excerptAround', () => {
  it('keeps the end of a text from a sentence start', () => {
    const kept = trimTextStart(SENTENCES, 70);
    expect(kept.length).toBeLessThanOrEqual(70);
    expect(kept.startsWith(ELLIPSIS)).toBe(true);
    expect(SENTENCES.endsWith(kept.replace(/^… ?/, ''))).toBe(true);
  });

  it('shows the quote with as much of its paragraph around it as fits', () => {
    const quote = 'It approved the budget after a long debate.';
    const start = SENTENCES.indexOf(quote);
    const excerpt = excerptAround(SENTENCES, start, start + quote.length, 100);
    expect(excerpt.length).toBeLessThanOrEqual(100);
    expect(excerpt).toContain(quote);
    expect(excerptAround(SENTENCES, start, start + quote.length, 1000)).toBe(SENTENCES);
    for (let seed = 1; seed <= 20; seed++) {
      const text = prose(seed, 400);
      const s = 900;
      const e = text.indexOf(' ', s + 100);
      const x = excerptAround(text, s, e, 400);
      expect(x.length).toBeLessThanOrEqual(400);
      expect(x).toContain(text.slice(s, e));
    }
  });
});

describe('splitText', () => {
  it('splits into pieces that fit, at line breaks and sentence ends first, losing no word', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const text = `${prose(seed, 200)}\n${prose(seed + 100, 300)}`;
      const pieces = splitText(text, 256);
      for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(256);
      const words = pieces.join(' ').replace(/…/g, ' ').split(/\s+/).filter(Boolean);
      expect(words).toEqual(text.split(/\s+/).filter(Boolean));
    }
  });
});

describe('fitEmbeds and fitContent', () => {
  it('trims every part to its limit and all embeds together to 6,000 characters', () => {
    const long = prose(7, 2000);
    const embeds = fitEmbeds([
      {
        title: long,
        description: long,
        footer: { text: long },
        fields: Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i}`, value: long })),
      },
      { description: long },
    ]);
    const [first, second] = embeds;
    expect(first!.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(first!.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(first!.footer!.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footerText);
    expect(first!.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    for (const f of first!.fields!) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(second).toBeDefined();
    expect(embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
  });

  it('drops a 26th field with a note of how many were left out', () => {
    const [embed] = fitEmbeds([{ fields: Array.from({ length: 30 }, (_, i) => ({ name: `F${i}`, value: 'v' })) }]);
    expect(embed!.fields).toHaveLength(25);
    expect(embed!.fields!.at(-1)).toEqual({ name: '…', value: '6 more not shown' });
  });

  it('keeps message content within 2,000 characters', () => {
    expect(fitContent(prose(3, 1000)).length).toBeLessThanOrEqual(2000);
  });
});
