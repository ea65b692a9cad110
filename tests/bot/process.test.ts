// The bot as an operating system process: it stops on SIGTERM even when whoever read its output has gone (closed
// pipes), its shards exit when their manager is killed outright, and a token Discord rejects is one clear line.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCommands } from '../../src/cli/commands/register.js';
import { REPO_ROOT, type IndexFixture } from '../support/index-fixture.js';
import { FakeDiscord } from './fake-discord/index.js';
import { buildFixture, startBot, type BotProcess } from './harness.js';

function connectedShards(fake: FakeDiscord): number[] {
  return fake
    .gatewaySessions()
    .filter((s) => s.connected)
    .map((s) => s.shard[0])
    .sort();
}

describe('the bot process', () => {
  let fake: FakeDiscord;
  let fixture: IndexFixture;
  const started: BotProcess[] = [];

  beforeAll(async () => {
    fixture = await buildFixture();
    fake = await FakeDiscord.start({ shards: 2 });
    await registerCommands({ token: fake.token, apiUrl: fake.apiUrl });
  }, 90_000);

  afterAll(async () => {
    for (const bot of started) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await fake?.stop();
    await fixture?.cleanup();
  });

  it('stops on SIGTERM when nobody reads its output any more', async () => {
    const bot = startBot(fake, fixture);
    started.push(bot);
    await vi.waitFor(() => {
      if (bot.child.exitCode !== null) throw new Error(`the bot exited early:\n${bot.output()}`);
      expect(bot.output()).toMatch(/"event":"ready"/);
    }, { timeout: 60_000, interval: 200 });
    // The reader stops reading, as when the parent that piped the bot's output died (npx's own process still holding
    // the pipe), while the bot keeps logging, one line per interaction, until the pipe is full.
    bot.child.stdout!.pause();
    bot.child.stderr!.pause();
    for (let i = 0; i < 1500; i++) fake.dispatchInteraction({ kind: 'command', name: 'status' });
    // 1,500 log lines are about 350 KB, several times what a pipe holds; give the bot a moment to write what it can.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    bot.child.kill('SIGTERM');
    const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000).unref());
    const result = await Promise.race([bot.exited, timeout]);
    expect(result).toEqual({ code: 0, signal: null });
    await vi.waitFor(() => expect(connectedShards(fake)).toEqual([]));
  }, 90_000);

  it('stops its shards when the shard manager is killed with SIGKILL', async () => {
    const manager = startBot(fake, fixture, ['--shards', '2', '--shard-spawn-delay', '100']);
    started.push(manager);
    await vi.waitFor(() => {
      if (manager.child.exitCode !== null) throw new Error(`the bot exited early:\n${manager.output()}`);
      expect(connectedShards(fake)).toEqual([0, 1]);
    }, { timeout: 60_000, interval: 200 });
    manager.child.kill('SIGKILL');
    await manager.exited;
    // Both shard processes notice their manager's IPC channel closing, shut down and disconnect.
    await vi.waitFor(() => expect(connectedShards(fake)).toEqual([]), { timeout: 30_000, interval: 200 });
  }, 120_000);

  it('says in one line that Discord rejected the token, and what to do (bot, and register)', async () => {
    const rejected =
      'coverage-bot: Discord rejected DISCORD_TOKEN: it is not the token of a bot, or it was reset. Copy the current token from ' +
      'https://discord.com/developers/applications (your application → Bot → Reset Token) into .env as DISCORD_TOKEN=..., then start again.\n';
    const wrongToken = { DISCORD_TOKEN: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gabcde.not-the-token-of-this-application' };
    const bot = startBot(fake, fixture, [], wrongToken);
    started.push(bot);
    expect((await bot.exited).code).toBe(1);
    expect(bot.output()).toBe(rejected);

    const register = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coverage-bot.js'), 'register'], {
      cwd: fixture.root,
      env: { ...process.env, DISCORD_API_URL: fake.apiUrl, ...wrongToken },
    });
    let stderr = '';
    register.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(register, 'close')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toBe(rejected);
  }, 60_000);
});
