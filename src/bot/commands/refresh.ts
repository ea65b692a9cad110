// /refresh [file]: moderators only, gated twice: by Discord (Manage Server by default, guild only) and here at run time
// (Manage Server or a MODERATOR_ROLE_IDS role). The refresh itself runs in the background (src/bot/refresh.ts) and
// edits this reply with its progress and result.
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { NO_PINGS, type BotContext } from '../context.js';
import { isModerator } from '../guards.js';
import { userHash, type Outcome } from '../log.js';

export const data = new SlashCommandBuilder()
  .setName('refresh')
  .setDescription('Moderators: re-index the sources folder, optionally adding an article file first')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addAttachmentOption((o) => o.setName('file').setDescription('An article to add first (.txt, .md, .json or .html)'));

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<Outcome> {
  // Default member permissions can be overridden per server; the run-time check is what actually guards the index.
  if (!interaction.inGuild() || !isModerator(interaction, ctx.config.MODERATOR_ROLE_IDS)) {
    await interaction.reply({
      content: 'Only moderators can refresh the index (Manage Server permission, or a moderator role).',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return 'refused';
  }
  const file = interaction.options.getAttachment('file');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await ctx.requestRefresh({
    applicationId: interaction.applicationId,
    token: interaction.token,
    userHash: userHash(interaction.user.id),
    upload: file ? { name: file.name, url: file.url, size: file.size } : undefined,
  });
  return 'ok';
}
