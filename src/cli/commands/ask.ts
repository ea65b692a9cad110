// `coverage-bot ask`: answer one question, or one question a line from standard input (model and index loaded once).
import { UserError } from '../../errors.js';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import {
  ANSI,
  type AnswerOptions,
  answerOptionsSchema,
  coverageOptionsFromConfig,
  dateRangeProblem,
  formatJson,
  formatTerminal,
  openCoverage,
  PLAIN,
} from '../../answer/index.js';
import { addPathOptions, resolveIndexConfig, withIngestHint, type PathOptions } from '../options.js';
import { writeNotice } from '../progress.js';

/** What `ask` without a question says on a terminal, where it would otherwise seem to hang. */
export const STDIN_PROMPT = 'No question given: reading questions from standard input, one a line (Ctrl-D to end).\n';

export function parseAnswerOptions(flags: unknown): AnswerOptions {
  const parsed = answerOptionsSchema.safeParse(flags);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`--${issue.path.join('.')}: ${issue.message}`);
  }
  const { since, until } = parsed.data;
  if (dateRangeProblem(parsed.data)) throw new UserError(`--since: ${since} is after --until ${until}`);
  return parsed.data;
}

export const askCommand = addPathOptions(
  new Command('ask')
    .description('answer a question with verbatim, cited quotes (no question: one question a line from stdin)')
    .argument('[question...]', 'the question')
    .option('--json', 'print JSON (one object a line when reading stdin)')
    .option('--k <n>', 'quotes at most (1-10, default 3)')
    .option('--outlet <name>', 'only articles from this outlet')
    .option('--since <date>', 'only articles published on or after this date (YYYY-MM-DD)')
    .option('--until <date>', 'only articles published on or before this date (YYYY-MM-DD)'),
).action(async (words: string[], flags: PathOptions & { json?: boolean; k?: string; outlet?: string; since?: string; until?: string }) => {
  const options = parseAnswerOptions({ k: flags.k, outlet: flags.outlet, since: flags.since, until: flags.until });
  const config = await resolveIndexConfig(flags);
  const coverage = await withIngestHint(flags, () => openCoverage(coverageOptionsFromConfig(config, writeNotice)));
  // Said once, before any question: every answer would be "no answer" otherwise.
  if (options.outlet) await coverage.requireOutlet(options.outlet);
  const style = process.stdout.isTTY ? ANSI : PLAIN;
  const print = async (question: string) => {
    const answer = await coverage.answer(question, options);
    process.stdout.write(`${flags.json ? formatJson(answer) : formatTerminal(answer, style)}\n`);
  };
  if (words.length > 0) return print(words.join(' '));
  // On a terminal, say why nothing happens yet.
  if (process.stdin.isTTY) process.stderr.write(STDIN_PROMPT);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      await print(line);
    } catch (error) {
      // One bad line must not end a batch: report it in the same shape as the answers.
      const message = (error as Error).message;
      process.stdout.write(flags.json ? `${JSON.stringify({ question: line, error: message })}\n` : `error: ${message}\n`);
    }
    if (!flags.json) process.stdout.write('\n');
  }
});
