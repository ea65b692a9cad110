// `coverage-bot chat`: an interactive console on the same answer pipeline as the bot, to try it without Discord.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { printableText } from '../../printable.js';
import { countOf } from '../../wording.js';
import { ANSI, citationLine, type Coverage, coverageOptionsFromConfig, formatTerminal, openCoverage, PLAIN } from '../../answer/index.js';
import { addPathOptions, resolveIndexConfig, withIngestHint, type PathOptions } from '../options.js';
import { writeNotice } from '../progress.js';

const HELP = `Ask a question about the indexed coverage, or:
  /sources [outlet]  list the indexed articles
  /source ID         one article's details
  /help              this help
  /quit              leave (Ctrl-D works too)`;

const HISTORY_FILE = path.join('data', 'chat-history');

/** Runs one console line; returns the text to print, or null to quit. */
export async function chatLine(coverage: Coverage, line: string, style = PLAIN): Promise<string | null> {
  const input = line.trim();
  if (!input) return '';
  const [command, ...rest] = input.split(/\s+/);
  const arg = rest.join(' ');
  switch (command) {
    case '/quit':
    case '/exit':
      return null;
    case '/help':
      return HELP;
    case '/sources': {
      const sources = await coverage.sources(arg ? { outlet: arg } : undefined);
      if (sources.length === 0) return arg ? `No articles from an outlet matching "${arg}".` : 'The index holds no articles.';
      return printableText(sources.map((s) => `${s.id}  ${citationLine(s)} (${countOf(s.passages, 'passage')})`).join('\n'));
    }
    case '/source': {
      if (!arg) return 'Usage: /source ID (see /sources for the ids).';
      const s = await coverage.source(arg);
      if (!s) {
        const starting = (await coverage.sources()).filter((c) => c.id.startsWith(arg));
        if (starting.length > 1) return `${countOf(starting.length, 'article')} have an id starting with "${arg}": ${starting.slice(0, 10).map((c) => c.id).join(', ')}. Type more of it.`;
        return `No article with id "${arg}". See /sources.`;
      }
      // The article's metadata and opening lines, which a terminal must not take for commands.
      return printableText(
        [
          citationLine(s),
          s.byline ? `Byline: ${s.byline}` : null,
          s.dateline ? `Dateline: ${s.dateline}` : null,
          s.url ? `Link: ${s.url}` : null,
          `File: ${s.file} · ${countOf(s.passages, 'passage')}`,
          '',
          s.opening,
        ]
          .filter((l) => l !== null)
          .join('\n'),
      );
    }
    default:
      if (command!.startsWith('/')) return `Unknown command ${command}. ${HELP}`;
      try {
        return formatTerminal(await coverage.answer(input), style);
      } catch (error) {
        return `Sorry: ${(error as Error).message}`;
      }
  }
}

async function readHistory(): Promise<string[]> {
  try {
    return (await readFile(HISTORY_FILE, 'utf8')).split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    return [];
  }
}

export async function runChat(coverage: Coverage): Promise<void> {
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal, history: await readHistory(), historySize: 500 });
  const status = coverage.status();
  process.stdout.write(`coverage-bot chat: ${countOf(status.articles, 'article')}, ${countOf(status.passages, 'passage')} (${status.model}). Type /help.\n`);
  if (terminal) await mkdir(path.dirname(HISTORY_FILE), { recursive: true });
  try {
    // Iterating the interface (rather than awaiting question()) buffers lines that arrive together, as piped input does.
    rl.setPrompt('> ');
    rl.prompt();
    for await (const line of rl) {
      if (terminal && line.trim()) await appendFile(HISTORY_FILE, `${line.trim()}\n`);
      const out = await chatLine(coverage, line, terminal ? ANSI : PLAIN);
      if (out === null) break;
      if (out) process.stdout.write(`${out}\n\n`);
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}

export const chatCommand = addPathOptions(new Command('chat').description('interactive console to try the bot without Discord')).action(
  async (flags: PathOptions) => {
    const config = await resolveIndexConfig(flags);
    await runChat(await withIngestHint(flags, () => openCoverage(coverageOptionsFromConfig(config, writeNotice))));
  },
);
