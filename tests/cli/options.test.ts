// A command given only --index works on the index's own articles: the sources folder is recorded (absolute) in the
// manifest at ingest, `ask --index` verifies its quotes there, `ingest --index` refreshes from there instead of seeds/,
// another --sources says what it removes before it does, and a cited file gone missing is said once, never silently.
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { ingestCommandLine } from '../../src/cli/options.js';
import type { IngestReport } from '../../src/index/ingest.js';
import { loadIndex, readManifest } from '../../src/index/store.js';
import { expectOneLineError, runCli, startCli } from '../index/cli-process.js';
import { listBuilds, liveBuildDir, readPointer } from '../index/index-files.js';
import { writeSyntheticArticles } from '../index/synthetic-articles.js';
import { SEEDS_DIR } from '../support/index-fixture.js';
import { AFP_FILE } from '../support/seed-coverage.js';

const NBC = '000_b9dabca082e516ec';
const AFP = '001_f0ef755a6af1d45a';
const CHIEF = 'Who is the armed forces chief?';

let root: string;
let news: string;
let index: string;

beforeAll(async () => {
  // Like `~/news` and `~/idx`: neither is the default seeds/ or embeddings/.
  root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-paths-'));
  news = path.join(root, 'news');
  index = path.join(root, 'idx');
  await cp(SEEDS_DIR, news, { recursive: true });
  const built = await runCli(['ingest', '--sources', news, '--index', index]);
  expect(built.code).toBe(0);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('an index that knows its sources folder', () => {
  it('records the sources folder, absolute, in the manifest', async () => {
    expect((await readManifest(index))?.sourcesDir).toBe(news);
  });

  it('ask --index alone answers from the index’s own folder, quotes verbatim in its files', async () => {
    const result = await runCli(['ask', '--json', '--index', index, CHIEF]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const answer = JSON.parse(result.stdout) as Answer;
    expect(answer.outcome).not.toBe('not-covered');
    expect(answer.quotes.length).toBeGreaterThan(0);
    for (const q of answer.quotes) expect(await readFile(path.join(news, q.source.file), 'utf8')).toContain(q.text.split('\n')[0]);
  });

  it('ingest --index alone refreshes from that folder and keeps the articles', async () => {
    const result = await runCli(['ingest', '--json', '--index', index]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as IngestReport;
    expect(report).toMatchObject({ changed: false, removed: [], articles: 2, sourcesDir: news });
  });

  it('says once, naming the file and "run ingest", when a cited article’s file is missing; its quotes are dropped', async () => {
    const away = path.join(root, AFP_FILE);
    await rename(path.join(news, AFP_FILE), away);
    try {
      const cli = startCli(['ask', '--json', '--index', index]);
      cli.child.stdin!.end(`${CHIEF}\n${CHIEF}\n`);
      const result = await cli.exited;
      expect(result.code).toBe(0);
      const answers = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer);
      expect(answers).toHaveLength(2);
      for (const a of answers) expect(a.quotes.every((q) => q.source.id !== AFP)).toBe(true);
      const notices = result.stderr.trim().split('\n');
      expect(notices).toEqual([
        `${AFP_FILE} is missing (ENOENT) since the index was built: its quotes cannot be verified and are left out. Run ingest to update the index (\`npx coverage-bot ingest\`; in Discord, /refresh).`,
      ]);
    } finally {
      await rename(away, path.join(news, AFP_FILE));
    }
  });

  it('an explicit --sources that differs says what it will remove before it does', async () => {
    const other = path.join(root, 'other');
    await mkdir(other);
    await cp(path.join(news, `${NBC}.txt`), path.join(other, `${NBC}.txt`));
    const result = await runCli(['ingest', '--json', '--sources', other, '--index', index]);
    expect(result.code).toBe(0);
    expect(result.stderr.trim()).toBe(
      `The index was built from ${news}; indexing ${other} instead removes 1 article not found there: ${AFP}. To keep them, run again with --sources ${news}.`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ removed: [AFP], articles: 1, sourcesDir: other });
    expect((await readManifest(index))?.sourcesDir).toBe(other);
  });
});

describe('ingestCommandLine', () => {
  it('names the folders the user gave, quoted for a shell when needed', () => {
    expect(ingestCommandLine({})).toBe('npx coverage-bot ingest');
    expect(ingestCommandLine({ index: '/tmp/idx' })).toBe('npx coverage-bot ingest --index /tmp/idx');
    expect(ingestCommandLine({ sources: "my news/it's", index: 'idx' })).toBe("npx coverage-bot ingest --sources 'my news/it'\\''s' --index idx");
  });
});

describe('an index whose build is damaged, or whose sources folder is gone', () => {
  // Not the seeds: a rebuild from seeds/ would index other articles than these.
  let mine: string;
  let built: string;
  const GENERATED = 'generated-0000';
  const copies: string[] = [];

  beforeAll(async () => {
    mine = path.join(root, 'mine');
    built = path.join(root, 'mine-index');
    await mkdir(mine);
    await cp(path.join(news, `${NBC}.txt`), path.join(mine, `${NBC}.txt`));
    await writeSyntheticArticles(mine, 1);
    const result = await runCli(['ingest', '--sources', mine, '--index', built]);
    expect(result.code).toBe(0);
  });

  /** A copy of the built index, changed by `damage` (given the live build's folder and the index folder). */
  async function damagedCopy(damage: (build: string, indexDir: string) => Promise<void>): Promise<string> {
    const dir = path.join(root, `damaged-${copies.length}`);
    copies.push(dir);
    await cp(built, dir, { recursive: true });
    await damage(await liveBuildDir(dir), dir);
    return dir;
  }
  const indexedIds = async (dir: string) => (await loadIndex(dir, { withSearch: false })).articles.map((a) => a.id);

  it('a damaged manifest: ask names the command that rebuilds from the recorded folder, and that command keeps the articles', async () => {
    const dir = await damagedCopy((build) => writeFile(path.join(build, 'manifest.json'), '{"schemaVersion": '));
    const line = expectOneLineError(await runCli(['ask', '--index', dir, CHIEF]));
    const command = `npx coverage-bot ingest --sources ${mine} --index ${dir}`;
    expect(line).toContain(`\`${command}\``);

    const rebuilt = await runCli(['ingest', '--json', '--index', dir]);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ fullRebuild: true, sourcesDir: mine, articles: 2 });
    expect(await indexedIds(dir)).toEqual([NBC, GENERATED]);
  });

  it('a deleted current.json: ingest --index rebuilds from the recorded folder, not seeds/', async () => {
    const dir = await damagedCopy((_build, indexDir) => rm(path.join(indexDir, 'current.json')));
    const rebuilt = await runCli(['ingest', '--json', '--index', dir]);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ sourcesDir: mine });
    expect(await indexedIds(dir)).toEqual([NBC, GENERATED]);
  });

  it('a damaged manifest: start rebuilds from the recorded folder too, before it opens the console', async () => {
    const dir = await damagedCopy((build) => writeFile(path.join(build, 'manifest.json'), '{"schemaVersion": '));
    const cli = startCli(['start', '--index', dir], { env: { DISCORD_TOKEN: '' } });
    cli.child.stdin!.end();
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Full rebuild: the previous index is unreadable');
    expect(await indexedIds(dir)).toEqual([NBC, GENERATED]);
  });

  it('a damaged index that does not record its folder: ingest --index refuses without --sources and deletes nothing', async () => {
    const dir = await damagedCopy(async (build, indexDir) => {
      await writeFile(path.join(build, 'manifest.json'), '{}');
      await rm(path.join(indexDir, 'sources.json'));
    });
    const builds = await listBuilds(dir);
    const line = expectOneLineError(await runCli(['ingest', '--index', dir]));
    expect(line).toContain('--sources');
    expect(await listBuilds(dir)).toEqual(builds);
  });

  it('a sources folder that is gone: ask and ingest --index stop, naming the folder and --sources, and change nothing', async () => {
    const away = `${mine}-away`;
    const pointer = await readPointer(built);
    await rename(mine, away);
    try {
      for (const args of [['ask', '--index', built, CHIEF], ['ingest', '--index', built]]) {
        const line = expectOneLineError(await runCli(args));
        expect(line).toContain(`built from ${mine}, which is missing`);
        expect(line).toContain('--sources');
      }
      expect(await readPointer(built)).toBe(pointer);
      expect(await indexedIds(built)).toEqual([NBC, GENERATED]);
    } finally {
      await rename(away, mine);
    }
  });
});
