// zod schemas for every file of an index build, so that a corrupt, truncated or foreign index is caught at load.
import { z } from 'zod';

/** Bumped whenever the files of a build change shape; an index of another version must be rebuilt. */
export const INDEX_SCHEMA_VERSION = 4;

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
  passages: z.object({ maxTokens: z.number().int().positive(), overlapSentences: z.number().int().nonnegative() }),
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

const spanTuple = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

const TAG_KINDS = ['date', 'time', 'number', 'money', 'duration', 'age', 'person', 'organisation', 'place', 'quotation'] as const;

/** A sentence tag as stored: [kind, start, end] or [kind, start, end, attribution], offsets relative to the sentence. */
const tagTuple = z.union([
  z.tuple([z.enum(TAG_KINDS), z.number().int().nonnegative(), z.number().int().nonnegative()]),
  z.tuple([z.enum(TAG_KINDS), z.number().int().nonnegative(), z.number().int().nonnegative(), z.string()]),
]);

/** A passage as stored: its text is not repeated, it is the article text between start and end. */
export const storedPassageSchema = z.object({
  articleId: z.string(),
  ordinal: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  sentences: z.array(spanTuple),
  /** Per sentence, its entity and value tags (answer-type matching). */
  tags: z.array(z.array(tagTuple)),
  /** Per sentence, its row in the sentence-vector table. */
  rows: z.array(z.number().int().nonnegative()),
});
export type StoredPassage = z.infer<typeof storedPassageSchema>;

export const articlesFileSchema = z.array(storedArticleSchema);
export const passagesFileSchema = z.array(storedPassageSchema);

/** `current.json` in the index directory: names the build that is live. Replaced atomically by rename. */
export const currentPointerSchema = z.object({ build: z.string().regex(/^build-[\w.-]+$/) });

export const termsFileSchema = z.object({
  passages: z.number().int().nonnegative(),
  df: z.record(z.string(), z.number().int().positive()),
});
