// The no-change refresh: an ingest whose sources match the fingerprint recorded with the live build answers "up to date"
// without reading articles, yet still reports skipped files, notices any change of content (even one that keeps the
// file's size and modification time), and falls back to reading everything when the fingerprint is missing or damaged.
import { copyFile, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSourceFingerprint } from '../../src/index/source-fingerprint.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { FIXTURES_DIR, liveBuildDir } from './index-files.js';

const NBC_FILE = '000_b9dabca082e516ec.txt';
const fixtures: IndexFixture[] = [];

afterEach(async () => {
  for (const fx of fixtures.splice(0)) await fx.cleanup();
});

async function builtFixture(): Promise<IndexFixture> {
  const fx = await makeIndexFixture();
  fixtures.push(fx);
  // A file that is always skipped, so the report has something to repeat.
  await copyFile(path.join(FIXTURES_DIR, 'broken.json'), path.join(fx.sourcesDir, 'broken.json'));
  await fx.ingest();
  return fx;
}

describe('source fingerprint', () => {
  it('is recorded with the live build: every source file, and the skipped ones with their reasons', async () => {
    const fx = await builtFixture();
    const recorded = await readSourceFingerprint(fx.indexDir);
    expect(recorded?.build).toBe(path.basename(await liveBuildDir(fx.indexDir)));
    expect(Object.keys(recorded!.files).sort()).toEqual(['000_b9dabca082e516ec.txt', '001_f0ef755a6af1d45a.txt', 'broken.json']);
    expect(recorded!.skipped.map((s) => s.file)).toEqual(['broken.json']);
  });

  it('makes a no-change ingest report the same as reading every article would', async () => {
    const fx = await builtFixture();
    const slow = await (async () => {
      await rm(path.join(fx.indexDir, 'sources.json'));
      return fx.ingest();
    })();
    const fast = await fx.ingest();
    expect(fast).toMatchObject({ changed: false, fullRebuild: false, added: [], updated: [], removed: [] });
    const { seconds: _a, ...fastFigures } = fast;
    const { seconds: _b, ...slowFigures } = slow;
    expect(fastFigures).toEqual(slowFigures);
    expect(fast.skipped).toEqual([expect.objectContaining({ file: 'broken.json' })]);
  });

  it('notices changed content even when size and modification time are kept', async () => {
    const fx = await builtFixture();
    const file = path.join(fx.sourcesDir, NBC_FILE);
    const before = await stat(file);
    const text = await readFile(file, 'utf8');
    // Same length: one letter swapped for another, everywhere the capital is named.
    expect(text).toContain('Niamey');
    await writeFile(file, text.replaceAll('Niamey', 'Niamez'));
    await utimes(file, before.atime, before.mtime);
    const report = await fx.ingest();
    expect(report.changed).toBe(true);
    expect(report.updated).toEqual(['000_b9dabca082e516ec']);
  });

  it('notices an added file, and reads everything when the fingerprint is damaged', async () => {
    const fx = await builtFixture();
    await copyFile(path.join(FIXTURES_DIR, 'ecowas-summit.md'), path.join(fx.sourcesDir, 'ecowas-summit.md'));
    expect((await fx.ingest()).added).toEqual(['ecowas-summit']);
    await writeFile(path.join(fx.indexDir, 'sources.json'), '{"build": 3');
    const report = await fx.ingest();
    expect(report).toMatchObject({ changed: false, unchanged: 3 });
    // …and records a good one again.
    expect((await readSourceFingerprint(fx.indexDir))?.files['ecowas-summit.md']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not trust the fingerprint of another build', async () => {
    const fx = await builtFixture();
    const recorded = (await readSourceFingerprint(fx.indexDir))!;
    await writeFile(path.join(fx.indexDir, 'sources.json'), JSON.stringify({ ...recorded, build: 'build-elsewhere' }));
    const report = await fx.ingest();
    expect(report.changed).toBe(false);
    expect((await readSourceFingerprint(fx.indexDir))?.build).toBe(recorded.build);
  });

  it('records the sources folder beside current.json, also for an index whose record predates it', async () => {
    const fx = await builtFixture();
    const { sourcesDir: recordedDir, ...older } = (await readSourceFingerprint(fx.indexDir))!;
    expect(recordedDir).toBe(fx.sourcesDir);
    await writeFile(path.join(fx.indexDir, 'sources.json'), JSON.stringify(older));
    expect((await fx.ingest()).changed).toBe(false);
    expect((await readSourceFingerprint(fx.indexDir))?.sourcesDir).toBe(fx.sourcesDir);
  });
});
