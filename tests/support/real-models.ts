// Which real embedding models a test run has: `npm run dev-models` writes them into MODELS_DIR (CI runs it first).
// A model whose folder is absent is skipped with a printed reason (the failure dev-models recorded, if any), except in
// CI, where that fails the run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_MODELS, devModelsReportSchema } from '../../scripts/dev-models-report.js';
import { MODELS_DIR } from './index-fixture.js';

export interface RealModel {
  id: string;
  /** Why its tests are skipped; undefined when the model is present. */
  skip?: string;
}

export function realModels(modelsDir = MODELS_DIR, ci = Boolean(process.env.CI)): RealModel[] {
  const reportFile = path.join(modelsDir, 'dev-models.json');
  const report = existsSync(reportFile) ? devModelsReportSchema.safeParse(JSON.parse(readFileSync(reportFile, 'utf8'))) : undefined;
  return DEV_MODELS.map((id) => {
    if (existsSync(path.join(modelsDir, id, 'onnx', 'model_quantized.onnx'))) return { id };
    const entry = report?.success ? report.data.models[id] : undefined;
    const why = entry?.status === 'failed' ? ` (\`npm run dev-models\` failed for it: ${entry.reason})` : '';
    if (ci) throw new Error(`${id} is missing from ${modelsDir} in CI${why}: .ci/run must run \`npm run dev-models\` before the tests`);
    return { id, skip: `${id} is not in ${modelsDir}${why}; run \`npm run dev-models\` to test with it` };
  });
}
