// `coverage-bot register`: registers the slash commands with Discord: for one server with DISCORD_GUILD_ID (instant,
// for development), globally otherwise (may take a while to show everywhere).
import { Command } from 'commander';
import { requireToken } from './bot.js';
import { resolveConfig } from '../options.js';

export interface RegisterOptions {
  token: string;
  /** DISCORD_API_URL: another API root (the local fake in tests). */
  apiUrl?: string;
  /** DISCORD_CLIENT_ID; looked up with GET /applications/@me when absent. */
  clientId?: string;
  /** Register for this server only. */
  guildId?: string;
}

export interface RegisterResult {
  applicationId: string;
  scope: 'guild' | 'global';
  guildId: string | null;
  commands: string[];
}

export async function registerCommands(opts: RegisterOptions): Promise<RegisterResult> {
  const { REST, Routes } = await import('discord.js');
  const { commandPayloads, explainDiscordError } = await import('../../bot/index.js');
  const rest = new REST(opts.apiUrl ? { api: opts.apiUrl } : {}).setToken(opts.token);
  let applicationId: string;
  let registered: { name: string }[];
  try {
    applicationId = opts.clientId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
    const route = opts.guildId ? Routes.applicationGuildCommands(applicationId, opts.guildId) : Routes.applicationCommands(applicationId);
    registered = (await rest.put(route, { body: commandPayloads() })) as { name: string }[];
  } catch (error) {
    throw explainDiscordError(error, opts.apiUrl);
  }
  return { applicationId, scope: opts.guildId ? 'guild' : 'global', guildId: opts.guildId ?? null, commands: registered.map((c) => c.name) };
}

export const registerCommand = new Command('register')
  .description('register the slash commands with Discord (one server with DISCORD_GUILD_ID, else globally)')
  .option('--guild <id>', 'register for this server only (overrides DISCORD_GUILD_ID)')
  .option('--global', 'register globally even if DISCORD_GUILD_ID is set')
  .action(async (flags: { guild?: string; global?: boolean }) => {
    const config = resolveConfig({});
    const guildId = flags.global ? undefined : (flags.guild ?? config.DISCORD_GUILD_ID);
    const { tokenRejection } = await import('../../bot/index.js');
    const result = await registerCommands({ token: requireToken(config), apiUrl: config.DISCORD_API_URL, clientId: config.DISCORD_CLIENT_ID, guildId }).catch(
      (error: unknown) => {
        throw tokenRejection(error) ?? error;
      },
    );
    const where =
      result.scope === 'guild'
        ? `for server ${result.guildId} (available now)`
        : 'globally (new commands can take up to an hour to appear in every server)';
    process.stdout.write(`Registered ${result.commands.length} commands ${where}: ${result.commands.map((c) => `/${c}`).join(', ')}\n`);
  });
