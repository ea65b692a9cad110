// What `npm run dev-models` leaves in MODELS_DIR/dev-models.json: per model, built (with its parity figures) or failed
// (and why). The list of models is shared with the tests that need real models (tests/support/real-models.ts).
//
//   import { DEV_MODELS, devModelsReportSchema } from './dev-models-report.js';
//   const report = devModelsReportSchema.parse(JSON.parse(readFileSync('models/dev-models.json', 'utf8')));
import { z } from 'zod';

/** The real models the command makes, in the order it makes them (their Maven jars: scripts/dev-models.ts). */
export const DEV_MODELS = ['Xenova/all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5', 'Xenova/e5-small-v2'] as const;
export type DevModelId = (typeof DEV_MODELS)[number];

/** Parity on scripts/parity-sentences.txt: minimum cosines to onnxruntime's Python run of the fp32 model.onnx. */
export const devModelsParitySchema = z.object({
  sentences: z.number(),
  tokenIdsEqual: z.boolean(),
  minCosineFp32: z.number(),
  /** The int8 model, one sentence at a time. */
  minCosineQuantized: z.number(),
  /** The int8 model in the Embedder's batches (its activations are quantised over the padded batch). */
  minCosineQuantizedBatched: z.number(),
});
export type DevModelsParity = z.infer<typeof devModelsParitySchema>;

export const devModelsReportSchema = z.object({
  models: z.record(
    z.string(),
    z.discriminatedUnion('status', [
      z.object({ status: z.literal('built'), source: z.string(), parity: devModelsParitySchema }),
      z.object({ status: z.literal('failed'), source: z.string(), reason: z.string() }),
    ]),
  ),
});
export type DevModelsReport = z.infer<typeof devModelsReportSchema>;
