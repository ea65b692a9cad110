// The program's commands (each listed and reachable although only the one being run is imported), and the user's
// mistakes, as the command line reports them (src/cli/main.ts): one line saying what to do, exit code 1, no
// stack trace: a missing or non-folder --sources (leaving no index folder behind), a malformed eval question file, an
// outlet no article comes from, a token Discord rejects, a Discord API that cannot be reached. An empty sources folder
// is a warning, not a failure.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, buildProgram, requestedCommand } from '../../src/cli/main.js';
import { expectOneLineError, runCli } from '../index/cli-process.js';
import { REPO_ROOT, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { FakeDiscord } from '../bot/fake-discord/index.js';

let fx: IndexFixture;
let fake: FakeDiscord;

beforeAll(async () => {
  fx = await makeIndexFixture();
  await fx.ingest();
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.stop();
  await fx?.cleanup();
});

describe('coverage-bot --version', () => {
  it('prints the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('one-line errors', () => {
  it('a sources folder that does not exist: says so and how to give one, and leaves no index folder behind', async () => {
    const index = path.join(fx.root, 'new-index');
    const missing = path.join(fx.root, 'no-such-folder');
    const line = expectOneLineError(await runCli(['ingest', '--sources', missing, '--index', index]));
    expect(line).toBe(
      `coverage-bot: The sources folder ${missing} does not exist: create it and put article files in it, or give the folder that holds them with --sources DIR (or SOURCES_DIR).`,
    );
    expect(existsSync(index)).toBe(false);
  });

  it('a file given as the sources folder', async () => {
    const file = path.join(fx.sourcesDir, '000_b9dabca082e516ec.txt');
    const line = expectOneLineError(await runCli(['ingest', '--sources', file, '--index', path.join(fx.root, 'other-index')]));
    expect(line).toBe(`coverage-bot: ${file} is not a folder: give the folder that holds the article files with --sources DIR (or SOURCES_DIR).`);
  });

  it('an empty sources folder is a warning: no articles found, and which files count as articles', async () => {
    const empty = path.join(fx.root, 'empty');
    await mkdir(empty);
    const result = await runCli(['ingest', '--sources', empty, '--index', path.join(fx.root, 'empty-index')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`warning: no articles found in ${empty}; article files end in .txt, .md, .markdown, .json, .ndjson, .jsonl, .html, .htm, .csv.\n`);
  });

  it('a malformed eval question file names the file, the line and the expected shape', async () => {
    const questions = path.join(fx.root, 'questions.jsonl');
    await writeFile(questions, '{"id":"a","question":"Who?","expect":"answer","answers":[]}\n{"id":"b","question":"Why?"\n');
    const line = expectOneLineError(await runCli(['eval', '--questions', questions, '--index', fx.indexDir]));
    expect(line).toMatch(new RegExp(`^coverage-bot: ${questions.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: not a JSON object \\(.*\\); each line is one JSON object: `));
    const missing = expectOneLineError(await runCli(['eval', '--questions', path.join(fx.root, 'none.jsonl'), '--index', fx.indexDir]));
    expect(missing).toBe(`coverage-bot: cannot read the question file ${path.join(fx.root, 'none.jsonl')} (ENOENT).`);
  });

  it('an outlet no article comes from lists the outlets there are', async () => {
    const line = expectOneLineError(await runCli(['ask', '--index', fx.indexDir, '--outlet', 'Reuters', 'Who leads Niger?']));
    expect(line).toBe('coverage-bot: no articles from Reuters; outlets: NBC News, UrduPoint.');
  });

  it('a token Discord rejects: says to copy the token again', async () => {
    const env = { DISCORD_TOKEN: 'not-the-token', DISCORD_API_URL: fake.apiUrl };
    const expected =
      'coverage-bot: Discord rejected DISCORD_TOKEN: it is not the token of a bot, or it was reset. Copy the current token from ' +
      'https://discord.com/developers/applications (your application → Bot → Reset Token) into .env as DISCORD_TOKEN=..., then start again.';
    expect(expectOneLineError(await runCli(['register'], { env }))).toBe(expected);
    const bot = await runCli(['bot', '--index', fx.indexDir], { env: { ...env, LOG_LEVEL: 'silent' } });
    expect(expectOneLineError(bot)).toBe(expected);
  });

  it('a Discord API that cannot be reached: names it and what to check', async () => {
    const apiUrl = 'http://127.0.0.1:9/api';
    const line = expectOneLineError(await runCli(['bot', '--index', fx.indexDir], { env: { DISCORD_TOKEN: 'x', DISCORD_API_URL: apiUrl, LOG_LEVEL: 'silent' } }));
    expect(line).toBe(`coverage-bot: Cannot reach the Discord API at ${apiUrl} (DISCORD_API_URL) (ECONNREFUSED): check the network connection and DISCORD_API_URL, then start again.`);
  });
});

describe('coverage-bot commands', () => {
  it('each registry entry loads the command of its name, with options of its own', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name()).toBe(entry.name);
      expect(command.description().length).toBeGreaterThan(0);
    }
    expect((await COMMANDS.find((c) => c.name === 'ask')!.load()).options.map((o) => o.long)).toContain('--json');
  });

  it('names the command being run, also after `help`', () => {
    expect(requestedCommand(['node', 'bin', 'ask', 'Who?'])).toBe('ask');
    expect(requestedCommand(['node', 'bin', 'help', 'ingest'])).toBe('ingest');
    expect(requestedCommand(['node', 'bin', '--help'])).toBe('--help');
    expect(requestedCommand(['node', 'bin'])).toBeUndefined();
  });

  it('lists every command with its summary without loading any', async () => {
    const loaded: string[] = [];
    const program = await buildProgram((name) => (loaded.push(name), false));
    const help = program.helpInformation();
    for (const entry of COMMANDS) expect(help).toMatch(new RegExp(`${entry.name}\\s+${entry.summary.replace(/[()]/g, '\\$&')}`));
    expect(loaded).toEqual(COMMANDS.map((c) => c.name));
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
  });

  it('`--help`, `help ask` and a mistyped command work from the command line', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const entry of COMMANDS) expect(help.stdout).toContain(entry.summary);
    const askHelp = await runCli(['help', 'ask']);
    expect(askHelp.stdout).toContain('--outlet <name>');
    const typo = await runCli(['aks']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Did you mean ask?');
  });
});
