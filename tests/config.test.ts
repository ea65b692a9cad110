// The configuration as `.env` gives it: an empty value means unset (the default), and a bad value is one line naming the
// variable and the value that stops only the commands that read it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, overrideConfig } from '../src/config.js';
import { expectOneLineError, runCli } from './index/cli-process.js';
import { readManifest } from '../src/index/store.js';
import { makeIndexFixture, type IndexFixture } from './support/index-fixture.js';

const NO_ENV_FILE = '/nonexistent/.env';
const load = (env: Record<string, string>) => loadConfig(env, NO_ENV_FILE);

/** The ConfigError message reading `key` raises. */
function errorOf(config: object, key: string): string {
  try {
    void (config as Record<string, unknown>)[key];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`reading ${key} raised nothing`);
}

describe('loadConfig', () => {
  it('reads an empty or blank value as unset: the default', () => {
    const config = load({ QUESTIONS_PER_MINUTE: '', PASSAGE_OVERLAP_SENTENCES: ' ', INDEX_DIR: '', SOURCES_DIR: '', LOG_LEVEL: '' });
    expect(config.QUESTIONS_PER_MINUTE).toBe(5);
    expect(config.PASSAGE_OVERLAP_SENTENCES).toBe(1);
    expect(config.INDEX_DIR).toBe('embeddings');
    // Unset: the model's own choice of worker processes, not 0.
    expect(config.EMBEDDING_WORKERS).toBeUndefined();
    // The query-time list that keeps a 22,000-article index's graph search near exact (docs/speed.md).
    expect(config.HNSW_EF_SEARCH).toBe(400);
    expect(config.SOURCES_DIR).toBe('seeds');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('says in one line which variable holds which bad value, when the variable is read', () => {
    const config = load({ EMBEDDING_WORKERS: '-1', QUESTIONS_PER_MINUTE: 'abc', MAX_CONCURRENT_ANSWERS: '0', PASSAGE_TOKENS: '1.5', LOG_LEVEL: 'loud', ALLOW_REMOTE_MODELS: 'yes', DISCORD_CLIENT_ID: 'me', DISCORD_API_URL: 'nope', ASK_CHANNEL_IDS: '123456,x' });
    // Everything else still reads.
    expect(config.INDEX_DIR).toBe('embeddings');
    expect(config.HNSW_M).toBe(16);
    expect(errorOf(config, 'QUESTIONS_PER_MINUTE')).toBe('QUESTIONS_PER_MINUTE=abc is not a number');
    expect(errorOf(config, 'EMBEDDING_WORKERS')).toBe('EMBEDDING_WORKERS=-1 must be 0 or more');
    expect(errorOf(config, 'MAX_CONCURRENT_ANSWERS')).toBe('MAX_CONCURRENT_ANSWERS=0 must be 1 or more');
    expect(errorOf(config, 'PASSAGE_TOKENS')).toBe('PASSAGE_TOKENS=1.5 is not a whole number');
    expect(errorOf(config, 'LOG_LEVEL')).toBe('LOG_LEVEL=loud must be one of fatal, error, warn, info, debug, trace, silent');
    expect(errorOf(config, 'ALLOW_REMOTE_MODELS')).toBe('ALLOW_REMOTE_MODELS=yes must be one of 0, 1, true, false');
    expect(errorOf(config, 'DISCORD_CLIENT_ID')).toBe('DISCORD_CLIENT_ID=me is not a Discord id (5 to 25 digits)');
    expect(errorOf(config, 'DISCORD_API_URL')).toBe('DISCORD_API_URL=nope is not an http:// or https:// URL, such as https://discord.com/api');
    expect(errorOf(config, 'ASK_CHANNEL_IDS')).toBe('ASK_CHANNEL_IDS=123456,x is not a comma-separated list of Discord ids (5 to 25 digits each)');
    for (const key of ['QUESTIONS_PER_MINUTE', 'LOG_LEVEL']) expect(errorOf(config, key)).not.toContain('\n');
  });

  it('chooses the store, and never echoes DATABASE_URL (it holds a password)', () => {
    expect(load({}).STORE).toBe('local');
    const config = load({ STORE: 'postgres', DATABASE_URL: 'postgres://bot:hunter2@db.internal:5432/coverage' });
    expect(config.STORE).toBe('postgres');
    expect(config.DATABASE_URL).toBe('postgres://bot:hunter2@db.internal:5432/coverage');
    const bad = load({ STORE: 'mongo', DATABASE_URL: 'mysql://bot:hunter2@db.internal/coverage' });
    expect(errorOf(bad, 'STORE')).toBe('STORE=mongo must be one of local, postgres');
    expect(errorOf(bad, 'DATABASE_URL')).toBe(
      'DATABASE_URL=(hidden) is not a postgres:// URL, such as postgres://bot:password@db.internal:5432/coverage',
    );
  });

  it('keeps a bad value unread when a path is overridden', () => {
    const config = overrideConfig(load({ QUESTIONS_PER_MINUTE: 'abc' }), { INDEX_DIR: 'elsewhere', SOURCES_DIR: undefined });
    expect(config.INDEX_DIR).toBe('elsewhere');
    expect(config.SOURCES_DIR).toBe('seeds');
    expect(errorOf(config, 'QUESTIONS_PER_MINUTE')).toBe('QUESTIONS_PER_MINUTE=abc is not a number');
  });
});

describe('a bad value stops only the commands that read it', () => {
  let fx: IndexFixture;
  let scratch: string;
  beforeAll(async () => {
    fx = await makeIndexFixture();
    await fx.ingest();
    scratch = await mkdtemp(path.join(tmpdir(), 'coverage-bot-config-'));
  });
  afterAll(async () => {
    await fx.cleanup();
    await rm(scratch, { recursive: true, force: true });
  });

  it('ask and sources run with a bad bot limit; ingest names its own bad setting in one line', async () => {
    const badLimit = { QUESTIONS_PER_MINUTE: 'abc', MAX_CONCURRENT_ANSWERS: 'lots' };
    const [sources, ask, ingest] = await Promise.all([
      runCli(['sources', '--json', '--index', fx.indexDir], { env: badLimit }),
      runCli(['ask', '--json', '--index', fx.indexDir, 'Who is the armed forces chief?'], { env: badLimit }),
      runCli(['ingest', '--sources', fx.sourcesDir, '--index', path.join(scratch, 'index')], { env: { PASSAGE_OVERLAP_SENTENCES: 'abc' } }),
    ]);
    expect(sources.stderr).toBe('');
    expect(sources.code).toBe(0);
    expect(ask.code).toBe(0);
    expect(expectOneLineError(ingest)).toBe('coverage-bot: PASSAGE_OVERLAP_SENTENCES=abc is not a number');
  });

  it('ingest with an empty INDEX_DIR builds the default index folder instead of failing with a stack trace', async () => {
    // Run from a scratch folder: the default index folder is relative to where the command runs.
    const result = await runCli(['ingest', '--json', '--sources', fx.sourcesDir], { env: { INDEX_DIR: '', SOURCES_DIR: '' }, cwd: scratch });
    expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(result.code).toBe(0);
    await expect(readManifest(path.join(scratch, 'embeddings'))).resolves.toBeTruthy();
  });
});

describe('DISCORD_API_URL', () => {
  it.each(['http://127.0.0.1:4321/api', 'https://discord.com/api'])('accepts %s', (url) => {
    expect(load({ DISCORD_API_URL: url }).DISCORD_API_URL).toBe(url);
  });

  // A javascript: or file: URL has the origin "null", which would then pass the upload host check as if it were a host.
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,hi', 'ftp://files.example/api', 'discord.com/api'])('refuses %s', (url) => {
    expect(errorOf(load({ DISCORD_API_URL: url }), 'DISCORD_API_URL')).toBe(
      `DISCORD_API_URL=${url} is not an http:// or https:// URL, such as https://discord.com/api`,
    );
  });
});
