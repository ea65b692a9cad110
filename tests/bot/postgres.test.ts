// Bots on a shared PostgreSQL store (STORE=postgres): a refresh written to the database by another process reaches a
// running bot within seconds, with no message between them, and its next answer quotes the new article.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../index/cli-process.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server.js';
import { ask, startHarness, type BotHarness } from './harness.js';

let server: TestPostgres;
let fixture: IndexFixture;
let h: BotHarness;

beforeAll(async () => {
  server = await startTestPostgres();
  fixture = await makeIndexFixture();
  await fixture.ingest({ store: 'postgres', databaseUrl: server.url });
  h = await startHarness({ fixture, env: { STORE: 'postgres', DATABASE_URL: server.url } });
}, 120_000);

afterAll(async () => {
  await h?.stop();
  await fixture?.cleanup();
  await server?.stop();
});

describe('a bot on a shared database', () => {
  it('answers from a refresh another process wrote, without being told', async () => {
    await writeFile(
      path.join(fixture.sourcesDir, 'desalination.md'),
      '---\ntitle: Varnholt opens a desalination plant\noutlet: Coast Herald\npublished: 2024-03-02\n---\nThe town of Varnholt opened a desalination plant on Friday, the mayor said.\n',
    );
    // The refresh an operator runs elsewhere (`ingest` on another machine): it writes to the database only.
    const report = await fixture.ingest({ store: 'postgres', databaseUrl: server.url });
    expect(report.added).toEqual(['desalination']);
    const committed = Date.now();
    await waitUntil(() => h.logs.some((l) => l.event === 'swap'), 'the bot reloads the new generation', 10_000);
    expect(Date.now() - committed).toBeLessThan(3000);
    const { message } = await ask(h.fake, 'What did Varnholt open?');
    const sources = (message.api.embeds[0]?.fields ?? []).map((f) => f.value).join('\n');
    expect(sources).toContain('Coast Herald');
  }, 60_000);
});
