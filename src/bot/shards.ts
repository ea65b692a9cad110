// Past one process: discord.js's ShardingManager runs one `coverage-bot bot` process per shard. Each loads the index
// read-only; shard 0 alone runs /refresh (other shards forward the job through the manager), and when a refresh
// finishes the manager tells the other shards to reload the index from disk.
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import type { RefreshJob } from './context.js';
import type { Logger } from './log.js';
import { tokenRejection } from './token.js';

/** Messages between shards and the manager, all tagged `coverageBot`. */
export type ShardMessage =
  /** shard → manager → shard 0: run this refresh. */
  | { coverageBot: 'refresh'; job: RefreshJob }
  /** shard 0 → manager: a refresh swapped in a new index. */
  | { coverageBot: 'refreshed' }
  /** manager → other shards: reload the index. */
  | { coverageBot: 'reload' };

export function isShardMessage(message: unknown): message is ShardMessage {
  if (typeof message !== 'object' || message === null) return false;
  const tag = (message as { coverageBot?: unknown }).coverageBot;
  if (tag === 'refreshed' || tag === 'reload') return true;
  if (tag !== 'refresh') return false;
  const job = (message as { job?: Partial<RefreshJob> }).job;
  return typeof job?.applicationId === 'string' && typeof job.token === 'string';
}

export interface ShardManagerOptions {
  /** The program to run per shard: bin/coverage-bot.js (a JS entry that loads the TypeScript through tsx). */
  entry: string;
  /** Arguments for each shard process, e.g. ['bot', '--index', dir]. */
  args: string[];
  shards: number;
  token: string;
  apiUrl?: string;
  log: Logger;
  /** Pause between shard starts; Discord allows one IDENTIFY per 5 s per bucket (default 5.5 s). */
  spawnDelayMs?: number;
}

/** The shard count Discord recommends for this bot (GET /gateway/bot), through DISCORD_API_URL when set. */
export async function recommendedShards(token: string, apiUrl?: string): Promise<number> {
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
  const gateway = (await rest.get(Routes.gatewayBot()).catch((error: unknown) => {
    throw tokenRejection(error) ?? error;
  })) as { shards: number };
  return Math.max(1, gateway.shards);
}

/** Starts the shards and routes refresh messages between them; resolves once every shard is ready. */
export async function startShards(opts: ShardManagerOptions): Promise<ShardingManager> {
  const manager = new ShardingManager(opts.entry, {
    totalShards: opts.shards,
    token: opts.token,
    shardArgs: opts.args,
    mode: 'process',
    respawn: true,
    execArgv: [],
  });
  const rest = new REST(opts.apiUrl ? { api: opts.apiUrl } : {}).setToken(opts.token);
  const owner = (): Shard | undefined => manager.shards.get(0);

  manager.on('shardCreate', (shard) => {
    opts.log.info({ event: 'shard', shard: shard.id }, 'shard started');
    shard.on('death', () => opts.log.warn({ event: 'shard', shard: shard.id }, 'shard process exited'));
    shard.on('message', (message: unknown) => {
      if (!isShardMessage(message)) return;
      if (message.coverageBot === 'refresh') {
        const target = owner();
        if (target?.process) {
          void target.send(message).catch((error: unknown) => opts.log.error({ err: error }, 'could not hand the refresh to shard 0'));
          return;
        }
        // Shard 0 is down: say so in the moderator's reply rather than leave it "thinking".
        void rest
          .patch(Routes.webhookMessage(message.job.applicationId, message.job.token), {
            auth: false,
            body: { content: 'Refresh unavailable: the process that runs refreshes (shard 0) is restarting. Try again in a minute.', allowed_mentions: { parse: [] } },
          })
          .catch((error: unknown) => opts.log.error({ err: error }, 'could not report the unavailable refresh'));
      } else if (message.coverageBot === 'refreshed') {
        const reload: ShardMessage = { coverageBot: 'reload' };
        for (const other of manager.shards.values()) {
          if (other.id !== shard.id && other.process) void other.send(reload).catch(() => {});
        }
      }
    });
  });
  // Shards report to the manager over IPC; the REST URL and index paths reach them through the inherited environment.
  if (opts.apiUrl) process.env.DISCORD_API_URL = opts.apiUrl;
  await manager.spawn({ amount: opts.shards, delay: opts.spawnDelayMs ?? 5500, timeout: 120_000 });
  return manager;
}

/** Stops every shard gracefully (each finishes its replies in flight), then resolves. */
export async function stopShards(manager: ShardingManager, graceMs = 20_000): Promise<void> {
  manager.respawn = false;
  const exits = [...manager.shards.values()].map((shard) => {
    const child = shard.process;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  });
  await Promise.all(exits);
}
