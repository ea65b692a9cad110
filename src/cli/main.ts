// The `coverage-bot` command: parses the command line and runs one subcommand; known errors print one clear message.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { isUserError } from '../errors.js';
import { printableText } from '../printable.js';

/** The version in package.json, which `--version` prints. */
export function programVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as unknown;
  return z.object({ version: z.string().min(1) }).parse(manifest).version;
}

// Only the subcommand being run is imported: each pulls in its part of the pipeline (zod schemas, the index, the model,
// discord.js), and `--help` or `ask` should not pay for all of them.
interface CommandEntry {
  name: string;
  /** The one line `coverage-bot --help` lists; the command's own `--help` gives its full description. */
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'ingest', summary: 'build or refresh the index from the article files', load: async () => (await import('./commands/ingest.js')).ingestCommand },
  { name: 'sources', summary: 'list the indexed articles', load: async () => (await import('./commands/sources.js')).sourcesCommand },
  { name: 'setup', summary: 'build the offline model and fetch the configured one', load: async () => (await import('./commands/setup.js')).setupCommand },
  { name: 'ask', summary: 'answer a question with verbatim, cited quotes', load: async () => (await import('./commands/ask.js')).askCommand },
  { name: 'chat', summary: 'interactive console to try the bot without Discord', load: async () => (await import('./commands/chat.js')).chatCommand },
  { name: 'eval', summary: 'evaluate answers on a question file against BM25', load: async () => (await import('./commands/eval.js')).evalCommand },
  { name: 'bench', summary: 'benchmark ingestion and answering', load: async () => (await import('./commands/bench.js')).benchCommand },
  { name: 'start', summary: 'refresh the index, then run the bot (or the chat console)', load: async () => (await import('./commands/start.js')).startCommand },
  { name: 'bot', summary: 'run the Discord bot (needs DISCORD_TOKEN)', load: async () => (await import('./commands/bot.js')).botCommand },
  { name: 'register', summary: 'register the slash commands with Discord', load: async () => (await import('./commands/register.js')).registerCommand },
];

/**
 * The program with `load` commands fully defined (options, action) and the others as named placeholders, so the command
 * list, suggestions for a mistyped name and `help <command>` work without importing every command.
 */
export async function buildProgram(load: (name: string) => boolean = () => true): Promise<Command> {
  const program = new Command('coverage-bot')
    .description('Answers questions about news coverage with verbatim, cited quotes.')
    .version(programVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();
  for (const entry of COMMANDS) {
    const command = load(entry.name) ? await entry.load() : new Command(entry.name);
    program.addCommand(command.summary(entry.summary));
  }
  return program;
}

/** The subcommand named on the command line (`help ask` names `ask`); commander treats the rest. */
export function requestedCommand(argv: string[]): string | undefined {
  const [first, second] = argv.slice(2);
  return first === 'help' ? second : first;
}

export async function main(argv: string[]): Promise<void> {
  // Node ignores SIGXFSZ, so that a write past `ulimit -f` fails with EFBIG and is reported; but signal-exit (under
  // proper-lockfile) re-raises the signal when nobody else listens for it, killing the process without a word.
  process.on('SIGXFSZ', () => {});
  try {
    const requested = requestedCommand(argv);
    const program = await buildProgram((name) => name === requested);
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (isUserError(error)) {
      // A user error can name a file or an outlet from the sources folder.
      process.stderr.write(`coverage-bot: ${printableText((error as Error).message)}\n`);
    } else {
      process.stderr.write(`coverage-bot: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
