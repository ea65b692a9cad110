// One writer at a time: a second ingest of the same index is refused with a clear message, or waits when asked to.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexLockedError, lockIndex } from '../../src/index/lock.js';
import { loadIndex } from '../../src/index/store.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';

const fixtures: IndexFixture[] = [];

afterEach(async () => {
  for (const fx of fixtures.splice(0)) await fx.cleanup();
});

async function fixture(): Promise<IndexFixture> {
  const fx = await makeIndexFixture();
  fixtures.push(fx);
  return fx;
}

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
