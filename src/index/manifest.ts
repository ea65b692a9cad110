// zod schemas for the JSON files of an index build (the binary tables check their own headers and bounds), so that a
// corrupt, truncated or foreign index is caught at load.
import { z } from 'zod';

/** Bumped whenever the files of a build change shape; an index of another version must be rebuilt. */
export const INDEX_SCHEMA_VERSION = 5;

export const fileDigestSchema = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().length(64) });

export const indexManifestSchema = z.object({
  schemaVersion: z.number().int(),
  builtAt: z.string().datetime(),
  model: z.object({
    /** The model the vectors come from. */
    id: z.string().min(1),
    /** What the configuration asked for (differs from `id` after a fallback to the offline model). */
    requested: z.string().min(1),
    dimensions: z.number().int().positive(),
  }),
  passages: z.object({
    maxTokens: z.number().int().positive(),
    overlapSentences: z.number().int().nonnegative(),
    /** Where passage vectors came from (IngestOptions.passageVectors); builds that predate the choice ran the model. */
    vectors: z.enum(['model', 'sentences']).default('model'),
  }),
  hnsw: z.object({
    m: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
    efSearch: z.number().int().positive(),
  }),
  counts: z.object({
    articles: z.number().int().nonnegative(),
    passages: z.number().int().nonnegative(),
    sentences: z.number().int().nonnegative(),
  }),
  /**
   * The absolute path of the sources folder the articles were read from: quotes are verified against its files, and
   * commands given only the index folder use it. Absent in builds written before it was recorded.
   */
  sourcesDir: z.string().min(1).optional(),
  /** Article id → content hash: what incremental refresh compares against. */
  articles: z.record(z.string(), z.string()),
  /** Every data file of the build with its size and digest. */
  files: z.record(z.string(), fileDigestSchema),
});
export type IndexManifest = z.infer<typeof indexManifestSchema>;

export const storedArticleSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  outlet: z.string().nullable(),
  published: z.string().nullable(),
  byline: z.string().nullable(),
  dateline: z.string().nullable(),
  url: z.string().nullable(),
  file: z.string(),
  contentHash: z.string(),
  text: z.string(),
});

export const articlesFileSchema = z.array(storedArticleSchema);

/** `current.json` in the index directory: names the build that is live. Replaced atomically by rename. */
export const currentPointerSchema = z.object({ build: z.string().regex(/^build-[\w.-]+$/) });

export const termsFileSchema = z.object({
  passages: z.number().int().nonnegative(),
  df: z.record(z.string(), z.number().int().positive()),
  /** The passages' distinct lower-cased words: the vocabulary query expansion looks for neighbours in. */
  vocabulary: z.array(z.string().min(1)),
});
