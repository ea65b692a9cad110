// `coverage-bot bot --shards 2` as a user runs it: a sharding manager and two shard processes logged in to FakeDiscord,
// each serving its own guild from the index; a /refresh in shard 1's guild runs on shard 0, and shard 1 then answers
// from the refreshed index. SIGTERM stops everything gracefully.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCommands } from '../../src/cli/commands/register.js';
import type { IndexFixture } from '../support/index-fixture.js';
import { DEFAULT_MODERATOR_PERMISSIONS, FakeDiscord } from './fake-discord/index.js';
import { buildFixture, displayed, shownQuotes, startBot, type BotProcess } from './harness.js';

// Guild ids picked so each lands on its own shard: (id >> 22) % 2.
const GUILD_ON_SHARD_0 = '1100000000004194404';
const GUILD_ON_SHARD_1 = '1100000000000000100';
const MODERATOR = '1100000000000000999';
const MEMBER = '1100000000000000998';

function guild(id: string, name: string, users: { moderator: string; member: string }) {
  return {
    id,
    name,
    // The owner may do anything; the plain member must not be it.
    ownerId: users.moderator,
    roles: [{ name: 'Moderator', permissions: DEFAULT_MODERATOR_PERMISSIONS }],
    channels: [{ name: 'ask' }],
    members: [
      { user: { id: users.member, username: `${name}-member` } },
      { user: { id: users.moderator, username: `${name}-moderator` }, roles: ['Moderator'] },
    ],
  };
}

describe('coverage-bot bot --shards 2', () => {
  let fake: FakeDiscord;
  let fixture: IndexFixture;
  let bot: BotProcess;
  let child: ChildProcess;

  beforeAll(async () => {
    fixture = await buildFixture();
    fake = await FakeDiscord.start({
      shards: 2,
      guilds: [
        guild(GUILD_ON_SHARD_1, 'one', { moderator: MODERATOR, member: MEMBER }),
        guild(GUILD_ON_SHARD_0, 'zero', { moderator: '1100000000000000997', member: '1100000000000000996' }),
      ],
    });
    await registerCommands({ token: fake.token, apiUrl: fake.apiUrl });
    bot = startBot(fake, fixture, ['--shards', '2', '--shard-spawn-delay', '100'], { QUESTIONS_PER_MINUTE: '0' });
    child = bot.child;
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the bot exited early:\n${bot.output()}`);
        expect(fake.gatewaySessions().filter((s) => s.connected).map((s) => s.shard[0]).sort()).toEqual([0, 1]);
      },
      { timeout: 60_000, interval: 200 },
    );
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await fake?.stop();
    await fixture?.cleanup();
  });

  it('identifies once per shard and answers /ask in each shard’s guild', async () => {
    expect(fake.identifies.filter((i) => i.rejectedWith === null).map((i) => i.shard)).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    for (const guildId of [GUILD_ON_SHARD_0, GUILD_ON_SHARD_1]) {
      const sent = fake.dispatchInteraction({ kind: 'command', name: 'ask', channelId: fake.channelId('ask', guildId), options: { question: "Who is Niger's elected president?" } });
      const edit = await fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original', 20_000);
      expect(shownQuotes(fake.message(edit.messageId!)!.api.embeds[0]!).length).toBeGreaterThan(0);
    }
  });

  it('runs a /refresh from shard 1 on shard 0, after which shard 1 answers from the new index', async () => {
    const article = '---\ntitle: Quillby opens a lighthouse museum\noutlet: Quillby Post\n---\n\nThe Quillby lighthouse museum opened on Monday with a collection of 312 brass lenses.\n';
    const question = 'How many brass lenses does the Quillby lighthouse museum have?';
    const channelId = fake.channelId('ask', GUILD_ON_SHARD_1);
    const refused = fake.dispatchInteraction({ kind: 'command', name: 'refresh', channelId, userId: MEMBER });
    expect(String((await fake.waitForResponse(refused.id)).data?.['content'])).toMatch(/Only moderators/);

    const sent = fake.dispatchInteraction({ kind: 'command', name: 'refresh', channelId, userId: MODERATOR, options: { file: { filename: 'quillby.md', content: article } } });
    const done = await fake.waitForResponse(
      sent.id,
      (r) => r.kind === 'edit-original' && (r.data?.['embeds'] as { title?: string }[] | undefined)?.[0]?.title === 'Index refreshed',
      30_000,
    );
    expect(done).toBeDefined();
    await vi.waitFor(
      async () => {
        const asked = fake.dispatchInteraction({ kind: 'command', name: 'ask', channelId, options: { question } });
        const edit = await fake.waitForResponse(asked.id, (r) => r.kind === 'edit-original', 20_000);
        expect(displayed(fake.message(edit.messageId!)!.api.embeds[0]?.description ?? '')).toContain('312 brass lenses');
      },
      { timeout: 20_000, interval: 500 },
    );
    const lines = bot
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event?: string; shard?: number[]; changed?: boolean });
    // The refresh ran on shard 0; shard 1 reloaded the index it wrote.
    expect(lines.find((l) => l.event === 'refresh' && l.changed)?.shard).toEqual([0]);
    expect(lines.filter((l) => l.event === 'swap').map((l) => l.shard)).toEqual(expect.arrayContaining([[0], [1]]));
  });

  it('stops every shard and exits on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(bot.output()).toMatch(/"event":"stopped"/);
    await vi.waitFor(() => expect(fake.gatewaySessions().filter((s) => s.connected)).toEqual([]));
  });
});
