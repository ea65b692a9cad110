// The answers the bot has sent, kept by message id so their buttons (More context, Sources, 👍/👎) keep working after a
// refresh swaps the index: a bounded in-memory LRU, plus a compact reference in the buttons' custom ids when it fits,
// checked against the live index before use (after a restart or eviction).
import { createHash } from 'node:crypto';
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

function quotesHash(quotes: readonly Pick<StoredQuote, 'text'>[]): string {
  return createHash('sha256')
    .update(quotes.map((q) => q.text).join('\u0000'))
    .digest('base64url')
    .slice(0, 6);
}

/**
 * "hash:passage@start-end,…" (offsets in base 36), or null when an id has unusual characters or the whole would not
 * leave a custom id within `room` characters.
 */
export function encodeQuoteRefs(answer: StoredAnswer, room: number): string | null {
  if (answer.quotes.length === 0 || !answer.quotes.every((q) => PASSAGE_ID.test(q.passageId))) return null;
  const refs = answer.quotes.map((q) => `${q.passageId}@${q.start.toString(36)}-${q.end.toString(36)}`).join(',');
  const encoded = `${quotesHash(answer.quotes)}:${refs}`;
  return encoded.length <= room ? encoded : null;
}

/**
 * The quotes an encoded reference names, rebuilt from the live coverage, or null if it is malformed or the coverage no
 * longer holds those exact quotes (the article changed or was removed).
 */
export function restoreQuotes(encoded: string, coverage: Pick<Coverage, 'quoteText' | 'source'>): StoredQuote[] | null {
  const match = /^([\w-]{6}):(.+)$/.exec(encoded);
  if (!match) return null;
  const quotes: StoredQuote[] = [];
  for (const ref of match[2]!.split(',')) {
    const parts = /^([\p{L}\p{M}\p{N}_-]+)#(\d+)@([0-9a-z]+)-([0-9a-z]+)$/u.exec(ref);
    if (!parts) return null;
    const articleId = parts[1]!;
    const start = parseInt(parts[3]!, 36);
    const end = parseInt(parts[4]!, 36);
    const text = end > start ? coverage.quoteText(articleId, start, end) : undefined;
    const source = coverage.source(articleId);
    if (text === undefined || !source) return null;
    quotes.push({ passageId: `${articleId}#${parts[2]}`, articleId, start, end, text, source });
  }
  return quotesHash(quotes) === match[1] ? quotes : null;
}
