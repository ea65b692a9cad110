// The progress line of long commands: the stage, the bar, done/total, and the time left only when it is known; the first
// run's offline model build shows it too (on a pseudo-terminal, through script(1)).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressLine, timeLeft } from '../../src/cli/progress.js';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { REPO_ROOT, SEEDS_DIR } from '../support/index-fixture.js';

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
