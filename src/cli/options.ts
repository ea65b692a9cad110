// Shared command-line options and how they combine with the configuration: a flag wins over the environment, and a
// command given only an index folder reads the articles from the sources folder that index records.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, overrideConfig, type Config } from '../config.js';
import { INGEST_COMMAND, IndexLoadError, recordedSourcesDir } from '../index/index.js';

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
 * built from (recorded in its manifest), so that `--index DIR` alone answers from, and refreshes, that index's articles.
 */
export async function resolveIndexConfig(options: PathOptions): Promise<Config> {
  const config = resolveConfig(options);
  if (sourcesGiven(options)) return config;
  const recorded = await recordedSourcesDir(config.INDEX_DIR);
  // A recorded folder that is gone (the project moved) leaves the configured one.
  return recorded && existsSync(recorded) ? overrideConfig(config, { SOURCES_DIR: recorded }) : config;
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

/** Runs `open`; an index that cannot be loaded is reported with the exact command that builds it. */
export async function withIngestHint<T>(options: PathOptions, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof IndexLoadError) throw error.withIngestCommand(ingestCommandLine(options));
    throw error;
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
