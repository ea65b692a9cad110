// Discord's size limits and the text fitting that keeps everything the bot sends inside them: long text is trimmed or
// split at a sentence boundary (else between words) with a visible "…", never mid-word.
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { splitSentences } from '../text/index.js';

export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Characters of every embed of one message together. */
  embedsTotal: 6000,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
} as const;

export const ELLIPSIS = '…';

/** A cut keeps at least this share of the room at a sentence boundary; a shorter keep cuts between words instead. */
const SENTENCE_SHARE = 0.5;

interface Cut {
  /** Characters of the text kept. */
  at: number;
  /** Whether the cut falls between sentences (else between words, or inside an over-long word). */
  sentence: boolean;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Where to cut `text` so at most `room` characters are kept: the last sentence end, else the last space, within room. */
function cutPoint(text: string, room: number, dropDangling = true): Cut {
  if (room <= 0) return { at: 0, sentence: false };
  // Paragraph breaks and sentence ends; the sentence splitter knows abbreviations ("U.S.") are not ends.
  let best = 0;
  for (const span of splitSentences(text)) {
    if (span.end > room) break;
    best = span.end;
  }
  if (best > 0 && best >= room * SENTENCE_SHARE) return { at: best, sentence: true };
  const window = text.slice(0, room + 1);
  const space = window.search(/\s\S*$/);
  if (space > 0) {
    // Drop the separator left dangling before the cut ("words, …" reads as "words…").
    let at = space;
    while (at > 0 && (dropDangling ? /[\s,;:–—-]/ : /\s/).test(text[at - 1]!)) at--;
    if (at > 0) return { at, sentence: false };
  }
  // One word longer than the room: nothing to do but cut it, at least not inside a surrogate pair.
  const at = isHighSurrogate(text.charCodeAt(room - 1)) ? room - 1 : room;
  return { at, sentence: false };
}

export interface Trimmed {
  /** The kept beginning of the text, verbatim. */
  kept: string;
  /** What is appended to show the text goes on ('' when nothing was cut). */
  suffix: string;
}

/** Cuts `text` to fit `max` characters with its ellipsis, returning the kept part and the suffix separately. */
export function cutText(text: string, max: number): Trimmed {
  if (text.length <= max) return { kept: text, suffix: '' };
  if (max < 2) return { kept: '', suffix: ELLIPSIS.slice(0, Math.max(0, max)) };
  // " …" after a whole sentence, "…" right after a word.
  const cut = cutPoint(text, max - 2);
  if (cut.sentence) return { kept: text.slice(0, cut.at), suffix: ` ${ELLIPSIS}` };
  const wordCut = cutPoint(text, max - 1);
  return { kept: text.slice(0, wordCut.at).trimEnd(), suffix: ELLIPSIS };
}

/** `text` if it fits in `max` characters, else its beginning cut at a sentence (or word) boundary with "…". */
export function trimText(text: string, max: number): string {
  const { kept, suffix } = cutText(text, max);
  return kept + suffix;
}

/** The end of `text` in at most `max` characters, cut at a sentence (or word) start, with a leading "…". */
export function trimTextStart(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 2) return ELLIPSIS.slice(0, Math.max(0, max));
  const room = max - 2;
  const from = text.length - room;
  const starts = splitSentences(text).map((s) => s.start);
  const sentenceStart = starts.find((s) => s >= from);
  if (sentenceStart !== undefined && text.length - sentenceStart >= room * SENTENCE_SHARE) {
    return `${ELLIPSIS} ${text.slice(sentenceStart)}`;
  }
  const tail = text.slice(from - 1);
  const space = tail.search(/\s/);
  if (space >= 0 && space < tail.length - 1) return `${ELLIPSIS}${tail.slice(space).trimStart()}`;
  return `${ELLIPSIS}${text.slice(text.length - (max - 1))}`;
}

/**
 * A window of at most `max` characters of `text` that holds [start, end) (the quote), widened on both sides as far
 * as it fits and cut at sentence or word boundaries with "…".
 */
export function excerptAround(text: string, start: number, end: number, max: number): string {
  if (text.length <= max) return text;
  const quote = text.slice(start, end);
  if (quote.length >= max) return trimText(text.slice(start), max);
  let spare = max - quote.length;
  const before = text.slice(0, start);
  const after = text.slice(end);
  // Give each side half; a side needing less leaves the rest to the other.
  let beforeRoom = Math.min(before.length, Math.floor(spare / 2));
  const afterRoom = Math.min(after.length, spare - beforeRoom);
  spare -= afterRoom;
  beforeRoom = Math.min(before.length, spare);
  return trimTextStart(before, beforeRoom) + quote + trimText(after, afterRoom);
}

/**
 * `text` as pieces of at most `max` characters, split at line breaks, else sentence ends, else between words; a piece
 * split between words ends with "…" and the next starts with one.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 4) throw new Error('splitText needs room for at least a few characters');
  const pieces: string[] = [];
  let rest = text.trim();
  let continued = false;
  while (rest) {
    const prefix = continued ? ELLIPSIS : '';
    if (prefix.length + rest.length <= max) {
      pieces.push(prefix + rest);
      break;
    }
    const room = max - prefix.length;
    const newline = rest.lastIndexOf('\n', room);
    let at: number;
    let wordCut = false;
    if (newline >= room * SENTENCE_SHARE) at = newline;
    else {
      // Splitting loses nothing: a comma before the cut stays with its word.
      const cut = cutPoint(rest, room - 1, false);
      at = cut.at;
      wordCut = !cut.sentence;
    }
    if (at <= 0) at = room - 1;
    pieces.push(prefix + rest.slice(0, at).trimEnd() + (wordCut ? ELLIPSIS : ''));
    rest = rest.slice(at).trim();
    continued = wordCut;
  }
  return pieces;
}

/** Characters Discord counts toward the 6,000 of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function fitField(field: APIEmbedField): APIEmbedField {
  return { ...field, name: trimText(field.name, DISCORD_LIMITS.fieldName) || '\u200b', value: trimText(field.value, DISCORD_LIMITS.fieldValue) || '\u200b' };
}

function fitEmbed(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = trimText(fitted.title, DISCORD_LIMITS.embedTitle);
  if (fitted.description !== undefined) fitted.description = trimText(fitted.description, DISCORD_LIMITS.embedDescription);
  if (fitted.footer) fitted.footer = { ...fitted.footer, text: trimText(fitted.footer.text, DISCORD_LIMITS.footerText) };
  if (fitted.author) fitted.author = { ...fitted.author, name: trimText(fitted.author.name, DISCORD_LIMITS.authorName) };
  if (fitted.fields) {
    const fields = fitted.fields.map(fitField);
    if (fields.length > DISCORD_LIMITS.embedFields) {
      const dropped = fields.length - DISCORD_LIMITS.embedFields + 1;
      fields.splice(DISCORD_LIMITS.embedFields - 1, dropped, { name: ELLIPSIS, value: `${dropped} more not shown` });
    }
    fitted.fields = fields;
  }
  return fitted;
}

/**
 * The embeds of one message inside every Discord limit: each part trimmed to its own limit, at most 10 embeds, and
 * together at most 6,000 characters (the longest description is trimmed first, then trailing fields are dropped).
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, DISCORD_LIMITS.embeds).map(fitEmbed);
  for (;;) {
    const over = fitted.reduce((n, e) => n + embedLength(e), 0) - DISCORD_LIMITS.embedsTotal;
    if (over <= 0) return fitted;
    const longest = fitted.reduce<APIEmbed | null>(
      (best, e) => ((e.description?.length ?? 0) > (best?.description?.length ?? 0) ? e : best),
      null,
    );
    if (longest?.description && longest.description.length > over + 200) {
      longest.description = trimText(longest.description, longest.description.length - over);
      continue;
    }
    const withFields = [...fitted].reverse().find((e) => (e.fields?.length ?? 0) > 0);
    if (withFields?.fields) {
      withFields.fields = withFields.fields.slice(0, -1);
      continue;
    }
    if (longest?.description) {
      longest.description = trimText(longest.description, Math.max(1, longest.description.length - over));
      continue;
    }
    // Only titles and footers left over the limit: drop the last embed.
    fitted.pop();
  }
}

/** Message content inside 2,000 characters. */
export function fitContent(content: string): string {
  return trimText(content, DISCORD_LIMITS.content);
}
