// `coverage-bot ask` as a user runs it (a child process on the offline model, over a real seed index): one question as
// JSON or terminal text, a stream of questions on stdin answered one JSON line each, a filter, and clear option errors.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/types.js';
import { parseAnswerOptions } from '../../src/cli/commands/ask.js';
import { runCli, startCli, waitUntil } from '../index/cli-process.js';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { MODELS_DIR, REPO_ROOT, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { NBC_FILE } from '../support/seed-coverage.js';

let fixture: IndexFixture;
const ask = (...args: string[]) => runCli(['ask', '--index', fixture.indexDir, '--sources', fixture.sourcesDir, ...args]);
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const BIN = path.join(REPO_ROOT, 'bin/coverage-bot.js');

beforeAll(async () => {
  fixture = await makeIndexFixture();
  await fixture.ingest();
});
afterAll(() => fixture?.cleanup());

describe('coverage-bot ask', () => {
  it('--json prints one JSON object whose quotes are verbatim in the cited files', async () => {
    const result = await ask('--json', 'Who is the armed forces chief?');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!) as Answer;
    // Answered or shown as the closest coverage, as the fitted decision judges: the quotes are what is tested.
    expect(answer.outcome).not.toBe('not-covered');
    expect(answer.quotes.some((q) => q.text.includes('Abdou Sidikou Issa'))).toBe(true);
    for (const q of answer.quotes) {
      expect(q).toHaveProperty('answer_span');
      const file = collapse(await readFile(path.join(fixture.sourcesDir, q.source.file), 'utf8'));
      expect(file).toContain(collapse(q.text));
    }
  });

  it('prints quotes with numbered citations and a sources list on a terminal', async () => {
    const result = await ask('Who', 'is', 'the', 'armed', 'forces', 'chief?');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^“.*Abdou Sidikou Issa.*” \[1\]$/m);
    expect(result.stdout).toContain('\nSources:\n[1] UrduPoint · 2023-07-27 · ');
  });

  it('with no question, answers each stdin line as it arrives, one JSON line each, errors included', async () => {
    const cli = startCli(['ask', '--index', fixture.indexDir, '--sources', fixture.sourcesDir, '--json']);
    let out = '';
    cli.child.stdout!.on('data', (chunk: string) => (out += chunk));
    cli.child.stdin!.write('Who is the armed forces chief?\n');
    // The first answer comes back while stdin is still open: the process stays up with its model and index loaded.
    await waitUntil(() => out.includes('\n') || cli.child.exitCode !== null, 'the first answer is printed', 30_000);
    expect(cli.child.exitCode).toBeNull();
    expect(JSON.parse(out).quotes.length).toBeGreaterThan(0);
    cli.child.stdin!.end('\n   \nHow do I reset my router password?\n<@123> @everyone\n');
    const result = await cli.exited;
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ question: 'Who is the armed forces chief?', outcome: expect.stringMatching(/^(answered|closest)$/) });
    expect(lines[1]).toMatchObject({ question: 'How do I reset my router password?', answered: false, quotes: [] });
    expect(lines[2]).toEqual({ question: '<@123> @everyone', error: expect.stringMatching(/question is empty/) });
    // Piped input needs no telling: nothing but the answers.
    expect(result.stderr).toBe('');
  });

  // `script` runs the command on a pseudo-terminal, as a user typing `coverage-bot ask` would.
  it.runIf(existsSync('/usr/bin/script'))('with no question on a terminal, says it reads questions from standard input until Ctrl-D', async () => {
    const command = [process.execPath, BIN, 'ask', '--index', fixture.indexDir, '--sources', fixture.sourcesDir].map((w) => `'${w}'`).join(' ');
    const terminal = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, EMBEDDING_MODEL: OFFLINE_MODEL_ID, ALLOW_REMOTE_MODELS: 'false', MODELS_DIR } });
    let out = '';
    terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    terminal.stdin.write('Who is the armed forces chief?\n\u0004');
    const code = await new Promise((resolve) => terminal.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toContain('No question given: reading questions from standard input, one a line (Ctrl-D to end).');
    expect(out).toContain('Abdou Sidikou Issa');
  });

  it('--outlet keeps the quotes to that outlet', async () => {
    const result = await ask('--json', '--outlet', 'NBC', 'What did the coup leaders decide?');
    const answer = JSON.parse(result.stdout) as Answer;
    expect(answer.outcome).not.toBe('not-covered');
    expect(answer.quotes.length).toBeGreaterThan(0);
    expect(new Set(answer.quotes.map((q) => q.source.file))).toEqual(new Set([NBC_FILE]));
  });

  it('a bad --since is one clear line on stderr and exit 1', async () => {
    const result = await ask('--since', '27/07/2023', 'Who is the armed forces chief?');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('coverage-bot: --since: expected a date as YYYY-MM-DD\n');
  });
});

describe('parseAnswerOptions', () => {
  it('accepts calendar dates and a count, and keeps what was given', () => {
    expect(parseAnswerOptions({ k: '2', outlet: 'NBC', since: '2024-02-29', until: '2024-03-01' })).toEqual({
      k: 2,
      outlet: 'NBC',
      since: '2024-02-29',
      until: '2024-03-01',
    });
    expect(parseAnswerOptions({ since: '2023-07-27', until: '2023-07-27' })).toEqual({ since: '2023-07-27', until: '2023-07-27' });
  });

  it.each([
    [{ since: '27/07/2023' }, '--since: expected a date as YYYY-MM-DD'],
    [{ until: '2023-7-27' }, '--until: expected a date as YYYY-MM-DD'],
    [{ since: '2023-02-30' }, '--since: no such date (expected YYYY-MM-DD)'],
    [{ until: '2023-13-01' }, '--until: no such date (expected YYYY-MM-DD)'],
    [{ since: '2023-08-01', until: '2023-07-01' }, '--since: 2023-08-01 is after --until 2023-07-01'],
    [{ k: '0' }, '--k: '],
    [{ k: 'three' }, '--k: '],
    [{ outlet: '' }, '--outlet: '],
  ])('%o → a UserError naming the option: %s', (flags, message) => {
    let error: Error | undefined;
    try {
      parseAnswerOptions(flags);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('UserError');
    expect(error?.message.startsWith(message)).toBe(true);
  });
});
