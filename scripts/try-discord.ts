// `npm run try-discord [-- "question"]`: the bot's Discord side without a Discord account. Starts the local fake of
// Discord the tests use (tests/bot/fake-discord/), registers the slash commands with it, starts the real bot against it
// on the index of SOURCES_DIR (built first if missing or stale), sends one /ask and prints the reply as Discord would
// show it: the embed's title, quotes, sources and footer, and the buttons under it. Then everything stops.
import { ComponentType, type APIEmbed, type APIMessage } from 'discord.js';
import { coverageOptionsFromConfig, openCoverage } from '../src/answer/coverage.js';
import { CoverageBot } from '../src/bot/client.js';
import { createLogger } from '../src/bot/log.js';
import { registerCommands } from '../src/cli/commands/register.js';
import { prepareIndex } from '../src/cli/commands/start.js';
import { resolveIndexConfig } from '../src/cli/options.js';
import { Embedder } from '../src/embedding/index.js';
import { isUserError } from '../src/errors.js';
import { DEFAULT_IDS, FakeDiscord } from '../tests/bot/fake-discord/index.js';

const DEFAULT_QUESTION = 'Who is the armed forces chief?';

/** Markdown as a reader sees it: bold markers dropped, backslash escapes resolved. */
function unmarked(markdown: string): string {
  return markdown.replace(/(?<!\\)\*\*/g, '').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

function renderEmbed(embed: APIEmbed): string[] {
  const lines: string[] = [];
  if (embed.title) lines.push(`│ ${unmarked(embed.title)}`, '│');
  if (embed.description) lines.push(...unmarked(embed.description).split('\n').map((l) => `│ ${l}`));
  for (const field of embed.fields ?? []) lines.push('│', `│ ${unmarked(field.name)}`, ...unmarked(field.value).split('\n').map((l) => `│ ${l}`));
  if (embed.footer) lines.push('│', `│ ${embed.footer.text}`);
  return lines;
}

/** A message as Discord would show it, in plain text: content, embeds (a bar at the left) and buttons. */
function renderMessage(message: Pick<APIMessage, 'content' | 'embeds' | 'components'>): string {
  const lines: string[] = [];
  if (message.content) lines.push(unmarked(message.content));
  for (const embed of message.embeds) lines.push(...renderEmbed(embed));
  const rows = (message.components ?? []) as { components?: { type: number; label?: string; emoji?: { name?: string } }[] }[];
  const buttons = rows.flatMap((row) => row.components ?? []).filter((c) => c.type === ComponentType.Button);
  if (buttons.length > 0) lines.push(buttons.map((b) => `[ ${b.label ?? b.emoji?.name ?? '?'} ]`).join(' '));
  return lines.join('\n');
}

async function main(question: string): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const base = await resolveIndexConfig({});
  const embedder = await Embedder.load({ model: base.EMBEDDING_MODEL, modelsDir: base.MODELS_DIR, allowRemote: base.ALLOW_REMOTE_MODELS, log: say });
  await prepareIndex(base, embedder);
  const fake = await FakeDiscord.start();
  let bot: CoverageBot | null = null;
  try {
    // The fake's token and address stand in for a real application's; nothing leaves this machine.
    const config = { ...base, DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: DEFAULT_IDS.guild, ASK_CHANNEL_IDS: [DEFAULT_IDS.ask] };
    const registered = await registerCommands({ token: fake.token, apiUrl: fake.apiUrl, guildId: DEFAULT_IDS.guild });
    say(`Local fake Discord at ${fake.apiUrl}; registered ${registered.commands.map((c) => `/${c}`).join(', ')}.`);
    const log = createLogger('warn');
    const coverage = await openCoverage({ ...coverageOptionsFromConfig(config, (m) => say(m)), embedder });
    bot = new CoverageBot({ config, coverage, log });
    await bot.start();
    say(`The bot is logged in. A member types: /ask question:${question}\n`);
    const sent = fake.dispatchInteraction({ kind: 'command', name: 'ask', userId: DEFAULT_IDS.member, options: { question } });
    const reply = await fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original' || r.callbackType === 4, 60_000);
    const message = fake.message(reply.messageId ?? '');
    if (!message) throw new Error('the fake recorded no reply message');
    process.stdout.write(`${renderMessage(message.api)}\n`);
    say('\nTo run the bot on Discord itself, see "Running the Discord bot" in the README.');
  } finally {
    await bot?.stop();
    await fake.stop();
    await embedder.dispose();
  }
}

const question = process.argv.slice(2).join(' ').trim() || DEFAULT_QUESTION;
main(question).catch((error: unknown) => {
  process.stderr.write(`try-discord: ${isUserError(error) ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exitCode = 1;
});
