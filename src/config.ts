// The one configuration schema: every environment variable the program reads, validated with zod, with its default.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.js';

const idList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^\d{5,25}$/, 'expected comma-separated Discord snowflake ids')));

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() ? s.trim() : undefined));

const positiveInt = (def: number) => z.coerce.number().int().positive().default(def);

export const configSchema = z.object({
  // Discord
  DISCORD_TOKEN: optionalText,
  DISCORD_CLIENT_ID: optionalText.pipe(z.string().regex(/^\d{5,25}$/).optional()),
  DISCORD_GUILD_ID: optionalText.pipe(z.string().regex(/^\d{5,25}$/).optional()),
  // http(s) only: the bot downloads uploads from this URL's origin, and a javascript: or file: URL's origin is "null".
  DISCORD_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: (issue) => `must be an http:// or https:// URL, such as https://discord.com/api (got ${JSON.stringify(issue.input)})` })
      .optional(),
  ),
  ASK_CHANNEL_IDS: idList,
  MODERATOR_ROLE_IDS: idList,
  /** Questions one user may ask in any minute (0: no limit); more are told when they may ask again. */
  QUESTIONS_PER_MINUTE: z.coerce.number().int().min(0).default(5),
  MAX_CONCURRENT_ANSWERS: positiveInt(4),
  FEEDBACK_LOG: z.string().default('data/feedback.jsonl'),
  MAX_UPLOAD_BYTES: positiveInt(1_000_000),
  // Paths
  SOURCES_DIR: z.string().default('seeds'),
  INDEX_DIR: z.string().default('embeddings'),
  MODELS_DIR: z.string().default('models'),
  // Embedding model and index
  // The one hub model whose default configuration is measured and tuned (README, Evaluation); any transformers.js
  // feature-extraction model id works, and one without a tuning file gets conservative settings.
  EMBEDDING_MODEL: z.string().default('Xenova/all-MiniLM-L6-v2'),
  ALLOW_REMOTE_MODELS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  PASSAGE_TOKENS: positiveInt(200),
  PASSAGE_OVERLAP_SENTENCES: z.coerce.number().int().min(0).default(1),
  // Passage vectors from the mean of their sentences' vectors (`sentences`: one model run per sentence, none per passage)
  // or from the model run over each passage with its context (`model`). README *Speed and scale* has the comparison.
  PASSAGE_VECTORS: z.enum(['model', 'sentences']).default('model'),
  MAX_ARTICLE_BYTES: positiveInt(5_000_000),
  HNSW_M: positiveInt(16),
  HNSW_EF_CONSTRUCTION: positiveInt(200),
  HNSW_EF_SEARCH: positiveInt(100),
  // Logging
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Raised when the environment does not fit the schema; the message lists every bad variable. */
export class ConfigError extends UserError {}

/** Reads `.env` (if present, never overriding the real environment) and validates the result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = path.resolve('.env')): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join('\n')}`);
  }
  return parsed.data;
}
