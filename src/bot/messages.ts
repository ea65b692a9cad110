// Questions asked in channels: in ASK_CHANNEL_IDS, or anywhere the bot is mentioned, a message that reads as a question
// is answered in a new thread named after it; a follow-up in that thread is answered with its first question as context.
import { ThreadAutoArchiveDuration, type Message, type SendableChannels } from 'discord.js';
import type { AnswerOptions } from '../answer/index.js';
import { answerReply } from './answer-message.js';
import { NO_PINGS, type BotContext } from './context.js';
import { plainLabel } from './format.js';
import { admit } from './guards.js';
import { isUserError } from '../errors.js';
import { DISCORD_LIMITS, fitContent, trimText } from './limits.js';
import { newErrorId, userHash, type Outcome } from './log.js';

const QUESTION_OPENERS = new Set([
  'who', 'whom', 'whose', 'what', 'when', 'where', 'which', 'why', 'how',
  'is', 'are', 'was', 'were', 'am', 'do', 'does', 'did', 'can', 'could', 'will', 'would', 'should', 'shall',
  'has', 'have', 'had', 'may', 'might', 'must', "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't",
  "can't", "couldn't", "won't", "wouldn't", "shouldn't", "hasn't", "haven't", "hadn't",
]);

/**
 * Whether a message reads as a question: it ends with a question mark (closing quotes or brackets after it allowed), or
 * it has at least three words and starts with a wh-word or an auxiliary verb ("Who…", "Did…", "How many…").
 */
export function readsAsQuestion(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  if (/[?？]["'”’)\]]*$/.test(trimmed)) return true;
  const words = trimmed.split(/\s+/);
  if (words.length < 3) return false;
  const first = words[0]!.toLowerCase().replace(/’/g, "'").replace(/[^a-z']/g, '');
  return QUESTION_OPENERS.has(first) || QUESTION_OPENERS.has(first.replace(/'s$/, ''));
}

/** The message text without mentions of the bot, on one line. */
export function questionText(content: string, botId: string): string {
  return content
    .replace(new RegExp(`<@!?${botId}>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A thread name for a question: plain words on one line (see plainLabel), at most 100 characters, cut between words. */
export function threadName(question: string): string {
  return trimText(plainLabel(question) || 'Question', DISCORD_LIMITS.threadName);
}

/** The first question of a thread the bot opened, or null if the thread is not one of the bot's question threads. */
async function threadQuestion(message: Message<true>, ctx: BotContext): Promise<string | null> {
  const channel = message.channel;
  if (!channel.isThread()) return null;
  const known = ctx.threads.recall(channel.id);
  if (known) return known;
  if (channel.ownerId !== message.client.user.id) return null;
  // Not remembered (the bot restarted): the thread's starter message is the question it was opened for.
  const starter = await channel.fetchStarterMessage().catch(() => null);
  if (!starter) return null;
  const question = questionText(starter.content, message.client.user.id);
  if (question) ctx.threads.remember(channel.id, question);
  return question || null;
}

async function answerMessage(message: Message<true>, question: string, context: string | null, ctx: BotContext): Promise<Outcome> {
  const admission = admit(ctx.allowance, ctx.answering, message.author.id);
  if (!admission.ok) {
    await message.reply({ content: admission.message, allowedMentions: NO_PINGS });
    return admission.outcome;
  }
  try {
    // Open the thread first, so "typing…" shows where the answer will appear.
    let target: SendableChannels = message.channel;
    let replyTo: Message | null = message;
    if (!message.channel.isThread()) {
      try {
        target = await message.startThread({ name: threadName(question), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
        ctx.threads.remember(target.id, question);
        replyTo = null;
      } catch (error) {
        // No permission to create threads here: answer as a plain reply instead.
        ctx.log.warn({ err: error, channel: message.channelId }, 'could not start a thread; replying in the channel');
      }
    }
    await target.sendTyping().catch(() => {});
    const options: AnswerOptions = context ? { context } : {};
    const answer = await ctx.coverage().answer(question, options);
    const { embeds, components, stored } = answerReply(answer, ctx.quoteRefKey);
    const sent = replyTo
      ? await replyTo.reply({ embeds, components, allowedMentions: NO_PINGS })
      : await target.send({ embeds, components, allowedMentions: NO_PINGS });
    ctx.answers.remember(sent.id, stored);
    return answer.answered ? 'answered' : 'no-answer';
  } finally {
    admission.release();
  }
}

/** Handles one message: answers it if it is a question for the bot, ignores it otherwise. Logs one line per question. */
export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  if (message.author.bot || message.system || !message.inGuild()) return;
  const botId = message.client.user.id;
  const started = performance.now();
  let outcome: Outcome = 'ignored';
  let errorId: string | undefined;
  try {
    const mentioned = message.mentions.users.has(botId);
    const context = await threadQuestion(message, ctx);
    const inAskChannel = ctx.config.ASK_CHANNEL_IDS.includes(message.channelId);
    if (!mentioned && !inAskChannel && context === null) return;
    const question = questionText(message.content, botId);
    if (!question) {
      if (mentioned) {
        await message.reply({ content: 'Ask me a question about the news coverage, e.g. “@me Who leads the new government?”, or use /ask.', allowedMentions: NO_PINGS });
        outcome = 'invalid';
      }
      return;
    }
    // A mention always counts as a question; elsewhere only what reads as one is answered.
    if (!mentioned && !readsAsQuestion(question)) return;
    outcome = await answerMessage(message, question, context, ctx);
  } catch (error) {
    let content: string;
    if (isUserError(error)) {
      outcome = 'invalid';
      content = error.message;
    } else {
      outcome = 'error';
      errorId = newErrorId();
      ctx.log.error({ err: error, errorId }, 'channel question failed');
      content = `Sorry, something went wrong answering that (error id ${errorId}).`;
    }
    await message.reply({ content: fitContent(content), allowedMentions: NO_PINGS }).catch(() => {});
  } finally {
    if (outcome !== 'ignored') {
      ctx.log.info(
        { event: 'message', user: userHash(message.author.id), latencyMs: Math.round(performance.now() - started), outcome, errorId },
        'channel question',
      );
    }
  }
}
