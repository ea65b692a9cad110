// Vitest global setup: builds the offline embedding model once per run into the default models folder (MODELS_DIR's
// default), so every suite can load local/wink-sg-100d through the real pipeline(). A current build is reused as is.
import path from 'node:path';
import { ensureOfflineModel } from '../src/embedding/index.js';

export default async function setup(): Promise<void> {
  let announced = false;
  await ensureOfflineModel(path.resolve('models'), {
    onProgress: () => {
      if (announced) return;
      announced = true;
      console.log('Building the offline embedding model into models/ (once; later runs reuse it)…');
    },
  });
}
