// What `npm run dev-models` leaves in MODELS_DIR/dev-models.json: per model, built (with its parity figures), unavailable
// on this machine (and why), or failed. Tests read it to tell "cannot exist here" from "was not built".
import { z } from 'zod';

/** The real models the command makes, in the order it makes them. */
export const DEV_MODELS = ['Xenova/all-MiniLM-L6-v2', 'Xenova/bge-small-en-v1.5'] as const;

const parity = z.object({ sentences: z.number(), tokenIdsEqual: z.boolean(), minCosineFp32: z.number(), minCosineQuantized: z.number() });

export const devModelsReportSchema = z.object({
  models: z.record(
    z.string(),
    z.discriminatedUnion('status', [
      z.object({ status: z.literal('built'), source: z.string(), parity }),
      z.object({ status: z.literal('unavailable'), source: z.string(), reason: z.string() }),
      z.object({ status: z.literal('failed'), source: z.string(), reason: z.string() }),
    ]),
  ),
});
export type DevModelsReport = z.infer<typeof devModelsReportSchema>;
