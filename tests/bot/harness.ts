// Runs the real bot (CoverageBot on a real index built with the offline model) against FakeDiscord, and reads its
// replies back the way a user sees them: embeds unescaped, quotes mapped to the articles they cite.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ComponentType, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { coverageOptionsFromConfig, openCoverage, type Coverage } from '../../src/answer/index.js';
import { CoverageBot } from '../../src/bot/client.js';
import { createLogger } from '../../src/bot/log.js';
import { registerCommands } from '../../src/cli/commands/register.js';
import { configSchema, type Config } from '../../src/config.js';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { loadIndex } from '../../src/index/index.js';
import { MODELS_DIR, REPO_ROOT, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { BBC_SLICE_CSV, BBC_SLICE_ROWS } from '../support/shared-corpus.js';
import { DEFAULT_IDS, FakeDiscord, type FakeDiscordOptions, type FakeMessage } from './fake-discord/index.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface BotHarness {
  fake: FakeDiscord;
  fixture: IndexFixture;
  config: Config;
  bot: CoverageBot;
  logs: LogLine[];
  /** The article text behind an id, from the index the bot answers from now. */
  articleText(id: string): Promise<string>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeDiscordOptions;
  env?: Record<string, string>;
  /** Extra article files (name → content) in the sources folder before the index is built. */
  sources?: Record<string, string>;
  /** Reuse an already built index instead of building one. */
  fixture?: IndexFixture;
  coverage?: Coverage;
  /** How long stop() waits for work in flight (default 10 s). */
  graceMs?: number;
}

/** The first `count` BBC articles (of the 30 shipped with the tests) as .txt files: enough for paging and for distractors. */
export function bbcArticles(count: number): Record<string, string> {
  if (count > BBC_SLICE_ROWS) throw new Error(`the tests ship ${BBC_SLICE_ROWS} BBC articles, not ${count}`);
  const rows = parse(readFileSync(BBC_SLICE_CSV), { columns: true, to: count }) as { text: string }[];
  return Object.fromEntries(rows.map((row, i) => [`bbc-${String(i + 1).padStart(3, '0')}.txt`, row.text]));
}

export async function buildFixture(sources: Record<string, string> = {}): Promise<IndexFixture> {
  const fixture = await makeIndexFixture();
  for (const [name, content] of Object.entries(sources)) await writeFile(path.join(fixture.sourcesDir, name), content);
  await fixture.ingest();
  return fixture;
}

export function testConfig(fake: FakeDiscord, fixture: IndexFixture, env: Record<string, string> = {}): Config {
  return configSchema.parse({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: DEFAULT_IDS.guild,
    ASK_CHANNEL_IDS: DEFAULT_IDS.ask,
    SOURCES_DIR: fixture.sourcesDir,
    INDEX_DIR: fixture.indexDir,
    MODELS_DIR,
    EMBEDDING_MODEL: OFFLINE_MODEL_ID,
    ALLOW_REMOTE_MODELS: 'false',
    QUESTIONS_PER_MINUTE: '0',
    MAX_CONCURRENT_ANSWERS: '64',
    FEEDBACK_LOG: path.join(fixture.root, 'feedback.jsonl'),
    LOG_LEVEL: 'info',
    ...env,
  });
}

export async function startHarness(opts: HarnessOptions = {}): Promise<BotHarness> {
  const fixture = opts.fixture ?? (await buildFixture(opts.sources));
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: 1000, ...opts.fake });
  await registerCommands({ token: fake.token, apiUrl: fake.apiUrl, guildId: DEFAULT_IDS.guild });
  const config = testConfig(fake, fixture, opts.env);
  const logs: LogLine[] = [];
  const log = createLogger(config.LOG_LEVEL, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const coverage =
    opts.coverage ??
    (await openCoverage(coverageOptionsFromConfig(config, (m) => log.warn(m))));
  const bot = new CoverageBot({ config, coverage, log, graceMs: opts.graceMs ?? 10_000 });
  await bot.start();
  return {
    fake,
    fixture,
    config,
    bot,
    logs,
    async articleText(id) {
      // The live index on disk: what the bot's coverage answers from, after a refresh too.
      const article = (await loadIndex(fixture.indexDir, { withSearch: false })).articleById.get(id);
      if (!article) throw new Error(`no article ${id} in the index`);
      return article.text;
    },
    async stop() {
      await bot.stop();
      await fake.stop();
      if (!opts.fixture) await fixture.cleanup();
    },
  };
}

/** Dispatches /ask and returns the message its deferred reply was edited into. */
export async function ask(
  fake: FakeDiscord,
  question: string,
  extra: { userId?: string; options?: Record<string, string | boolean>; channelId?: string } = {},
): Promise<{ id: string; token: string; message: FakeMessage; latencyMs: number }> {
  const started = performance.now();
  const sent = fake.dispatchInteraction({
    kind: 'command',
    name: 'ask',
    userId: extra.userId,
    channelId: extra.channelId,
    options: { question, ...extra.options },
  });
  const edit = await fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original', 20_000);
  const latencyMs = performance.now() - started;
  const message = fake.message(edit.messageId ?? '');
  if (!message) throw new Error('the edited reply is not recorded');
  return { id: sent.id, token: sent.token, message, latencyMs };
}

/** Markdown as the reader sees it: bold markers dropped, backslash escapes resolved. */
export function displayed(markdown: string): string {
  return markdown.replace(/(?<!\\)\*\*/g, '').replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

export interface ShownQuote {
  /** The quote as displayed, without the trailing "…" of a cut quote. */
  text: string;
  cut: boolean;
  marker: number;
}

/** The quotes of an answer embed: "> “text” [n]" blocks. */
export function shownQuotes(embed: APIEmbed): ShownQuote[] {
  const quotes: ShownQuote[] = [];
  for (const block of (embed.description ?? '').split('\n\n')) {
    const lines = block.split('\n').filter((l) => l.startsWith('> '));
    if (lines.length === 0) continue;
    const body = lines.map((l) => l.slice(2)).join('\n');
    const match = /^“([\s\S]*)” \[(\d+)\]$/.exec(body);
    if (!match) throw new Error(`not a quote block: ${body.slice(0, 200)}`);
    let text = displayed(match[1]!);
    const cut = text.endsWith('…');
    if (cut) text = text.replace(/ ?…$/, '');
    quotes.push({ text, cut, marker: Number(match[2]) });
  }
  return quotes;
}

/** Source marker → article id, from the Sources fields ("**[n]** … `id`"). */
export function sourceIds(embed: APIEmbed): Map<number, string> {
  const ids = new Map<number, string>();
  const text = (embed.fields ?? []).map((f) => f.value).join('\n');
  for (const match of text.matchAll(/\*\*\[(\d+)\]\*\*[^\n]*\n(?:[^\n]* · )?`([^`]+)`/g)) ids.set(Number(match[1]), match[2]!);
  return ids;
}

/** Characters Discord counts toward a message's 6,000 embed characters. */
export function embedChars(embeds: APIEmbed[]): number {
  return embeds.reduce(
    (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The buttons of a message, in order. */
export function buttonsOf(message: FakeMessage): APIButtonComponent[] {
  const rows = (message.api.components ?? []) as { components?: { type: number }[] }[];
  return rows.flatMap((row) => row.components ?? []).filter((c): c is APIButtonComponent => c.type === ComponentType.Button);
}

/** The custom id of the button with this label (or emoji). */
export function buttonId(message: FakeMessage, label: string): string {
  const button = buttonsOf(message).find((b) => ('label' in b && b.label === label) || ('emoji' in b && b.emoji?.name === label));
  if (!button || !('custom_id' in button)) throw new Error(`no button ${label}`);
  return button.custom_id;
}

export interface BotProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `coverage-bot bot …` on the fixture's index against the fake, output piped to this process. */
export function startBot(fake: FakeDiscord, fixture: IndexFixture, args: string[] = [], env: Record<string, string> = {}): BotProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coverage-bot.js'), 'bot', '--sources', fixture.sourcesDir, '--index', fixture.indexDir, ...args], {
    cwd: fixture.root,
    env: {
      ...process.env,
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      MODELS_DIR,
      EMBEDDING_MODEL: OFFLINE_MODEL_ID,
      ALLOW_REMOTE_MODELS: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}
