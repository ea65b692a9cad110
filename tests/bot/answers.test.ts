// The answer memory behind the buttons: bounded, least recently used first out; and the compact quote reference in
// custom ids, restored only when this installation signed it and while the index still holds exactly those quotes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/answer/types.js';
import { encodeQuoteRefs, lruMemory, quoteRefKey, restoreQuotes, type StoredAnswer } from '../../src/bot/answers.js';

describe('lruMemory', () => {
  it('keeps the last entries used, dropping the least recently used beyond its capacity', () => {
    const memory = lruMemory<number>(2);
    memory.remember('a', 1);
    memory.remember('b', 2);
    expect(memory.recall('a')).toBe(1);
    memory.remember('c', 3);
    expect(memory.recall('b')).toBeUndefined();
    expect(memory.recall('a')).toBe(1);
    expect(memory.recall('c')).toBe(3);
    expect(memory.size).toBe(2);
  });
});

describe('quote references in custom ids', () => {
  const text = 'Niger’s president, Mohamed Bazoum, was detained on Wednesday. The army backed the coup on Thursday.';
  const source: Citation = { id: 'niger-coup', title: 'Coup in Niger', outlet: 'Wire', published: null, byline: null, url: null, file: 'niger-coup.txt' };
  const first = text.indexOf('The army');
  const stored: StoredAnswer = {
    question: 'Who backed the coup?',
    answered: true,
    sources: [source],
    quotes: [
      { passageId: 'niger-coup#0', articleId: 'niger-coup', start: 0, end: first - 1, text: text.slice(0, first - 1), source },
      { passageId: 'niger-coup#1', articleId: 'niger-coup', start: first, end: text.length, text: text.slice(first), source },
    ],
  };
  /** The two Coverage methods restoring needs, over one article whose text is `t`. */
  const coverage = (t: string | null) => ({
    quoteText: async (id: string, start: number, end: number) => (t !== null && id === 'niger-coup' && end <= t.length ? t.slice(start, end) : undefined),
    source: async (id: string) => (t !== null && id === 'niger-coup' ? { ...source, dateline: null, opening: '', passages: 2 } : undefined),
  });

  const key = quoteRefKey('bot-token-of-this-install');

  it('round-trips while the article is unchanged', async () => {
    const encoded = encodeQuoteRefs(stored, 94, key)!;
    expect(encoded.length).toBeLessThanOrEqual(94);
    expect(await restoreQuotes(encoded, coverage(text), key)).toEqual(
      await Promise.all(stored.quotes.map(async (q) => ({ ...q, source: await coverage(text).source(q.articleId) }))),
    );
  });

  it('refuses to restore once the article text changed, or the article is gone', async () => {
    const encoded = encodeQuoteRefs(stored, 94, key)!;
    expect(await restoreQuotes(encoded, coverage(text.replace('Wednesday', 'Tuesday')), key)).toBeNull();
    expect(await restoreQuotes(encoded, coverage(null), key)).toBeNull();
    expect(await restoreQuotes('garbage', coverage(text), key)).toBeNull();
  });

  it('refuses a reference this installation did not sign: one naming the whole article, or signed under another token', async () => {
    // What anyone who has read the article can write: the old unkeyed hash of the text, over the whole article.
    const whole = `niger-coup#0@0-${text.length.toString(36)}`;
    for (const length of [6, 8]) {
      const hash = createHash('sha256').update(text).digest('base64url').slice(0, length);
      expect(await restoreQuotes(`${hash}:${whole}`, coverage(text), key)).toBeNull();
    }
    const elsewhere = quoteRefKey('another-bot-token');
    expect(await restoreQuotes(encodeQuoteRefs(stored, 94, elsewhere)!, coverage(text), key)).toBeNull();
    // The same token gives the same key (every shard, every restart); a changed offset breaks the signature.
    expect(await restoreQuotes(encodeQuoteRefs(stored, 94, quoteRefKey('bot-token-of-this-install'))!, coverage(text), key)).not.toBeNull();
    const encoded = encodeQuoteRefs(stored, 94, key)!;
    expect(await restoreQuotes(encoded.replace(/@0-/, '@1-'), coverage(text), key)).toBeNull();
  });

  it('round-trips ids in any script ("статья", "新闻"), as file names without Latin letters give them', async () => {
    for (const id of ['статья', '新闻', 'समाचार']) {
      const renamed: StoredAnswer = {
        ...stored,
        quotes: stored.quotes.map((q, i) => ({ ...q, passageId: `${id}#${i}`, articleId: id, source: { ...source, id } })),
      };
      const over = (t: string) => ({
        quoteText: async (asked: string, start: number, end: number) => (asked === id ? t.slice(start, end) : undefined),
        source: async (asked: string) => (asked === id ? { ...source, id, dateline: null, opening: '', passages: 2 } : undefined),
      });
      const encoded = encodeQuoteRefs(renamed, 94, key);
      expect(encoded, id).not.toBeNull();
      expect((await restoreQuotes(encoded!, over(text), key))?.map((q) => q.articleId)).toEqual([id, id]);
    }
  });

  it('is left out when it would not fit, or when there are no quotes', () => {
    expect(encodeQuoteRefs(stored, 20, key)).toBeNull();
    expect(encodeQuoteRefs({ ...stored, quotes: [] }, 94, key)).toBeNull();
  });
});
