// `coverage-bot bot [--sources DIR] [--index DIR] [--shards N]`: runs the Discord bot on the built index (one process,
// or one per shard under discord.js's ShardingManager); stops gracefully on SIGINT and SIGTERM.
import { UserError } from '../../errors.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { coverageOptionsFromConfig, openCoverage, type Coverage } from '../../answer/index.js';
// The bot stage (and with it discord.js, ~0.3 s that other commands do not pay) loads only when a bot runs.
import type { CoverageBot, Logger } from '../../bot/index.js';
import { requireSettings, type Config } from '../../config.js';
import { addPathOptions, resolveIndexConfig, withIngestHint, type PathOptions } from '../options.js';

/** The JS entry each shard process runs (it loads this TypeScript through tsx). */
const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/coverage-bot.js');

export function requireToken(config: Config): string {
  if (!config.DISCORD_TOKEN) {
    throw new UserError(
      'DISCORD_TOKEN is not set. Create an application at https://discord.com/developers/applications, copy its bot token into .env ' +
        '(DISCORD_TOKEN=...), run `npx coverage-bot register`, then start the bot again. Without a token, `npm start` opens the chat console.',
    );
  }
  return config.DISCORD_TOKEN;
}

/** Longest a shutdown may take before the process exits anyway (replies in flight get 15 s, shards 20 s). */
const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * Stops `stop` once on the first SIGINT or SIGTERM (or, in a shard, when the manager's IPC channel closes), then exits;
 * a second signal during shutdown exits at once. Nothing here waits on the log: a log whose reader went away must not
 * keep the process from stopping.
 */
export function exitOnSignals(stop: () => Promise<void>, log: Logger): void {
  let stopping: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    // Whatever hangs (a Discord connection that will not close), the process still ends.
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    stopping = Promise.resolve()
      .then(() => log.info({ signal }, 'signal received'))
      .then(stop)
      .catch((error: unknown) => log.error({ err: error }, 'error while shutting down'))
      .then(async () => (await import('../../bot/index.js')).drainLogs())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A shard process talks to its manager over IPC; when that channel closes, the manager is gone (even killed with
  // SIGKILL, which it cannot pass on), and a shard left running would keep serving with nobody to stop it.
  if (process.send && process.env.SHARDING_MANAGER) process.once('disconnect', () => onSignal('SIGTERM'));
}

/** Runs the bot in this process on `coverage` (opened from the configuration if not given). */
export async function runBot(config: Config, log: Logger, coverage?: Coverage): Promise<CoverageBot> {
  requireToken(config);
  // Read while answering or refreshing, long after start: a bad value must stop the bot now, not fail a user later.
  requireSettings(config, ['ASK_CHANNEL_IDS', 'MODERATOR_ROLE_IDS', 'QUESTIONS_PER_MINUTE', 'MAX_CONCURRENT_ANSWERS', 'FEEDBACK_LOG', 'MAX_UPLOAD_BYTES', 'DISCORD_API_URL', 'DISCORD_CLIENT_ID', 'DISCORD_GUILD_ID']);
  const opened = coverage ?? (await openCoverage(coverageOptionsFromConfig(config, (m) => log.warn(m))));
  const { CoverageBot, explainDiscordError } = await import('../../bot/index.js');
  const bot = new CoverageBot({ config, coverage: opened, log });
  exitOnSignals(() => bot.stop(), log);
  try {
    await bot.start();
  } catch (error) {
    throw explainDiscordError(error, config.DISCORD_API_URL);
  }
  return bot;
}

interface BotFlags extends PathOptions {
  shards?: string;
  shardSpawnDelay?: string;
}

export const botCommand = addPathOptions(
  new Command('bot')
    .description('run the Discord bot on the built index (needs DISCORD_TOKEN)')
    .option('--shards <n>', 'run N shard processes under a sharding manager (a number, or "auto" for what Discord recommends)')
    .option('--shard-spawn-delay <ms>', 'pause between shard starts; Discord allows one login per 5 s (default 5500)'),
).action(async (flags: BotFlags) => {
  const config = await resolveIndexConfig(flags);
  const token = requireToken(config);
  const { createLogger, explainDiscordError, recommendedShards, startShards, stopShards } = await import('../../bot/index.js');
  const log = createLogger(config.LOG_LEVEL);
  // A shard process is this same command, started by the manager (which sets SHARDING_MANAGER).
  if (flags.shards && !process.env.SHARDING_MANAGER) {
    const shards =
      flags.shards === 'auto'
        ? await recommendedShards(token, config.DISCORD_API_URL).catch((error: unknown) => Promise.reject(explainDiscordError(error, config.DISCORD_API_URL)))
        : Number(flags.shards);
    if (!Number.isInteger(shards) || shards < 1) throw new UserError('--shards takes a whole number of shards (1 or more) or "auto".');
    if (shards > 1) {
      const args = ['bot', '--sources', path.resolve(config.SOURCES_DIR), '--index', path.resolve(config.INDEX_DIR)];
      const spawnDelayMs = flags.shardSpawnDelay === undefined ? undefined : Number(flags.shardSpawnDelay);
      if (spawnDelayMs !== undefined && !(spawnDelayMs >= 0)) throw new UserError('--shard-spawn-delay takes a number of milliseconds.');
      const manager = await startShards({ entry: ENTRY, args, shards, token, apiUrl: config.DISCORD_API_URL, log, spawnDelayMs });
      log.info({ event: 'shards-ready', shards }, 'all shards ready');
      exitOnSignals(() => stopShards(manager), log);
      return;
    }
  }
  await runBot(config, log, await withIngestHint(flags, () => openCoverage(coverageOptionsFromConfig(config, (m) => log.warn(m)))));
});
