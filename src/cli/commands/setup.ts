// `coverage-bot setup`: build the offline embedding model into MODELS_DIR and fetch the configured hub model once.
import { Command } from 'commander';
import { Embedder, ensureOfflineModel, OFFLINE_MODEL_ID } from '../../embedding/index.js';
import { printJson, resolveConfig } from '../options.js';
import { progressReporter } from '../progress.js';

export const setupCommand = new Command('setup')
  .description('build the offline embedding model and download the configured model (if reachable) into MODELS_DIR')
  .option('--json', 'print one JSON object instead of text')
  .action(async (flags: { json?: boolean }) => {
    const config = resolveConfig({});
    const progress = progressReporter(!flags.json);
    const offline = await ensureOfflineModel(config.MODELS_DIR, {
      onProgress: (stage, done, total) => progress.update(stage, done, total),
    });
    progress.stop();
    const messages: string[] = [];
    const embedder = await Embedder.load({
      model: config.EMBEDDING_MODEL,
      modelsDir: config.MODELS_DIR,
      allowRemote: config.ALLOW_REMOTE_MODELS,
      log: (m) => messages.push(m),
    });
    const result = {
      offlineModel: { id: OFFLINE_MODEL_ID, dir: offline.dir, vocabulary: offline.vocabSize, dimensions: offline.dimensions },
      configuredModel: config.EMBEDDING_MODEL,
      modelInUse: embedder.modelId,
      messages,
    };
    if (flags.json) return printJson(result);
    process.stdout.write(
      `Offline model ${OFFLINE_MODEL_ID}: ${offline.vocabSize} words × ${offline.dimensions} dimensions in ${offline.dir}\n` +
        messages.map((m) => `${m}\n`).join('') +
        `Model in use: ${embedder.modelId}\n`,
    );
  });
