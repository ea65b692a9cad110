// The bot tells a user's mistake from a bug with one check (UserError): an /ask for an outlet no article comes from is
// answered privately with the outlets there are, not "something went wrong"; and a cited article whose file went
// missing is said once in the log and shown in /status, its quotes dropped.
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AFP_FILE } from '../support/seed-coverage.js';
import { ask, sourceIds, startHarness, type BotHarness } from './harness.js';

const CHIEF = 'Who is the armed forces chief?';
const AFP = '001_f0ef755a6af1d45a';

describe('user errors and out-of-date sources in Discord', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('/ask with an unknown outlet gets a private one-line explanation listing the outlets, logged as invalid, not as an error', async () => {
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: CHIEF, outlet: 'Reuters' } });
    const reply = await h.fake.waitForResponse(sent.id);
    expect(reply.callbackType).toBe(4);
    expect(reply.data?.['content']).toBe('no articles from Reuters; outlets: NBC News, UrduPoint.');
    expect(h.fake.message(reply.messageId!)?.ephemeral).toBe(true);
    await vi.waitFor(() => expect(h.logs.filter((l) => l['event'] === 'interaction').at(-1)?.['outcome']).toBe('invalid'));
    expect(h.logs.some((l) => l.level >= 50)).toBe(false);
  });

  it('a cited file gone missing: its quotes are dropped, the log says so once, /status names the file and says to run ingest', async () => {
    await rename(path.join(h.fixture.sourcesDir, AFP_FILE), path.join(h.fixture.root, AFP_FILE));
    for (let i = 0; i < 2; i++) {
      const { message } = await ask(h.fake, CHIEF);
      expect([...sourceIds(message.api.embeds[0]!).values()]).not.toContain(AFP);
    }
    const notices = h.logs.filter((l) => l.level === 40 && l.msg.startsWith(AFP_FILE));
    expect(notices.map((l) => l.msg)).toEqual([
      `${AFP_FILE} is missing (ENOENT) since the index was built: its quotes cannot be verified and are left out. Run ingest to update the index (\`npx coverage-bot ingest\`; in Discord, /refresh).`,
    ]);

    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'status' });
    const reply = await h.fake.waitForResponse(sent.id);
    const field = ((reply.data?.['embeds'] as APIEmbed[])[0]!.fields ?? []).find((f) => f.name === 'Source files out of date');
    expect(field?.value).toContain(`\`${AFP_FILE}\` is missing (ENOENT) since the index was built`);
    expect(field?.value).toContain('Run ingest');
  });
});
