// /sources [outlet]: the indexed articles, ten a page, with Previous/Next buttons that page through the live index.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type APIEmbed,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { z } from 'zod';
import { countOf } from '../../wording.js';
import { citationLine, type SourceSummary } from '../../answer/index.js';
import { NO_PINGS, type BotContext } from '../context.js';
import { COLOURS, escapeText, plainLabel } from '../format.js';
import { fitEmbeds, trimText } from '../limits.js';
import type { Outcome } from '../log.js';
import { autocomplete as outletAutocomplete } from './ask.js';

export const PAGE_SIZE = 10;
const OUTLET_MAX = 60;

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the indexed articles')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('outlet').setDescription('Only articles from this outlet').setMaxLength(OUTLET_MAX).setAutocomplete(true));

const outletSchema = z.string().trim().max(OUTLET_MAX).optional();

function entry(s: SourceSummary, n: number): string {
  return `**${n}.** ${escapeText(trimText(citationLine(s), 300))} · ${countOf(s.passages, 'passage')}\n\`${s.id}\``;
}

/** One page of the list (clamped to the pages there are) and its buttons. */
export function sourcesPage(all: SourceSummary[], requested: number, outlet: string | undefined): { embeds: APIEmbed[]; components: ActionRowBuilder<ButtonBuilder>[] } {
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, requested), pages - 1);
  const shown = all.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const filter = outlet ? ` from outlets matching “${escapeText(plainLabel(outlet))}”` : '';
  const description =
    shown.length > 0
      ? shown.map((s, i) => entry(s, page * PAGE_SIZE + i + 1)).join('\n')
      : outlet
        ? `No indexed article comes from an outlet matching “${escapeText(outlet)}”.`
        : 'The index holds no articles yet.';
  const embed: APIEmbed = {
    title: `Indexed articles${filter}`,
    description,
    color: COLOURS.info,
    footer: { text: `Page ${page + 1} of ${pages} · ${countOf(all.length, 'article')} · /source id shows one article` },
  };
  const id = (target: number) => `sources:${target}:${outlet ?? ''}`;
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(id(page - 1)).setLabel('Previous').setStyle(ButtonStyle.Secondary).setDisabled(page === 0),
    new ButtonBuilder().setCustomId(id(page + 1)).setLabel('Next').setStyle(ButtonStyle.Secondary).setDisabled(page >= pages - 1),
  );
  return { embeds: fitEmbeds([embed]), components: [row] };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<Outcome> {
  const outlet = outletSchema.parse(interaction.options.getString('outlet') ?? undefined) || undefined;
  const all = await ctx.coverage().sources(outlet ? { outlet } : undefined);
  await interaction.reply({ ...sourcesPage(all, 0, outlet), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  return all.length > 0 ? 'ok' : 'not-found';
}

export const autocomplete = (interaction: AutocompleteInteraction, ctx: BotContext): Promise<Outcome> => outletAutocomplete(interaction, ctx);

/** `sources:<page>:<outlet>`: shows that page of the list in place. */
export async function button(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<Outcome> {
  const [pageText, ...outletParts] = args;
  const page = Number.parseInt(pageText ?? '0', 10);
  const outlet = outletParts.join(':') || undefined;
  const all = await ctx.coverage().sources(outlet ? { outlet } : undefined);
  await interaction.update({ ...sourcesPage(all, Number.isFinite(page) ? page : 0, outlet), allowedMentions: NO_PINGS });
  return 'ok';
}
