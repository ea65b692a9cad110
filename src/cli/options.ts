// Shared command-line options and how they combine with the configuration: a flag wins over the environment, and a
// command given only an index folder reads the articles from the sources folder that index records (never, silently,
// from another: a missing recorded folder or an unrecorded one behind a damaged index stops the command).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, overrideConfig, type Config } from '../config.js';
import { UserError } from '../errors.js';
import { INGEST_COMMAND, IndexLoadError, liveManifestOf, recordedSourcesDir, storeLocationFromConfig, unreadableIndexReason } from '../index/index.js';

export interface PathOptions {
  sources?: string;
  index?: string;
}

export function addPathOptions(command: Command, which: { sources?: boolean; index?: boolean } = { sources: true, index: true }): Command {
  if (which.sources) command.option('--sources <dir>', 'folder of article files (default: the one the index was built from, else $SOURCES_DIR or seeds)');
  if (which.index) command.option('--index <dir>', 'index folder (default: $INDEX_DIR or embeddings)');
  return command;
}

/** The configuration with command-line path overrides applied. */
export function resolveConfig(options: PathOptions): Config {
  return overrideConfig(loadConfig(), { SOURCES_DIR: options.sources, INDEX_DIR: options.index });
}

/** Whether the user named a sources folder (flag, environment or .env) rather than leaving it to its default. */
function sourcesGiven(options: PathOptions): boolean {
  return options.sources !== undefined || Boolean(process.env.SOURCES_DIR?.trim());
}

/**
 * The configuration for a command working on a built index: when no sources folder is given, the one the index was
 * built from (recorded in its manifest, and beside it), so that `--index DIR` alone answers from, and refreshes, that
 * index's articles. The configured default (seeds/) is never put in its place: quotes would be checked against other
 * articles, and a rebuild would replace the user's articles with those.
 */
export async function resolveIndexConfig(options: PathOptions): Promise<Config> {
  const config = resolveConfig(options);
  if (sourcesGiven(options)) return config;
  const indexDir = config.STORE === 'postgres' ? 'the database (DATABASE_URL)' : path.resolve(config.INDEX_DIR);
  const elsewhere = `\`${ingestCommandLine({ sources: 'DIR', index: options.index })}\``;
  const recorded = await recordedSources(config);
  if (recorded) {
    if (!existsSync(recorded)) {
      throw new UserError(
        `The index in ${indexDir} was built from ${recorded}, which is missing. Put that folder back, or give the one that now holds its articles with --sources DIR (${elsewhere} makes the index use it).`,
      );
    }
    return overrideConfig(config, { SOURCES_DIR: recorded });
  }
  const damage = await unreadableIndexReason(config.INDEX_DIR);
  if (damage) {
    throw new UserError(
      `${damage} The index does not record which sources folder it was built from: rebuild it from the folder that holds its articles with ${elsewhere}.`,
    );
  }
  return config;
}

/** The sources folder the index records being built from: the index folder's record, or the database's live generation. */
async function recordedSources(config: Config): Promise<string | null> {
  if (config.STORE !== 'postgres') return recordedSourcesDir(config.INDEX_DIR);
  return (await liveManifestOf(storeLocationFromConfig(config)).catch(() => null))?.sourcesDir ?? null;
}

/** A path as typed into a POSIX shell. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./~-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The ingest command for the folders the user gave (`npx coverage-bot ingest --sources A --index B`). */
export function ingestCommandLine(options: PathOptions): string {
  const parts = [INGEST_COMMAND];
  if (options.sources !== undefined) parts.push('--sources', shellWord(options.sources));
  if (options.index !== undefined) parts.push('--index', shellWord(options.index));
  return parts.join(' ');
}

/**
 * Runs `open`; an index that cannot be loaded is reported with the exact command that builds it, naming the sources
 * folder the index records when none was given (`ingest` alone would read the configured default instead).
 */
export async function withIngestHint<T>(options: PathOptions, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof IndexLoadError)) throw error;
    const recorded = sourcesGiven(options) ? null : await recordedSources(resolveConfig(options));
    throw error.withIngestCommand(ingestCommandLine(recorded ? { ...options, sources: recorded } : options));
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
