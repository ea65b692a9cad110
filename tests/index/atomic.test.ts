// A refresh that dies never costs the user the index they had: the real CLI is killed mid-build (SIGKILL) or fails
// mid-write (EFBIG, as on a full disk), and the old index still loads with its old contents; the next ingest recovers.
// Two ingests started at once: one runs, the other is refused with a message saying why.
import { existsSync, readdirSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIndex } from '../../src/index/store.js';
import { runCli, startCli, waitUntil } from './cli-process.js';
import { listBuilds, readPointer } from './index-files.js';
import { useSeededIndexes } from './seeded-index.js';
import { writeSyntheticArticles } from './synthetic-articles.js';

const seededCopy = useSeededIndexes();

/** A copy of the seeds index: the index that must survive. */
async function seededIndex() {
  const fx = await seededCopy();
  const before = await loadIndex(fx.indexDir);
  return { fx, before, pointer: await readPointer(fx.indexDir), builds: await listBuilds(fx.indexDir) };
}

describe('an interrupted ingest', () => {
  it('two at once: one is refused; the other, killed mid-build, leaves the old index serving; the next ingest recovers', async () => {
    const { fx, before, pointer, builds } = await seededIndex();
    const generated = await writeSyntheticArticles(fx.sourcesDir, 400);
    const args = ['ingest', '--json', '--sources', fx.sourcesDir, '--index', fx.indexDir];
    const runs = [startCli(args), startCli(args)];

    // The refused one exits within a couple of seconds, long before the other has embedded 400 articles.
    const first = await Promise.race(runs.map((run) => run.exited.then((result) => ({ run, result }))));
    expect(first.result.code).toBe(1);
    expect(first.result.stdout).toBe('');
    expect(first.result.stderr).toBe(
      `coverage-bot: Another ingest is already updating ${fx.indexDir}. Wait for it to finish (or pass --wait), then run again.\n`,
    );
    const running = runs.find((run) => run !== first.run)!;

    // Kill the other as soon as its new build folder appears.
    const buildsDir = path.join(fx.indexDir, 'builds');
    await waitUntil(() => readdirSync(buildsDir).length > builds.length, 'a new build folder appears');
    running.child.kill('SIGKILL');
    const killed = await running.exited;
    expect(killed.signal).toBe('SIGKILL');
    const partial = (await listBuilds(fx.indexDir)).filter((b) => !builds.includes(b));
    expect(partial).toHaveLength(1);
    expect(existsSync(path.join(buildsDir, partial[0]!, 'manifest.json'))).toBe(false);

    // The old index is still the live one, whole.
    expect(await readPointer(fx.indexDir)).toBe(pointer);
    const after = await loadIndex(fx.indexDir);
    expect(after.manifest.counts).toEqual(before.manifest.counts);
    expect(after.manifest.builtAt).toBe(before.manifest.builtAt);
    expect(after.passages).toEqual(before.passages);

    // The dead process's lock stays until it is stale: 10 s without a refresh. Age it rather than wait the 10 s; the next
    // ingest then takes it over, builds everything and clears the leftovers.
    const lock = path.join(fx.indexDir, 'ingest.lock');
    expect(existsSync(lock)).toBe(true);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lock, longAgo, longAgo);
    const report = await fx.ingest();
    expect(report.changed).toBe(true);
    expect(report.added).toEqual(generated);
    const rebuilt = await loadIndex(fx.indexDir);
    expect(rebuilt.articles).toHaveLength(2 + generated.length);
    expect(await listBuilds(fx.indexDir)).toEqual([path.basename(rebuilt.dir)]);
    expect(existsSync(path.join(fx.indexDir, 'ingest.lock'))).toBe(false);
  });

  it('a write failing mid-build (file too large) leaves the old index serving, no partial build and no lock', async () => {
    const { fx, before, pointer, builds } = await seededIndex();
    const generated = await writeSyntheticArticles(fx.sourcesDir, 20);
    const failed = await runCli(['ingest', '--sources', fx.sourcesDir, '--index', fx.indexDir], { fileSizeLimitKb: 16 });
    // One line saying what happened and what to do: no stack, and no death by SIGXFSZ (which the file size limit sends).
    expect(failed.signal).toBeNull();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      `coverage-bot: Could not write the index in ${fx.indexDir}: a file size limit (ulimit -f) was reached (EFBIG). Free some space (or raise the limit) and run ingest again; the previous index is still live.\n`,
    );

    expect(await readPointer(fx.indexDir)).toBe(pointer);
    expect(await listBuilds(fx.indexDir)).toEqual(builds);
    const after = await loadIndex(fx.indexDir);
    expect(after.manifest.counts).toEqual(before.manifest.counts);
    expect(after.passages).toEqual(before.passages);

    // No wait needed: the failed run released its lock.
    const report = await fx.ingest();
    expect(report.added).toEqual(generated);
    expect((await loadIndex(fx.indexDir)).articles).toHaveLength(2 + generated.length);
  });
});
