// Shared command-line options and how they combine with the configuration: a flag wins over the environment.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';

export interface PathOptions {
  sources?: string;
  index?: string;
}

export function addPathOptions(command: Command, which: { sources?: boolean; index?: boolean } = { sources: true, index: true }): Command {
  if (which.sources) command.option('--sources <dir>', 'folder of article files (default: $SOURCES_DIR or seeds)');
  if (which.index) command.option('--index <dir>', 'index folder (default: $INDEX_DIR or embeddings)');
  return command;
}

/** The configuration with command-line path overrides applied. */
export function resolveConfig(options: PathOptions): Config {
  const config = loadConfig();
  return {
    ...config,
    SOURCES_DIR: options.sources ?? config.SOURCES_DIR,
    INDEX_DIR: options.index ?? config.INDEX_DIR,
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
