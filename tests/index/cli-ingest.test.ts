// `coverage-bot ingest` and `coverage-bot sources` as a user runs them: one JSON object per run with --json, bad files
// reported and skipped, and a missing or damaged index explained in one line with how to rebuild.
import { chmod, copyFile, cp, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReport } from '../../src/index/ingest.js';
import { loadIndex } from '../../src/index/store.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { expectOneLineError, runCli, unprivilegedUser, type CliResult } from './cli-process.js';
import { FIXTURES_DIR, liveBuildDir } from './index-files.js';

const NBC = '000_b9dabca082e516ec';
const AFP = '001_f0ef755a6af1d45a';

describe('coverage-bot ingest and sources', () => {
  let fx: IndexFixture;
  let first: CliResult;
  let report: IngestReport;
  let rerun: CliResult;
  let sources: CliResult;
  let missing: CliResult;
  let damaged: CliResult;
  let damagedRoot: string;

  beforeAll(async () => {
    fx = await makeIndexFixture();
    await writeFile(path.join(fx.sourcesDir, 'empty.txt'), '');
    await copyFile(path.join(FIXTURES_DIR, 'broken.json'), path.join(fx.sourcesDir, 'broken.json'));
    first = await runCli(['ingest', '--json', '--sources', fx.sourcesDir, '--index', fx.indexDir]);
    report = JSON.parse(first.stdout) as IngestReport;

    damagedRoot = await mkdtemp(path.join(tmpdir(), 'coverage-bot-cli-'));
    const damagedIndex = path.join(damagedRoot, 'index');
    await cp(fx.indexDir, damagedIndex, { recursive: true });
    await truncate(path.join(await liveBuildDir(damagedIndex), 'vectors.f32'), 64);
    // The later commands only read: run them side by side.
    [rerun, sources, missing, damaged] = await Promise.all([
      runCli(['ingest', '--sources', fx.sourcesDir, '--index', fx.indexDir]),
      runCli(['sources', '--json', '--index', fx.indexDir]),
      runCli(['sources', '--index', path.join(fx.root, 'never-built')]),
      runCli(['sources', '--json', '--index', damagedIndex]),
    ]);
  });

  afterAll(async () => {
    await fx.cleanup();
    await rm(damagedRoot, { recursive: true, force: true });
  });

  it('ingest --json prints one JSON object saying what changed', async () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(report).toMatchObject({ changed: true, added: [NBC, AFP], updated: [], removed: [], articles: 2 });
    const index = await loadIndex(fx.indexDir);
    expect(report.passages).toBe(index.passages.length);
    expect(report.seconds).toBeGreaterThan(0);
    expect(report.seconds).toBeLessThan(600);
  });

  it('reports bad files as skipped with the reason, and ingests the good ones', async () => {
    expect(report.skipped).toHaveLength(2);
    expect(report.skipped).toContainEqual({ file: 'empty.txt', reason: 'the file is empty' });
    const broken = report.skipped.find((s) => s.file === 'broken.json');
    expect(broken?.reason).toMatch(/JSON/);
    expect(broken?.reason).toMatch(/line \d+, column \d+/);
    expect((await loadIndex(fx.indexDir)).articles.map((a) => a.id)).toEqual([NBC, AFP]);
  });

  it('ingest without --json says the index is up to date on a second run, and still lists the skipped files', () => {
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/^Index is up to date: 2 articles, \d+ passages/);
    expect(rerun.stdout).toContain('Skipped 2 files:\n  broken.json: ');
  });

  it('sources --json lists every article with its metadata and passage count', async () => {
    expect(sources.code).toBe(0);
    const rows = JSON.parse(sources.stdout) as Array<Record<string, unknown>>;
    const index = await loadIndex(fx.indexDir);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['byline', 'file', 'id', 'outlet', 'passages', 'published', 'title', 'url']);
      const article = index.articleById.get(row.id as string)!;
      expect(row).toEqual({
        id: article.id,
        title: article.title,
        outlet: article.outlet,
        published: article.published,
        byline: article.byline,
        url: article.url,
        file: article.file,
        passages: index.passages.filter((p) => p.articleId === article.id).length,
      });
    }
    expect(rows[0]).toMatchObject({ id: NBC, outlet: 'NBC News', file: `${NBC}.txt` });
    expect(rows[1]).toMatchObject({ id: AFP, published: '2023-07-27' });
    expect(rows.reduce((sum, r) => sum + (r.passages as number), 0)).toBe(report.passages);
  });

  it('sources on a missing index exits 1 with one line giving the exact command that builds it (not "rebuild")', () => {
    const line = expectOneLineError(missing);
    const dir = path.join(fx.root, 'never-built');
    expect(line).toBe(`coverage-bot: No index found in ${dir}. Build it with \`npx coverage-bot ingest --index ${dir}\`.`);
  });

  it('sources on a damaged index exits 1 with one line naming the damage and the fix, from the folder it was built from', () => {
    const line = expectOneLineError(damaged);
    expect(line).toContain('vectors.f32 is truncated or corrupt');
    expect(line).toContain(`Rebuild it with \`npx coverage-bot ingest --sources ${fx.sourcesDir} --index ${path.join(damagedRoot, 'index')}\``);
  });
});

describe('an index the user may not read', () => {
  let fx: IndexFixture;
  const user = unprivilegedUser();

  beforeAll(async () => {
    fx = await makeIndexFixture();
    await fx.ingest();
    // The command runs as another user when the tests run as root: it must reach the folders to meet the one it may not read.
    await chmod(fx.root, 0o755);
  });
  afterAll(() => fx.cleanup());

  it('says it cannot read the index folder, once and without a stack trace, for ask and for ingest', async () => {
    await chmod(fx.indexDir, 0o000);
    try {
      const asked = expectOneLineError(await runCli(['ask', '--sources', fx.sourcesDir, '--index', fx.indexDir, 'Who is the armed forces chief?'], { user }));
      expect(asked).toContain(`Cannot read ${fx.indexDir}`);
      expect(asked).not.toContain('No index found');
      const ingested = expectOneLineError(await runCli(['ingest', '--sources', fx.sourcesDir, '--index', fx.indexDir], { user }));
      expect(ingested).toContain(`Cannot read ${fx.indexDir}`);
    } finally {
      await chmod(fx.indexDir, 0o755);
    }
  });

  it('says it cannot read an index file, rather than that the file is missing', async () => {
    const vectors = path.join(await liveBuildDir(fx.indexDir), 'vectors.f32');
    await chmod(vectors, 0o000);
    try {
      const line = expectOneLineError(await runCli(['ask', '--sources', fx.sourcesDir, '--index', fx.indexDir, 'Who is the armed forces chief?'], { user }));
      expect(line).toContain(`Cannot read ${vectors}`);
      expect(line).not.toContain('missing');
    } finally {
      await chmod(vectors, 0o644);
    }
  });
});
