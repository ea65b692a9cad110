// Discord formatter over the Answer: the quotes as quotations with [n] markers (the answering span in bold), the cited
// articles as a sources section, a footer saying how to look sources up; all markdown-escaped and inside Discord's limits.
import { escapeMarkdown, type APIEmbed, type APIEmbedField } from 'discord.js';
import { type Answer, type Citation, citationLine, CLOSEST_LABEL, noAnswerText, numberCitations, type Quote } from '../answer/index.js';
import { printableText } from '../printable.js';
import { withoutMaskedLinks } from '../corpus/index.js';
import { DISCORD_LIMITS, cutText, fitEmbeds, splitText, trimText } from './limits.js';

export const COLOURS = { answer: 0x2f6fb3, noAnswer: 0x8a8f98, info: 0x4a8f5b, warning: 0xc27c0e, error: 0xb3362f } as const;

/** Article text shown as typed: every markdown character escaped, so an article cannot add formatting or links. */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
}

/**
 * Text the bot echoes as an embed title or a thread name (a question, an article title), reduced to plain words:
 * masked links keep only their text, user, role and channel mentions go, @everyone and @here lose the @, escape
 * sequences, control and invisible formatting characters (the right-to-left override U+202E, zero-width spaces and
 * joiners, other bidi controls) are removed (printableText, as in the terminal, then the rest of Cf), and line breaks
 * become spaces, so that a title can neither ping, nor link, nor read differently from what it holds.
 */
export function plainLabel(text: string): string {
  const visible = printableText(text).replace(/[\p{Cf}]/gu, '').replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, ' ');
  return withoutMaskedLinks(visible)
    .replace(/<(?:@[!&]?|#)\d+>/g, '')
    .replace(/@(everyone|here)\b/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A link Discord shows without a preview. */
export function quietLink(url: string): string {
  return `<${url.replace(/[<>\s]/g, encodeURIComponent)}>`;
}

/** One source as a list entry: "[1] Outlet · date · Title", the link and the id to look it up with. */
export function sourceEntry(c: Citation, marker?: number): string {
  const head = `${marker !== undefined ? `**[${marker}]** ` : '• '}${escapeText(citationLine(c))}`;
  const tail = [c.url ? quietLink(c.url) : null, `\`${c.id}\``].filter(Boolean).join(' · ');
  // The title is what gives way when one entry alone is too long for a field.
  const room = DISCORD_LIMITS.fieldValue - tail.length - 1;
  return `${head.length > room ? trimText(head, room) : head}\n${tail}`;
}

/** Entries packed into as few fields of at most 1,024 characters as fit, the first named `name`. */
export function listFields(name: string, entries: string[]): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let value = '';
  const flush = () => {
    if (value) fields.push({ name: fields.length === 0 ? name : `${name} (continued)`, value });
    value = '';
  };
  for (const entry of entries) {
    for (const piece of entry.length > DISCORD_LIMITS.fieldValue ? splitText(entry, DISCORD_LIMITS.fieldValue) : [entry]) {
      if (value && value.length + 1 + piece.length > DISCORD_LIMITS.fieldValue) flush();
      value = value ? `${value}\n${piece}` : piece;
    }
  }
  flush();
  return fields;
}

/** Markdown for a quote's text within `room` characters: verbatim, escaped, its answering span in bold, cut with "…". */
export function quoteMarkdown(text: string, span: Quote['answerSpan'], room: number): string {
  let allowed = room;
  for (let attempt = 0; attempt < 8; attempt++) {
    const { kept, suffix } = cutText(text, Math.max(1, allowed));
    let body: string;
    const spanEnd = span ? Math.min(span.end, kept.length) : 0;
    if (span && span.start < spanEnd) {
      body = `${escapeText(kept.slice(0, span.start))}**${escapeText(kept.slice(span.start, spanEnd))}**${escapeText(kept.slice(spanEnd))}`;
    } else body = escapeText(kept);
    const rendered = body + suffix;
    if (rendered.length <= room || allowed <= 1) return rendered;
    // Escapes and bold markers took room: cut the source text shorter by the overshoot and render again.
    allowed -= rendered.length - room;
  }
  return escapeText(trimText(text, Math.max(1, Math.floor(room / 2))));
}

function quoteBlock(quote: Quote, room: number, markerOf: (id: string) => number): string {
  const marker = ` [${markerOf(quote.source.id)}]`;
  const outlets = quote.corroboration.map((c) => `${escapeText(c.source.outlet ?? c.source.title)} [${markerOf(c.source.id)}]`).join(', ');
  const others = outlets ? `\n*also reported by ${trimText(outlets, 300)}*` : '';
  const lineBreaks = (quote.text.match(/\n/g) ?? []).length;
  const overhead = '> “'.length + '”'.length + marker.length + others.length + 2 * lineBreaks;
  const text = quoteMarkdown(quote.text, quote.answerSpan, Math.max(40, room - overhead));
  // Every line of a multi-line quote stays inside the quotation.
  return `> “${text.replace(/\n/g, '\n> ')}”${marker}${others}`;
}

/** Splits `total` characters between pieces of the given lengths: short pieces take what they need, long ones share the rest. */
export function shareRoom(lengths: number[], total: number): number[] {
  const rooms = new Array<number>(lengths.length).fill(0);
  let left = total;
  const order = lengths.map((n, i) => ({ n, i })).sort((a, b) => a.n - b.n);
  order.forEach(({ n, i }, k) => {
    const fair = Math.floor(left / (order.length - k));
    rooms[i] = Math.min(n, fair);
    left -= rooms[i]!;
  });
  return rooms;
}

const ANSWER_FOOTER = 'Quotes are verbatim from the cited articles. Look an article up with /source id, or press Sources; More context shows the paragraph around each quote.';
const NO_ANSWER_FOOTER = 'Try rephrasing the question, or list what is indexed with /sources.';

/** The embed for an answer (or for the coverage not answering), inside every Discord limit. */
export function answerEmbed(answer: Answer): APIEmbed {
  const title = trimText(escapeText(plainLabel(answer.question)) || 'Question', DISCORD_LIMITS.embedTitle);
  if (answer.quotes.length === 0) {
    const fields = answer.sources.length > 0 ? listFields('Closest articles', answer.sources.map((s) => sourceEntry(s))) : [];
    return fitEmbeds([{ title, description: escapeText(plainLabel(noAnswerText(answer))), color: COLOURS.noAnswer, fields, footer: { text: NO_ANSWER_FOOTER } }])[0]!;
  }
  const { cited, markerOf } = numberCitations(answer);
  const fields = listFields('Sources', cited.map((c, i) => sourceEntry(c, i + 1)));
  const fixed = title.length + ANSWER_FOOTER.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const label = answer.outcome === 'closest' ? CLOSEST_LABEL.length + 8 : 0;
  const room = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedsTotal - fixed) - 2 * answer.quotes.length - label;
  // Each quote gets its fair share of the description; markup roughly doubles at worst, so shares are of the raw text.
  const rooms = shareRoom(
    answer.quotes.map((q) => q.text.length + 60 + q.corroboration.length * 40),
    Math.max(200, room),
  );
  const quotes = answer.quotes.map((q, i) => quoteBlock(q, rooms[i]!, markerOf)).join('\n\n');
  if (answer.outcome === 'closest') {
    const description = `*${escapeText(CLOSEST_LABEL)}*\n\n${quotes}`;
    return fitEmbeds([{ title, description, color: COLOURS.noAnswer, fields, footer: { text: ANSWER_FOOTER } }])[0]!;
  }
  return fitEmbeds([{ title, description: quotes, color: COLOURS.answer, fields, footer: { text: ANSWER_FOOTER } }])[0]!;
}
