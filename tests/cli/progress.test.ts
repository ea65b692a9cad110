// The progress line of long commands: the stage, the bar, done/total, and the time left only when it is known; the first
// run's offline model build shows it too (on a pseudo-terminal, through script(1)); every bar ends full, and a notice
// printed meanwhile gets a line of its own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateSecondsLeft, progressLine, timeLeft } from '../../src/cli/progress.js';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { MODELS_DIR, REPO_ROOT, SEEDS_DIR } from '../support/index-fixture.js';

describe('progressLine', () => {
  it('shows the time left when the rate is known, and nothing (never "NFs left") when it is not', () => {
    expect(progressLine('embed', '███░░', 30, 100, 12.4)).toBe('embed  [███░░] 30/100 (12 s left)');
    expect(progressLine('embed', '███░░', 30, 100, 125)).toBe('embed  [███░░] 30/100 (2 min 5 s left)');
    for (const unknown of ['INF', 'NULL', Infinity, Number.NaN, -3, undefined]) {
      expect(progressLine('embed', '░░░░░', 0, 100, unknown)).toBe('embed  [░░░░░] 0/100');
      expect(progressLine('embed', '█░░░░', 20, 100, unknown)).toBe('embed  [█░░░░] 20/100');
    }
    expect(timeLeft('INF')).toBe('');
    expect(timeLeft(0.4)).toBe('');
  });
});

describe('estimateSecondsLeft', () => {
  it('estimates from the share of the work done, not the share of the texts, and says nothing until some is done', () => {
    // A quarter of the work in 30 s: 90 s left, whatever share of the texts that was.
    expect(estimateSecondsLeft(30, 0.25)).toBeCloseTo(90);
    expect(progressLine('embed', '███░░', 6000, 10000, estimateSecondsLeft(30, 0.25))).toBe('embed  [███░░] 6000/10000 (1 min 30 s left)');
    expect(estimateSecondsLeft(0.5, 0.001)).toBeUndefined();
    expect(estimateSecondsLeft(30, 1)).toBeUndefined();
    expect(estimateSecondsLeft(0, 0.5)).toBeUndefined();
  });
});

/** Runs `coverage-bot <args>` on a pseudo-terminal (script(1)) and returns all it wrote there. */
async function onTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const command = [process.execPath, path.join(REPO_ROOT, 'bin/coverage-bot.js'), ...args].map((w) => `'${w}'`).join(' ');
  const terminal = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  terminal.stdin.end();
  let out = '';
  terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  expect(await new Promise((resolve) => terminal.on('close', resolve))).toBe(0);
  return out;
}

describe.runIf(existsSync('/usr/bin/script'))('ingest on a terminal', () => {
  it('ends every stage\'s bar full, and prints a notice on a line of its own, whole', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-bars-'));
    try {
      // A model that is not in the models folder (`npm run dev-models` makes e5-small, MiniLM and bge-small), with the hub
      // not allowed: the notice comes while the bars run.
      const env = { EMBEDDING_MODEL: 'Xenova/e5-base-v2', ALLOW_REMOTE_MODELS: 'false', MODELS_DIR };
      const out = await onTerminal(['ingest', '--sources', SEEDS_DIR, '--index', path.join(root, 'index')], env);
      const last = new Map<string, string>();
      for (const [, stage, done, total] of out.matchAll(/([a-z]+) +\[[█░]+\] (\d+)\/(\d+)/g)) last.set(stage!, `${done}/${total}`);
      expect([...last.keys()]).toEqual(expect.arrayContaining(['load', 'embed', 'index', 'write']));
      for (const [stage, shown] of last) expect(`${stage} ${shown}`).toMatch(/ (\d+)\/\1$/);
      // Nothing of a bar before it on its line, and all of it there, up to its last word.
      const line = out.split(/\r?\n/).find((l) => l.includes('could not load Xenova/e5-base-v2'));
      expect(line).toMatch(/^could not load Xenova\/e5-base-v2 \(.*\); using the offline model local\/wink-sg-100d\. .*\.\r?$/);
      expect(out).toContain('Indexed 2 articles');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.runIf(existsSync('/usr/bin/script'))('the first run on a terminal', () => {
  it('shows progress while it builds the offline model, then the index', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-first-run-'));
    try {
      const bin = path.join(REPO_ROOT, 'bin/coverage-bot.js');
      const command = [process.execPath, bin, 'ingest', '--sources', SEEDS_DIR, '--index', path.join(root, 'index')].map((w) => `'${w}'`).join(' ');
      // An empty models folder: the offline model is built first, as on a fresh clone.
      const env = { ...process.env, EMBEDDING_MODEL: OFFLINE_MODEL_ID, ALLOW_REMOTE_MODELS: 'false', MODELS_DIR: path.join(root, 'models') };
      const terminal = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, env });
      terminal.stdin.end();
      let out = '';
      terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      expect(await new Promise((resolve) => terminal.on('close', resolve))).toBe(0);
      expect(out).toMatch(/model +\[[█░]+\] \d+\/\d+/);
      expect(out).toMatch(/embed +\[[█░]+\] \d+\/\d+/);
      expect(out).not.toMatch(/NFs|LLs/);
      expect(out).toContain('Indexed 2 articles');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});
