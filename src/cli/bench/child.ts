// Runs a coverage-bot command in a child process, so that each benchmark phase's peak memory is its own.
import { UserError } from '../../errors.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

const BIN = path.join(REPO_ROOT, 'bin', 'coverage-bot.js');

/**
 * Runs `coverage-bot <args>` with this Node and its flags (so `--cpu-prof` reaches the children too) and returns its
 * standard output; its standard error (progress, warnings, errors) goes straight to ours.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(chunks).toString('utf8'));
      // The child printed the whole story; a stack trace of the parent would add nothing.
      reject(new UserError(`\`coverage-bot ${args.join(' ')}\` failed (${signal ?? `exit code ${code}`}); its error is printed above.`));
    });
  });
}

/** The last line of a command's output parsed as JSON (commands print one JSON object with --json). */
export function lastJsonLine(output: string): unknown {
  const line = output.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`expected a JSON line from the child process, got: ${line.slice(0, 200)}`);
  }
}
