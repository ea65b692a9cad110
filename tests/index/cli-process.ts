// Runs the real `coverage-bot` command (bin/coverage-bot.js) in a child process, configured for the offline model.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { MODELS_DIR, REPO_ROOT } from '../support/index-fixture.js';

const BIN = path.join(REPO_ROOT, 'bin/coverage-bot.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** Settles when the process has exited, with everything it printed. */
  exited: Promise<CliResult>;
}

export interface CliOptions {
  fileSizeLimitKb?: number;
  env?: Record<string, string>;
  /** Run as this user (needs root); see `unprivilegedUser`. */
  user?: { uid: number; gid: number };
  /** Working folder of the command (the repository root by default). */
  cwd?: string;
}

/**
 * Whom to run a command as so that file permissions apply: root reads a mode-000 file anyway, so under root (as the
 * tests run in CI) the command runs as `nobody`; otherwise as the current user.
 */
export function unprivilegedUser(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}

/** The environment a user would set for an offline run; settings match tests/support/index-fixture.ts. */
function cliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    EMBEDDING_MODEL: OFFLINE_MODEL_ID,
    ALLOW_REMOTE_MODELS: 'false',
    MODELS_DIR,
    PASSAGE_TOKENS: '200',
    PASSAGE_OVERLAP_SENTENCES: '1',
    HNSW_M: '16',
    HNSW_EF_CONSTRUCTION: '200',
    HNSW_EF_SEARCH: '100',
    MAX_ARTICLE_BYTES: '5000000',
  };
}

/**
 * Starts `coverage-bot <args>`. With `fileSizeLimitKb`, runs it under `ulimit -f`, so that writing any file past that
 * size fails with EFBIG, as writing to a full disk fails with ENOSPC (which root cannot otherwise provoke).
 */
export function startCli(args: string[], opts: CliOptions = {}): CliProcess {
  const options = { cwd: opts.cwd ?? REPO_ROOT, env: { ...cliEnv(), ...opts.env }, ...(opts.user ?? {}) };
  const child =
    opts.fileSizeLimitKb === undefined
      ? spawn(process.execPath, [BIN, ...args], options)
      : spawn(
          'bash',
          ['-c', `ulimit -f ${opts.fileSizeLimitKb} && exec "$0" "$@"`, process.execPath, BIN, ...args],
          options,
        );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).exited;
}

/** A user-facing failure: exit code 1 and one line on stderr, no stack trace. Returns the line. */
export function expectOneLineError(result: CliResult): string {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^coverage-bot: /);
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
  return lines[0]!;
}

/** Polls `condition` every few milliseconds until it holds; fails after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
