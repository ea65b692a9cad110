// The PostgreSQL store (src/index/postgres/) against a real server over the wire (PGlite + pgvector behind
// pglite-socket, tests/support/postgres-server.ts): the store contract; ingest, ask and sources through it; the one-line
// errors an operator meets; the ingest lock; and a second process answering from a refresh within a second.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexLockedError, IndexLockLostError, openPassageStore, openStoreWriter, StoreConnectionError } from '../../src/index/index.js';
import { fixturePerTest, REPO_ROOT, type IndexFixture } from '../support/index-fixture.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server.js';
import { expectOneLineError, runCli, waitUntil } from './cli-process.js';
import { madeArticles, SETTINGS, storeContract } from './store-contract.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => server?.stop());

storeContract('PostgreSQL store', async () => {
  await server.reset();
  const location = { indexDir: '/nonexistent/unused-index-folder', store: 'postgres' as const, databaseUrl: server.url };
  const writer = openStoreWriter(location);
  return { writer, open: () => openPassageStore(location), cleanup: () => writer.close() };
});

describe('PostgreSQL store in use', () => {
  const fixture = fixturePerTest();
  const postgres = (fx: IndexFixture) => ({ store: 'postgres' as const, databaseUrl: server.url, indexDir: fx.indexDir });

  it('ingest writes the seeds to the database; answers, sources and an unchanged re-ingest read them from there', async () => {
    await server.reset();
    const fx = await fixture();
    const first = await fx.ingest(postgres(fx));
    expect(first).toMatchObject({ changed: true, articles: 2 });
    expect(existsSync(path.join(fx.indexDir, 'current.json'))).toBe(false);
    const again = await fx.ingest(postgres(fx));
    expect(again).toMatchObject({ changed: false, articles: 2, passages: first.passages });

    const env = { STORE: 'postgres', DATABASE_URL: server.url, INDEX_DIR: fx.indexDir, SOURCES_DIR: fx.sourcesDir };
    const asked = await runCli(['ask', '--json', 'Who did the soldiers detain?'], { env });
    expect(asked.code, asked.stderr).toBe(0);
    const answer = JSON.parse(asked.stdout) as { quotes: Array<{ text: string; source: { file: string } }> };
    expect(answer.quotes[0]?.text).toMatch(/Bazoum/);
    const listed = await runCli(['sources', '--json'], { env });
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(2);
  }, 120_000);

  it('says in one line what is wrong: no server, no index yet, no DATABASE_URL, vectors of another width', async () => {
    await server.reset();
    const fx = await fixture();
    const base = { INDEX_DIR: fx.indexDir, SOURCES_DIR: fx.sourcesDir, STORE: 'postgres' };
    const refused = expectOneLineError(await runCli(['ask', 'Who leads?'], { env: { ...base, DATABASE_URL: 'postgres://bot:secret@127.0.0.1:1/coverage' } }));
    expect(refused).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1\/coverage \(ECONNREFUSED\)/);
    expect(refused).not.toContain('secret');
    expect(expectOneLineError(await runCli(['ask', 'Who leads?'], { env: { ...base, DATABASE_URL: server.url } }))).toMatch(/holds no index yet.*ingest/);
    expect(expectOneLineError(await runCli(['ask', 'Who leads?'], { env: base }))).toMatch(/STORE=postgres needs DATABASE_URL/);

    // A database written with 4-dimensional vectors, then an ingest with a model of another width.
    const writer = openStoreWriter({ indexDir: fx.indexDir, store: 'postgres', databaseUrl: server.url });
    const generation = await writer.begin(SETTINGS, { from: 'empty' });
    await generation.put(madeArticles()[0]!);
    await generation.commit();
    await writer.close();
    await expect(fx.ingest(postgres(fx))).rejects.toThrow(/holds 4-dimensional vectors but the model makes \d+/);
  }, 120_000);

  it('one writer at a time: a second lock is refused, a released one can be taken, a lapsed lease is lost', async () => {
    await server.reset();
    const location = { indexDir: '/nonexistent', store: 'postgres' as const, databaseUrl: server.url };
    const a = openStoreWriter(location);
    const b = openStoreWriter(location);
    try {
      const held = await a.lock({ staleMs: 2000 });
      await expect(b.lock({})).rejects.toBeInstanceOf(IndexLockedError);
      await held.assertHeld();
      await held();
      const taken = await b.lock({ waitMs: 1000 });
      await taken();
      // A holder that stops renewing (a machine that died) loses the lock once its lease runs out.
      const lapsing = await a.lock({ staleMs: 2000 });
      await server.query(`UPDATE coverage_lock SET expires_at = now() - interval '1 second'`);
      const takeover = await b.lock({});
      await expect(lapsing.assertHeld()).rejects.toBeInstanceOf(IndexLockLostError);
      await takeover();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('another process answers from a refresh within a second of its commit, and never from two generations at once', async () => {
    await server.reset();
    const fx = await fixture();
    await fx.ingest(postgres(fx));
    const before = ['000_b9dabca082e516ec', '001_f0ef755a6af1d45a'];
    const reader = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/index/postgres-reader.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: server.url, SOURCES_DIR: fx.sourcesDir },
    });
    const seen: Array<{ at: number; listed: string[]; quoted: string | null }> = [];
    let buffered = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.trim()) seen.push(JSON.parse(line) as (typeof seen)[number]);
    });
    let stderr = '';
    reader.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    try {
      await waitUntil(() => seen.length >= 3, `the reader answers (${stderr})`);
      await writeFile(path.join(fx.sourcesDir, 'desalination.md'), DESALINATION);
      await rm(path.join(fx.sourcesDir, `${before[0]}.txt`));
      const refreshed = await fx.ingest(postgres(fx));
      expect(refreshed).toMatchObject({ changed: true, added: ['desalination'], removed: [before[0]] });
      const manifest = (await openStoreWriter(postgres(fx)).liveManifest())!;
      const committedBy = Date.parse(manifest.builtAt);
      const after = ['001_f0ef755a6af1d45a', 'desalination'];
      await waitUntil(() => seen.some((s) => s.listed.includes('desalination')), 'the reader sees the refresh', 10_000);
      const first = seen.find((s) => s.listed.includes('desalination'))!;
      expect(first.at - committedBy).toBeLessThanOrEqual(1000);
      for (const s of seen) {
        // Each answer comes from one generation: the articles listed are one generation's, and its quote is one of them.
        expect([before.join(), after.join()]).toContain(s.listed.join());
        if (s.quoted) expect(s.listed).toContain(s.quoted);
      }
      expect(seen.filter((s) => s.listed.join() === before.join()).length).toBeGreaterThan(0);
    } finally {
      reader.kill('SIGTERM');
      await new Promise((resolve) => reader.once('close', resolve));
    }
  }, 120_000);
});

/** A made-up article for the refresh test. */
const DESALINATION =
  '---\ntitle: Varnholt opens a desalination plant\noutlet: Coast Herald\npublished: 2024-03-02\n---\nThe town of Varnholt opened a desalination plant on Friday, the mayor said.\n';

describe('PostgreSQL server without pgvector', () => {
  it('refuses to build in one line naming the extension to install', async () => {
    const bare = await startTestPostgres({ vector: false });
    const writer = openStoreWriter({ indexDir: '/nonexistent', store: 'postgres', databaseUrl: bare.url });
    try {
      await expect(writer.begin(SETTINGS, { from: 'empty' })).rejects.toThrow(/pgvector/);
      await expect(writer.begin(SETTINGS, { from: 'empty' })).rejects.toBeInstanceOf(StoreConnectionError);
    } finally {
      await writer.close();
      await bare.stop();
    }
  }, 60_000);
});
