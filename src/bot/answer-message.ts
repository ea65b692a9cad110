// The answer message, shared by /ask and channel questions: its embed, its buttons (More context, Sources, 👍/👎) and
// what they do. A button finds its answer in the answer memory, or rebuilds the quotes from the reference in its custom
// id when this bot signed it and the live coverage still holds them word for word; More context shows a window of
// each quote's paragraph, never a whole article.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, type APIEmbed, type ButtonInteraction } from 'discord.js';
import { citationLine, type Answer, type Citation } from '../answer/index.js';
import { encodeQuoteRefs, restoreQuotes, storedAnswer, type QuoteRefKey, type StoredAnswer, type StoredQuote } from './answers.js';
import { NO_PINGS, type BotContext } from './context.js';
import { appendFeedback, voterPseudonym } from './feedback.js';
import { COLOURS, answerEmbed, escapeText, listFields, sourceEntry } from './format.js';
import { DISCORD_LIMITS, excerptAround, fitEmbeds, trimText } from './limits.js';
import type { Outcome } from './log.js';

const ACTIONS = { context: 'c', sources: 's', up: 'u', down: 'd' } as const;

function answerButtons(stored: StoredAnswer, key: QuoteRefKey): ActionRowBuilder<ButtonBuilder> {
  // `ask:x:` before the reference; without room for it the buttons rely on the answer memory alone.
  const refs = encodeQuoteRefs(stored, DISCORD_LIMITS.customId - 'ask:x:'.length, key);
  const id = (action: string) => (refs ? `ask:${action}:${refs}` : `ask:${action}`);
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (stored.quotes.length > 0) row.addComponents(new ButtonBuilder().setCustomId(id(ACTIONS.context)).setLabel('More context').setStyle(ButtonStyle.Secondary));
  if (stored.sources.length > 0) row.addComponents(new ButtonBuilder().setCustomId(id(ACTIONS.sources)).setLabel('Sources').setStyle(ButtonStyle.Secondary));
  row.addComponents(
    new ButtonBuilder().setCustomId(id(ACTIONS.up)).setEmoji('👍').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(id(ACTIONS.down)).setEmoji('👎').setStyle(ButtonStyle.Secondary),
  );
  return row;
}

/** The message for an answer: its embed, its buttons, and what to remember for the buttons. */
export function answerReply(answer: Answer, key: QuoteRefKey): { embeds: APIEmbed[]; components: ActionRowBuilder<ButtonBuilder>[]; stored: StoredAnswer } {
  const stored = storedAnswer(answer);
  return { embeds: [answerEmbed(answer)], components: [answerButtons(stored, key)], stored };
}

// ---------- the buttons ----------

/** The answer a button belongs to: from memory, else rebuilt from the reference in its custom id if the index still holds those quotes. */
async function answerOf(interaction: ButtonInteraction, ctx: BotContext, encoded: string): Promise<StoredAnswer | undefined> {
  const remembered = ctx.answers.recall(interaction.message.id);
  if (remembered) return remembered;
  const coverage = ctx.coverage();
  const quotes = encoded ? await restoreQuotes(encoded, coverage, ctx.quoteRefKey) : null;
  if (!quotes) return undefined;
  const sources: Citation[] = [];
  for (const q of quotes) if (!sources.some((s) => s.id === q.source.id)) sources.push(q.source);
  const restored: StoredAnswer = { question: interaction.message.embeds[0]?.title ?? '', answered: true, quotes, sources };
  ctx.answers.remember(interaction.message.id, restored);
  return restored;
}

/** The paragraph around a quote from the live index, if the article still reads the same there. */
async function paragraphOf(quote: StoredQuote, ctx: BotContext): Promise<{ text: string; at: number } | null> {
  const paragraph = await ctx.coverage().context(quote.articleId, quote.start, quote.end);
  const at = paragraph?.indexOf(quote.text) ?? -1;
  return paragraph && at >= 0 ? { text: paragraph, at } : null;
}

/**
 * The most article text one quote's context shows, the quote included: a few sentences either side. An article
 * without line breaks is one "paragraph"; the button shows a window around the quote, never the whole article.
 */
export const CONTEXT_WINDOW_CHARS = 800;

/** The paragraph markdown with the quote in bold, within `room` characters and the context window. */
async function contextMarkdown(quote: StoredQuote, ctx: BotContext, room: number): Promise<string> {
  const found = await paragraphOf(quote, ctx);
  if (!found) {
    const note = '*The article has changed or left the index since this answer; the quote as it was:*\n';
    return note + `> ${escapeText(trimText(quote.text, Math.min(CONTEXT_WINDOW_CHARS, Math.floor((room - note.length) / 2))))}`;
  }
  let allowed = Math.min(room, CONTEXT_WINDOW_CHARS);
  for (let attempt = 0; attempt < 6; attempt++) {
    const excerpt = excerptAround(found.text, found.at, found.at + quote.text.length, Math.max(80, allowed));
    const at = excerpt.indexOf(quote.text);
    const body =
      at >= 0
        ? `${escapeText(excerpt.slice(0, at))}**${escapeText(quote.text)}**${escapeText(excerpt.slice(at + quote.text.length))}`
        : escapeText(excerpt);
    const rendered = `> ${body.replace(/\n/g, '\n> ')}`;
    if (rendered.length <= room || allowed <= 80) return rendered;
    allowed -= rendered.length - room;
  }
  return `> ${escapeText(trimText(quote.text, Math.floor(room / 2)))}`;
}

async function contextEmbed(stored: StoredAnswer, ctx: BotContext): Promise<APIEmbed> {
  const markerOf = (id: string) => stored.sources.findIndex((s) => s.id === id) + 1;
  const headers = stored.quotes.map((q) => `**[${markerOf(q.source.id)}] ${escapeText(trimText(citationLine(q.source), 200))}**\n`);
  const room = DISCORD_LIMITS.embedDescription - 100 - headers.reduce((n, h) => n + h.length + 2, 0);
  const share = Math.floor(room / Math.max(1, stored.quotes.length));
  const paragraphs = await Promise.all(stored.quotes.map((q) => contextMarkdown(q, ctx, share)));
  const description = stored.quotes.map((q, i) => headers[i]! + paragraphs[i]!).join('\n\n');
  return fitEmbeds([{ title: 'More context', description, color: COLOURS.answer, footer: { text: `The paragraph around each quote (at most ${CONTEXT_WINDOW_CHARS.toLocaleString('en')} characters of it), the quote in bold.` } }])[0]!;
}

function sourcesEmbed(stored: StoredAnswer): APIEmbed {
  const entries = stored.sources.map((s, i) => {
    const entry = sourceEntry(s, stored.answered ? i + 1 : undefined);
    return s.byline ? `${entry}\n${escapeText(trimText(s.byline, 200))}` : entry;
  });
  const title = stored.answered ? 'Sources of this answer' : 'Closest articles';
  return fitEmbeds([{ title, color: COLOURS.info, fields: listFields('Articles', entries), footer: { text: 'Look an article up with /source id.' } }])[0]!;
}

export async function button(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<Outcome> {
  const [action, ...rest] = args;
  const stored = await answerOf(interaction, ctx, rest.join(':'));
  if (!stored) {
    await interaction.reply({
      content: 'This answer is older than the bot remembers, or its articles changed since. Ask again with /ask.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return 'not-found';
  }
  switch (action) {
    case ACTIONS.context:
      await interaction.reply({ embeds: [await contextEmbed(stored, ctx)], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return 'ok';
    case ACTIONS.sources:
      await interaction.reply({ embeds: [sourcesEmbed(stored)], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return 'ok';
    case ACTIONS.up:
    case ACTIONS.down: {
      const vote = action === ACTIONS.up ? 'up' : 'down';
      await appendFeedback(ctx.config.FEEDBACK_LOG, {
        time: new Date().toISOString(),
        question: stored.question,
        passages: stored.quotes.map((q) => q.passageId),
        user: await voterPseudonym(ctx.config.FEEDBACK_LOG, interaction.user.id),
        vote,
        message: interaction.message.id,
      });
      await interaction.reply({
        content: `Thanks: your ${vote === 'up' ? '👍' : '👎'} is recorded and helps improve the answers.`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_PINGS,
      });
      return 'ok';
    }
    default:
      await interaction.reply({ content: 'That button is no longer supported.', flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return 'invalid';
  }
}
