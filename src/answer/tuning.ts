// Per-embedding-model tuning: the dense share of retrieval fusion, query expansion on or off, and the no-answer
// calibration, each chosen for one model by `coverage-bot eval --models … --tune` (k-fold cross-validated) and stored
// in src/answer/tuning/<model>.json (written by src/evaluation/write-tuning.ts; this file only reads). A model without
// its own file gets the conservative default, never another model's numbers: dense similarities of different models
// live on different scales.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SENTENCE_FEATURES } from './sentences.js';
import { calibrationSchema, FEATURE_NAMES, type Calibration } from './confidence.js';

export const TUNING_DIR = fileURLToPath(new URL('./tuning/', import.meta.url));

const tuningSchema = z.object({
  /** The embedding model these settings were chosen for (`default` for the fallback). */
  model: z.string(),
  /** Share of the dense score in the fused retrieval score (0..1); the rest is BM25. */
  denseWeight: z.number().min(0).max(1),
  /** Whether questions are expanded with word-vector neighbours. */
  expansion: z.boolean(),
  calibration: calibrationSchema,
  /** The learned sentence scorer: the feature names it was fitted on (SENTENCE_FEATURES) and intercept + weights. */
  sentenceScorer: z.object({ features: z.array(z.string()), weights: z.array(z.number()) }).optional(),
  /** Where the settings came from: question files, indexes, folds, date. */
  fittedOn: z.string(),
});
export type Tuning = z.infer<typeof tuningSchema>;

/**
 * For a model nobody tuned: BM25 dominates, and the no-answer decision reads the lexical evidence only (its scale does
 * not depend on the model) with a threshold that declines unless the question's words are clearly there.
 */
export const CONSERVATIVE_TUNING: Tuning = Object.freeze({
  model: 'default',
  denseWeight: 0.2,
  expansion: true,
  calibration: {
    // intercept, sentenceScore, scoreMargin, dense, denseMargin, agreement, typeMatch, termShare, namesFound
    weights: [-6, 0, 0, 0, 0, 0, 0, 9, 0],
    threshold: 0.5,
    // Half the question's words in the best sentence: shown as the closest coverage rather than declined.
    closest: 0.2,
  } satisfies Calibration,
  fittedOn: 'not fitted: a conservative default (answers when about two thirds of the question is in the best sentence)',
}) as Tuning;

/** The tuning file name of a model id: `Xenova/all-MiniLM-L6-v2` → `Xenova__all-MiniLM-L6-v2.json`. */
export function tuningFileName(modelId: string): string {
  return `${modelId.replace(/[^A-Za-z0-9._-]/g, '__')}.json`;
}

/** Reads a tuning file; a damaged one is a bug in the repository, so it throws with the file named. */
export function readTuning(file: string): Tuning {
  const parsed = tuningSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a valid tuning file (${parsed.error.issues[0]?.message})`);
  if (parsed.data.calibration.weights.length !== FEATURE_NAMES.length + 1) throw new Error(`${file}: wrong number of weights`);
  const scorer = parsed.data.sentenceScorer;
  if (scorer && (scorer.features.join() !== SENTENCE_FEATURES.join() || scorer.weights.length !== SENTENCE_FEATURES.length + 1)) {
    throw new Error(`${file}: its sentence scorer was fitted on other features; refit with \`eval --models … --tune\``);
  }
  return parsed.data;
}

/** The tuning of `modelId`, or the conservative default with one message saying so. */
export function loadTuning(modelId: string, log?: (message: string) => void, dir = TUNING_DIR): Tuning {
  const file = path.join(dir, tuningFileName(modelId));
  if (existsSync(file)) return readTuning(file);
  log?.(
    `no tuning for ${modelId} (src/answer/tuning/${tuningFileName(modelId)}); using conservative defaults. ` +
      'Fit one with `npx coverage-bot eval --models <id> --tune`.',
  );
  return CONSERVATIVE_TUNING;
}
