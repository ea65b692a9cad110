// `coverage-bot start` (npm start): builds or refreshes the index when it is missing or stale, with progress, then runs
// the Discord bot when DISCORD_TOKEN is set, or else says how to set one up and opens the chat console on the same answers.
import { Command } from 'commander';
import { coverageOptionsFromConfig, openCoverage } from '../../answer/index.js';
import type { Config } from '../../config.js';
import { Embedder } from '../../embedding/index.js';
import { IndexLockedError, ingest, ingestOptionsFromConfig, liveManifestOf, storeLocationFromConfig } from '../../index/index.js';
import { addPathOptions, resolveIndexConfig, type PathOptions } from '../options.js';
import { progressReporter, writeNotice } from '../progress.js';
import { runBot } from './bot.js';
import { runChat } from './chat.js';
import { formatIngestReport } from './ingest.js';

const say = writeNotice;

/** Brings the index up to date (only new or changed articles are embedded); an index locked by a running ingest is used as it is. */
export async function prepareIndex(config: Config, embedder: Embedder): Promise<void> {
  const progress = progressReporter(true);
  try {
    const report = await ingest({
      ...ingestOptionsFromConfig(config),
      embedder,
      onProgress: (p) => progress.update(p.stage, p.done, p.total, p.fraction),
      log: (message) => progress.notice(message),
    });
    progress.stop();
    say(formatIngestReport(report));
  } catch (error) {
    progress.stop();
    const existing = await liveManifestOf(storeLocationFromConfig(config)).catch(() => null);
    if (!(error instanceof IndexLockedError) || !existing) throw error;
    say(`${error.message}\nStarting on the current index meanwhile.`);
  }
}

export const startCommand = addPathOptions(
  new Command('start').description('build or refresh the index, then run the bot (or the chat console when DISCORD_TOKEN is not set)'),
).action(async (flags: PathOptions) => {
  const config = await resolveIndexConfig(flags);
  // On a first run the offline model is built here (about 5 s): show it, as the index build after it is shown.
  const modelProgress = progressReporter(true);
  const embedder = await Embedder.load({
    model: config.EMBEDDING_MODEL,
    modelsDir: config.MODELS_DIR,
    allowRemote: config.ALLOW_REMOTE_MODELS,
    log: (message) => modelProgress.notice(message),
    onBuildProgress: (step, done, total) => modelProgress.update(step, done, total),
  }).finally(() => modelProgress.stop());
  await prepareIndex(config, embedder);
  const coverage = await openCoverage({ ...coverageOptionsFromConfig(config, say), embedder });
  if (!config.DISCORD_TOKEN) {
    process.stdout.write(
      'No DISCORD_TOKEN is set, so this is the local chat console: the same answers the Discord bot gives.\n' +
        'To run the bot, put DISCORD_TOKEN=<bot token from https://discord.com/developers/applications> in .env, run `npx coverage-bot register`, then `npm start` again.\n',
    );
    await runChat(coverage);
    return;
  }
  const { createLogger } = await import('../../bot/index.js');
  await runBot(config, createLogger(config.LOG_LEVEL), coverage);
});
