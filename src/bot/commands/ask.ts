// /ask question [outlet] [since] [until] [private]: deferred at once, then the answer as an embed of verbatim, cited quotes
// with buttons (src/bot/answer-message.ts). Buttons' custom ids start with `ask:`, so those of channel answers land here too.
import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { z } from 'zod';
import { answerOptionsSchema, dateRangeProblem, type AnswerOptions } from '../../answer/index.js';
import { answerReply } from '../answer-message.js';
import { NO_PINGS, type BotContext } from '../context.js';
import { admit } from '../guards.js';
import { DISCORD_LIMITS } from '../limits.js';
import type { Outcome } from '../log.js';

// The answer's buttons (More context, Sources, 👍/👎) are handled with the answer message they belong to.
export { button } from '../answer-message.js';

export const QUESTION_MAX = 300;

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask the indexed news coverage a question; the answer quotes the articles word for word')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMinLength(3).setMaxLength(QUESTION_MAX))
  .addStringOption((o) => o.setName('outlet').setDescription('Only articles from this outlet').setMaxLength(60).setAutocomplete(true))
  .addStringOption((o) => o.setName('since').setDescription('Only articles published on or after this date (YYYY-MM-DD)').setMinLength(10).setMaxLength(10))
  .addStringOption((o) => o.setName('until').setDescription('Only articles published on or before this date (YYYY-MM-DD)').setMinLength(10).setMaxLength(10))
  .addBooleanOption((o) => o.setName('private').setDescription('Show the answer to you only'));

/** /ask's own options; outlet, since and until go through the CLI's answer options schema, so both read them alike. */
const askSchema = z.object({
  question: z.string().trim().min(3, 'the question is too short').max(QUESTION_MAX),
  private: z.boolean().default(false),
});

export type ParsedAsk = { ok: true; question: string; private: boolean; options: AnswerOptions } | { ok: false; message: string };

export function parseAsk(values: { question: string; outlet?: string; since?: string; until?: string; private?: boolean }): ParsedAsk {
  const own = askSchema.safeParse({ question: values.question, private: values.private });
  const options = answerOptionsSchema.safeParse({ outlet: values.outlet, since: values.since, until: values.until });
  const issue = own.error?.issues[0] ?? options.error?.issues[0];
  if (!own.success || !options.success) return { ok: false, message: `\`${issue?.path.join('.') ?? 'options'}\`: ${issue?.message ?? 'invalid'}` };
  const range = dateRangeProblem(options.data);
  if (range) return { ok: false, message: `\`since\`: ${range} (\`until\`)` };
  return { ok: true, question: own.data.question, private: own.data.private, options: options.data };
}

// ---------- the command ----------

function optionValues(interaction: ChatInputCommandInteraction) {
  return {
    question: interaction.options.getString('question', true),
    outlet: interaction.options.getString('outlet') ?? undefined,
    since: interaction.options.getString('since') ?? undefined,
    until: interaction.options.getString('until') ?? undefined,
    private: interaction.options.getBoolean('private') ?? undefined,
  };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<Outcome> {
  const parsed = parseAsk(optionValues(interaction));
  if (!parsed.ok) {
    await interaction.reply({ content: parsed.message, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return 'invalid';
  }
  const { question, private: ephemeral, options } = parsed;
  // Before deferring, so that the explanation (a UserError) is shown to the asker only.
  if (options.outlet) await ctx.coverage().requireOutlet(options.outlet);
  const admission = admit(ctx.allowance, ctx.answering, interaction.user.id);
  if (!admission.ok) {
    await interaction.reply({ content: admission.message, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    return admission.outcome;
  }
  try {
    // Discord drops an interaction not acknowledged within 3 s: acknowledge first, answer after.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    const answer = await ctx.coverage().answer(question, options);
    const { embeds, components, stored } = answerReply(answer, ctx.quoteRefKey);
    const message = await interaction.editReply({ embeds, components, allowedMentions: NO_PINGS });
    ctx.answers.remember(message.id, stored);
    return answer.answered ? 'answered' : 'no-answer';
  } finally {
    admission.release();
  }
}

/** Outlet names of the indexed articles matching what the user typed. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<Outcome> {
  const typed = interaction.options.getFocused().toLowerCase();
  const outlets = new Set<string>();
  for (const s of await ctx.coverage().sources()) if (s.outlet && s.outlet.toLowerCase().includes(typed)) outlets.add(s.outlet);
  const choices = [...outlets]
    .sort()
    .filter((o) => o.length <= DISCORD_LIMITS.choiceValue)
    .slice(0, DISCORD_LIMITS.choices)
    .map((o) => ({ name: o, value: o }));
  await interaction.respond(choices);
  return 'ok';
}
