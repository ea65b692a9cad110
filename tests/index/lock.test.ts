// One writer at a time: a second ingest of the same index is refused with a clear message, or waits when asked to.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { IndexLockedError, IndexLockLostError, lockIndex } from '../../src/index/lock.js';
import { loadIndex } from '../../src/index/store.js';
import { fixturePerTest, REPO_ROOT } from '../support/index-fixture.js';
import { waitUntil } from './cli-process.js';

const fixture = fixturePerTest();

describe('lockIndex', () => {
  it('refuses a second holder until the first releases, then lets it in', async () => {
    const fx = await fixture();
    const release = await lockIndex(fx.indexDir);
    expect(existsSync(path.join(fx.indexDir, 'ingest.lock'))).toBe(true);
    await expect(lockIndex(fx.indexDir)).rejects.toBeInstanceOf(IndexLockedError);
    await release();
    expect(existsSync(path.join(fx.indexDir, 'ingest.lock'))).toBe(false);
    const again = await lockIndex(fx.indexDir);
    await again();
  });

  it('with waitMs, waits for the holder to release', async () => {
    const fx = await fixture();
    const release = await lockIndex(fx.indexDir);
    const started = Date.now();
    setTimeout(() => void release(), 700);
    const second = await lockIndex(fx.indexDir, { waitMs: 10_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    await second();
  });
});

/** Starts tests/index/lock-holder.ts: takes the lock with `staleMs`, then blocks its event loop for `blockMs`. */
function startHolder(indexDir: string, staleMs: number, blockMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/index/lock-holder.ts', indexDir, String(staleMs), String(blockMs)], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('a stale lock', () => {
  // The stale period is shortened to 2 s, proper-lockfile's least (10 s in production); the holder blocks for 3.5 s.
  const STALE_MS = 2000;

  it('is not taken over while its holder is alive, and the holder keeps it once its event loop turns again', async () => {
    const fx = await fixture();
    const holder = startHolder(fx.indexDir, STALE_MS, 3500);
    await waitUntil(() => holder.output().stdout.includes('locked'), 'the holder takes the lock', 30_000);
    const owner = JSON.parse(await readFile(path.join(fx.indexDir, 'ingest.lock.owner.json'), 'utf8')) as { pid: number };
    expect(owner.pid).toBe(holder.child.pid);
    await sleep(STALE_MS + 500);
    // Stale by its age, but its holder is alive: refused (proper-lockfile alone took it over here).
    await expect(lockIndex(fx.indexDir, { staleMs: STALE_MS })).rejects.toBeInstanceOf(IndexLockedError);

    const { code } = await holder.exited;
    const { stdout, stderr } = holder.output();
    // Taken over, it used to die on an uncaught ECOMPROMISED ("Unable to update lock within the stale threshold").
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('locked\nheld\nreleased\n');
    expect(existsSync(path.join(fx.indexDir, 'ingest.lock'))).toBe(false);
    const release = await lockIndex(fx.indexDir, { staleMs: STALE_MS });
    await release();
  });

  it('is taken over once its holder is gone', async () => {
    const fx = await fixture();
    const holder = startHolder(fx.indexDir, STALE_MS, 60_000);
    await waitUntil(() => holder.output().stdout.includes('locked'), 'the holder takes the lock', 30_000);
    await expect(lockIndex(fx.indexDir, { staleMs: STALE_MS })).rejects.toBeInstanceOf(IndexLockedError);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(path.join(fx.indexDir, 'ingest.lock'), longAgo, longAgo);
    const release = await lockIndex(fx.indexDir, { staleMs: STALE_MS });
    expect(JSON.parse(await readFile(path.join(fx.indexDir, 'ingest.lock.owner.json'), 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
    expect(existsSync(path.join(fx.indexDir, 'ingest.lock.owner.json'))).toBe(false);
  });

  it('is taken over at once, without waiting for it to go stale, when its holder was killed on this machine', async () => {
    const fx = await fixture();
    // The production stale period: a refresh a moment ago keeps the lock fresh for 10 s more.
    const holder = startHolder(fx.indexDir, 10_000, 60_000);
    await waitUntil(() => holder.output().stdout.includes('locked'), 'the holder takes the lock', 30_000);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const release = await lockIndex(fx.indexDir);
    expect(JSON.parse(await readFile(path.join(fx.indexDir, 'ingest.lock.owner.json'), 'utf8'))).toMatchObject({ pid: process.pid });
    await release();
  });

  it('taken over during an ingest aborts that build with a clear error, and the previous index stays live', async () => {
    const fx = await fixture();
    const lockDir = path.join(fx.indexDir, 'ingest.lock');
    await fx.ingest();
    const before = await loadIndex(fx.indexDir);
    await writeFile(path.join(fx.sourcesDir, 'bridge.txt'), 'Bridge reopens\n\nThe old bridge over the river reopened on Monday after two years of repairs, the council said.\n');
    let stalled = false;
    const failed = fx.ingest({
      lockStaleMs: STALE_MS,
      onProgress: (p) => {
        if (p.stage !== 'embed' || stalled) return;
        stalled = true;
        // What an ingest on another machine sharing the folder does when this lock looks stale to it (it cannot check
        // that this process is alive): removes the lock, takes it and records itself as the holder.
        rmSync(lockDir, { recursive: true });
        mkdirSync(lockDir);
        writeFileSync(`${lockDir}.owner.json`, JSON.stringify({ pid: 1, hostname: 'another-machine', token: 'theirs', since: new Date().toISOString() }));
      },
    });
    await expect(failed).rejects.toBeInstanceOf(IndexLockLostError);
    await expect(failed).rejects.toThrow(/was lost \(another process took it over\), so this build was abandoned; the previous index is still live\. Run ingest again\.$/);
    const after = await loadIndex(fx.indexDir);
    expect(after.dir).toBe(before.dir);
    // The other machine's lock is left alone; once it is gone the next ingest builds the new article.
    expect(existsSync(lockDir)).toBe(true);
    rmSync(lockDir, { recursive: true });
    expect((await fx.ingest()).added).toEqual(['bridge']);
  });
});

describe('two ingests at once', () => {
  it('lets exactly one run; the other refuses, saying another ingest is running', async () => {
    const fx = await fixture();
    const results = await Promise.allSettled([fx.ingest(), fx.ingest()]);
    const done = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const error = refused[0]!.reason as Error;
    expect(error).toBeInstanceOf(IndexLockedError);
    expect(error.message).toBe(
      `Another ingest is already updating ${path.resolve(fx.indexDir)}. Wait for it to finish (or pass --wait), then run again.`,
    );
    expect(done[0]!.value.changed).toBe(true);
    // The winner's index is whole, and the lock is free again.
    expect((await loadIndex(fx.indexDir)).articles).toHaveLength(2);
    expect((await fx.ingest()).changed).toBe(false);
  });

  it('with waitMs, the second waits for the first and then finds the index up to date', async () => {
    const fx = await fixture();
    const [first, second] = await Promise.all([fx.ingest({ waitMs: 30_000 }), fx.ingest({ waitMs: 30_000 })]);
    const reports = [first, second].sort((a, b) => Number(b.changed) - Number(a.changed));
    expect(reports[0]).toMatchObject({ changed: true, articles: 2 });
    expect(reports[1]).toMatchObject({ changed: false, articles: 2, passages: reports[0]!.passages });
  });
});
