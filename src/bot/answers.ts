// The answers the bot has sent, kept by message id so their buttons (More context, Sources, 👍/👎) keep working after a
// refresh swaps the index: a bounded in-memory LRU, plus a compact reference in the buttons' custom ids when it fits,
// signed with this installation's key and checked against the live index before use (after a restart or eviction).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { numberCitations, type Answer, type Citation, type Coverage } from '../answer/index.js';

/** What a button needs of a quote, independent of any index: where it is, what it says, whom it cites. */
export interface StoredQuote {
  passageId: string;
  articleId: string;
  start: number;
  end: number;
  text: string;
  source: Citation;
}

export interface StoredAnswer {
  question: string;
  /** The answer had quotes (answered, or the closest coverage); its sources are numbered like its markers. */
  answered: boolean;
  quotes: StoredQuote[];
  /** The cited articles in marker order, or the closest articles when there was no answer. */
  sources: Citation[];
}

export function storedAnswer(answer: Answer): StoredAnswer {
  return {
    question: answer.question,
    answered: answer.quotes.length > 0,
    quotes: answer.quotes.map((q) => ({
      passageId: q.passageId,
      articleId: q.source.id,
      start: q.start,
      end: q.end,
      text: q.text,
      source: q.source,
    })),
    sources: answer.quotes.length > 0 ? numberCitations(answer).cited : answer.sources,
  };
}

/** A bounded memory: the last `capacity` entries, least recently used dropped first. */
export interface Memory<V> {
  remember(key: string, value: V): void;
  recall(key: string): V | undefined;
  readonly size: number;
}

export function lruMemory<V>(capacity: number): Memory<V> {
  const entries = new Map<string, V>();
  return {
    remember(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > capacity) entries.delete(entries.keys().next().value!);
    },
    recall(key) {
      const found = entries.get(key);
      if (found !== undefined) {
        entries.delete(key);
        entries.set(key, found);
      }
      return found;
    },
    get size() {
      return entries.size;
    },
  };
}

/** Answers by message id. */
export type AnswerMemory = Memory<StoredAnswer>;

// ---------- references in custom ids ----------

// Article ids are letters (any script, with their marks), digits, '_' and '-' (src/corpus/metadata.ts).
const PASSAGE_ID = /^[\p{L}\p{M}\p{N}_-]+#\d+$/u;

/** The key that signs quote references: bytes only this installation knows. */
export type QuoteRefKey = Buffer;

/**
 * The signing key, derived from the bot token (an HMAC of a fixed label under it, so the token itself is never the
 * key). Derived rather than random at start: every shard and every restart of the same bot then checks the buttons of
 * the others' answers, which is what the reference in the id is for; resetting the token retires the old buttons, as
 * it should when the token leaked. Without a token (no bot to click on) a random key serves.
 */
export function quoteRefKey(token: string | undefined): QuoteRefKey {
  if (!token) return randomBytes(32);
  return createHmac('sha256', token).update('coverage-bot quote references in button ids').digest();
}

// 8 base64url characters (restoreQuotes reads as many), 48 bits: each guess costs a Discord interaction, so forging one by trying is out of reach.
const MAC_LENGTH = 8;

/** The MAC of the references and the quotes they name: a forged reference, or one whose text changed, fails it. */
function quotesMac(key: QuoteRefKey, refs: string, quotes: readonly Pick<StoredQuote, 'text'>[]): string {
  return createHmac('sha256', key)
    .update(`${refs}\u0000${quotes.map((q) => q.text).join('\u0000')}`)
    .digest('base64url')
    .slice(0, MAC_LENGTH);
}

/**
 * "mac:passage@start-end,…" (offsets in base 36), or null when an id has unusual characters or the whole would not
 * leave a custom id within `room` characters.
 */
export function encodeQuoteRefs(answer: StoredAnswer, room: number, key: QuoteRefKey): string | null {
  if (answer.quotes.length === 0 || !answer.quotes.every((q) => PASSAGE_ID.test(q.passageId))) return null;
  const refs = answer.quotes.map((q) => `${q.passageId}@${q.start.toString(36)}-${q.end.toString(36)}`).join(',');
  const encoded = `${quotesMac(key, refs, answer.quotes)}:${refs}`;
  return encoded.length <= room ? encoded : null;
}

/**
 * The quotes an encoded reference names, rebuilt from the live coverage, or null if it is malformed, was not signed
 * with `key` (anyone can write a custom id naming a whole article), or the coverage no longer holds those exact quotes
 * (the article changed or was removed).
 */
export async function restoreQuotes(
  encoded: string,
  coverage: Pick<Coverage, 'quoteText' | 'source'>,
  key: QuoteRefKey,
): Promise<StoredQuote[] | null> {
  const match = /^([\w-]{8}):(.+)$/.exec(encoded);
  if (!match) return null;
  const quotes: StoredQuote[] = [];
  for (const ref of match[2]!.split(',')) {
    const parts = /^([\p{L}\p{M}\p{N}_-]+)#(\d+)@([0-9a-z]+)-([0-9a-z]+)$/u.exec(ref);
    if (!parts) return null;
    const articleId = parts[1]!;
    const start = parseInt(parts[3]!, 36);
    const end = parseInt(parts[4]!, 36);
    const text = end > start ? await coverage.quoteText(articleId, start, end) : undefined;
    const source = await coverage.source(articleId);
    if (text === undefined || !source) return null;
    quotes.push({ passageId: `${articleId}#${parts[2]}`, articleId, start, end, text, source });
  }
  return safeEqual(quotesMac(key, match[2]!, quotes), match[1]!) ? quotes : null;
}

/** Compared in constant time, so that the time a refusal takes says nothing about how much of a guess was right. */
function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
