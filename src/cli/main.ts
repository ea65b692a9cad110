// The `coverage-bot` command: parses the command line and runs one subcommand; known errors print one clear message.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { isUserError } from '../errors.js';
import { askCommand } from './commands/ask.js';
import { botCommand } from './commands/bot.js';
import { benchCommand } from './commands/bench.js';
import { chatCommand } from './commands/chat.js';
import { evalCommand } from './commands/eval.js';
import { ingestCommand } from './commands/ingest.js';
import { registerCommand } from './commands/register.js';
import { setupCommand } from './commands/setup.js';
import { sourcesCommand } from './commands/sources.js';
import { startCommand } from './commands/start.js';

/** The version in package.json, which `--version` prints. */
export function programVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as unknown;
  return z.object({ version: z.string().min(1) }).parse(manifest).version;
}

export function buildProgram(): Command {
  return new Command('coverage-bot')
    .description('Answers questions about news coverage with verbatim, cited quotes.')
    .version(programVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .addCommand(ingestCommand)
    .addCommand(sourcesCommand)
    .addCommand(setupCommand)
    .addCommand(askCommand)
    .addCommand(chatCommand)
    .addCommand(evalCommand)
    .addCommand(benchCommand)
    .addCommand(startCommand)
    .addCommand(botCommand)
    .addCommand(registerCommand);
}

export async function main(argv: string[]): Promise<void> {
  // Node ignores SIGXFSZ, so that a write past `ulimit -f` fails with EFBIG and is reported; but signal-exit (under
  // proper-lockfile) re-raises the signal when nobody else listens for it, killing the process without a word.
  process.on('SIGXFSZ', () => {});
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (isUserError(error)) {
      process.stderr.write(`coverage-bot: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`coverage-bot: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
