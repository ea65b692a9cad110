// /status: when the index was built, its article and passage counts, the model, and how long the bot has been up.
import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  time,
  type APIEmbed,
  type APIEmbedField,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { type IndexStatus, type SourceProblem, sourceProblemText } from '../../answer/index.js';
import { NO_PINGS, type BotContext } from '../context.js';
import { COLOURS, escapeText, listFields } from '../format.js';
import { fitEmbeds } from '../limits.js';
import type { Outcome } from '../log.js';
import { formatMoment } from '../../wording.js';

export const data = new SlashCommandBuilder()
  .setName('status')
  .setDescription("The index's build time, size and model, and the bot's uptime")
  .setContexts(InteractionContextType.Guild);

/** "3 d 4 h", "2 h 5 min", "42 s". */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

export function statusEmbed(
  status: IndexStatus,
  runtime: ReturnType<BotContext['runtime']>,
  uptimeMs: number,
  problems: readonly SourceProblem[] = [],
): APIEmbed {
  const built = new Date(status.builtAt);
  const fields: APIEmbedField[] = [
    { name: 'Index built', value: Number.isNaN(built.getTime()) ? status.builtAt : `${formatMoment(status.builtAt)} (${time(built, 'R')})`, inline: false },
    { name: 'Articles', value: String(status.articles), inline: true },
    { name: 'Passages', value: String(status.passages), inline: true },
    { name: 'Model', value: `${status.model} (${status.dimensions} dimensions)`, inline: false },
    { name: 'Uptime', value: formatDuration(uptimeMs), inline: true },
    { name: 'Refresh', value: runtime.refreshing ? 'running' : 'idle', inline: true },
    { name: 'Channel questions', value: runtime.messageContent ? 'on (Message Content intent)' : 'mentions only (no Message Content intent)', inline: false },
  ];
  if (runtime.shards) fields.push({ name: 'Shard', value: `${runtime.shards.join(', ')} of ${runtime.shardCount ?? '?'}`, inline: true });
  if (problems.length > 0) {
    // Quotes from these files are being dropped: the moderator who looks here is the one who can run /refresh.
    fields.push(...listFields('Source files out of date', problems.map((p) => `\`${p.file.replace(/`/g, "'")}\` ${escapeText(sourceProblemText(p))}`)));
  }
  return fitEmbeds([{ title: 'coverage-bot status', color: COLOURS.info, fields }])[0]!;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<Outcome> {
  const coverage = ctx.coverage();
  const embed = statusEmbed(coverage.status(), ctx.runtime(), Date.now() - ctx.startedAt, coverage.sourceProblems());
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  return 'ok';
}
