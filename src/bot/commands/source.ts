// /source id: one article's metadata, passage count and opening lines; `id` autocompletes from the in-memory list of
// indexed articles (answered at once, no deferral: Discord gives autocomplete 3 s and no second chance).
import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type APIEmbed,
  type APIEmbedField,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { SourceDetail, SourceSummary } from '../../answer/index.js';
import type { BotContext, SourceChoice } from '../context.js';
import { NO_PINGS } from '../context.js';
import { COLOURS, escapeText, plainLabel, quietLink } from '../format.js';
import { DISCORD_LIMITS, fitEmbeds, trimText } from '../limits.js';
import type { Outcome } from '../log.js';
import { countOf, formatDay } from '../../wording.js';

export const data = new SlashCommandBuilder()
  .setName('source')
  .setDescription("Show one indexed article's details")
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('id').setDescription('The article id (start typing a title or outlet)').setRequired(true).setMaxLength(100).setAutocomplete(true));

/** The autocomplete list for a set of articles. */
export function sourceChoices(sources: readonly SourceSummary[]): SourceChoice[] {
  return sources
    .filter((s) => s.id.length <= DISCORD_LIMITS.choiceValue)
    .map((s) => ({
      id: s.id,
      haystack: `${s.id} ${s.outlet ?? ''} ${s.title}`.toLowerCase(),
      label: trimText(`${s.outlet ? `${s.outlet}: ` : ''}${s.title}`, DISCORD_LIMITS.choiceName),
    }));
}

/** At most 25 choices whose id, outlet or title contains what was typed (every word of it). */
export function matchChoices(choices: readonly SourceChoice[], typed: string): { name: string; value: string }[] {
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  const out: { name: string; value: string }[] = [];
  for (const c of choices) {
    if (words.every((w) => c.haystack.includes(w))) out.push({ name: c.label, value: c.id });
    if (out.length === DISCORD_LIMITS.choices) break;
  }
  return out;
}

export function sourceEmbed(s: SourceDetail): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Outlet', value: escapeText(s.outlet ?? 'Unknown'), inline: true },
    { name: 'Published', value: s.published ? formatDay(s.published) : 'undated', inline: true },
    { name: 'Passages', value: String(s.passages), inline: true },
  ];
  if (s.byline) fields.push({ name: 'Byline', value: escapeText(s.byline) });
  if (s.dateline) fields.push({ name: 'Dateline', value: escapeText(s.dateline), inline: true });
  if (s.url) fields.push({ name: 'Link', value: quietLink(s.url) });
  fields.push({ name: 'Id', value: `\`${s.id}\``, inline: true }, { name: 'File', value: `\`${s.file.replace(/`/g, "'")}\``, inline: true });
  const opening = trimText(s.opening, 1500);
  return fitEmbeds([
    {
      title: escapeText(plainLabel(s.title)),
      description: `> ${escapeText(opening).replace(/\n/g, '\n> ')}`,
      color: COLOURS.info,
      fields,
      footer: { text: 'Opening lines, verbatim. /ask quotes the article where it answers a question.' },
    },
  ])[0]!;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<Outcome> {
  // Ids are lower case and NFC in any script: typed "Статья" or a decomposed "é" still finds its article.
  const id = interaction.options.getString('id', true).trim().normalize('NFC').toLowerCase();
  if (!id) {
    // Discord lets a required option be spaces; the empty string would otherwise be the start of every id.
    await interaction.reply({
      content: 'Give an article id: start typing a title or an outlet and pick one, or list the ids with /sources.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return 'invalid';
  }
  const found = await ctx.coverage().source(id);
  if (!found) {
    const shown = id.replace(/`/g, "'").slice(0, 100);
    const starting = (await ctx.coverage().sources()).filter((s) => s.id.startsWith(id));
    await interaction.reply({
      content:
        starting.length > 1
          ? `${countOf(starting.length, 'indexed article')} have an id starting with \`${shown}\`: type more of it, or pick one as you type.`
          : `No indexed article has the id \`${shown}\`. Start typing a title to pick one, or list them with /sources.`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return 'not-found';
  }
  await interaction.reply({ embeds: [sourceEmbed(found)], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  return 'ok';
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<Outcome> {
  await interaction.respond(matchChoices(await ctx.sourceChoices(), interaction.options.getFocused()));
  return 'ok';
}
