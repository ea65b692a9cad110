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
      .url({ protocol: /^https?$/ })
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
  // Where the index lives: the index folder (`local`) or a PostgreSQL database with pgvector (`postgres`, DATABASE_URL).
  STORE: z.enum(['local', 'postgres']).default('local'),
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional()),
  // Embedding model and index
  // The one hub model whose default configuration is measured and tuned (docs/evaluation.md); any transformers.js
  // feature-extraction model id works, and one without a tuning file gets conservative settings.
  EMBEDDING_MODEL: z.string().default('Xenova/e5-small-v2'),
  ALLOW_REMOTE_MODELS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  PASSAGE_TOKENS: positiveInt(200),
  PASSAGE_OVERLAP_SENTENCES: z.coerce.number().int().min(0).default(1),
  // Passage vectors from the mean of their sentences' vectors (`sentences`: one model run per sentence, none per passage)
  // or from the model run over each passage with its context (`model`). Unset: the model's own choice (models.ts,
  // measured per model; `model` where nothing was measured). docs/speed.md has the comparison.
  PASSAGE_VECTORS: z.enum(['model', 'sentences']).optional(),
  // Worker processes a build embeds on, each with its own one-thread model session (0: in the process building). Unset:
  // one per core for the models measured faster that way (models.ts), else none. Each holds the model and its
  // working memory: about 280 MB loaded, up to about 420 MB while embedding e5-small's longest texts.
  EMBEDDING_WORKERS: z.coerce.number().int().min(0).optional(),
  MAX_ARTICLE_BYTES: positiveInt(5_000_000),
  HNSW_M: positiveInt(16),
  HNSW_EF_CONSTRUCTION: positiveInt(200),
  // Query-time candidate list. Measured with e5-small (docs/speed.md): on seeds + BBC, 100 and 400 gave recall@10 0.998
  // and 1.000 against exact search, warm p50 6.0 and 7.2 ms; on the 10× corpus 0.960 and 0.991, p50 9.7 and 10.2 ms.
  HNSW_EF_SEARCH: positiveInt(400),
  // Logging
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Raised when a variable the command reads holds a value that does not fit the schema; one line, naming both. */
export class ConfigError extends UserError {}

type ConfigKey = keyof Config;

/** Why a value was refused, in words ("is not a number"), from zod's first issue for it. */
function reason(key: ConfigKey, issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'is not a whole number' : 'is not a number';
    case 'too_small':
      // Every bounded variable is a whole number: "> 0" is "1 or more".
      return `must be ${Number(issue.minimum) + (issue.inclusive ? 0 : 1)} or more`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      // The bot trusts this origin for attachment downloads: javascript: and file: URLs have the origin "null".
      if (issue.format === 'url') return 'is not an http:// or https:// URL, such as https://discord.com/api';
      if (key === 'DATABASE_URL') return 'is not a postgres:// URL, such as postgres://bot:password@db.internal:5432/coverage';
      return key === 'ASK_CHANNEL_IDS' || key === 'MODERATOR_ROLE_IDS'
        ? 'is not a comma-separated list of Discord ids (5 to 25 digits each)'
        : 'is not a Discord id (5 to 25 digits)';
    default:
      return `is not valid (${issue.message})`;
  }
}

// A secret is never echoed, even when it is wrong.
const SECRET_KEYS: ReadonlySet<string> = new Set(['DISCORD_TOKEN', 'DATABASE_URL']);

function shown(key: ConfigKey, value: string): string {
  if (SECRET_KEYS.has(key)) return '(hidden)';
  return value.length > 80 ? `${value.slice(0, 77)}…` : value;
}

/**
 * Reads `.env` (if present, never overriding the real environment) and validates each variable on its own. An empty or
 * blank value means unset: the default (`QUESTIONS_PER_MINUTE=` left in a copied .env is not "no limit"). A bad value
 * does not fail here: reading it throws a one-line ConfigError (`QUESTIONS_PER_MINUTE=abc is not a number`), so it stops
 * only the commands that use it: `ask` and `sources` never read the bot's limits.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = path.resolve('.env')): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const config = {} as Config;
  for (const [key, schema] of Object.entries(configSchema.shape) as Array<[ConfigKey, z.ZodType]>) {
    const raw = env[key];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw;
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      Object.defineProperty(config, key, { value: parsed.data, enumerable: true, configurable: true });
    } else {
      const message = `${key}=${shown(key, value ?? '')} ${reason(key, parsed.error.issues[0]!)}`;
      Object.defineProperty(config, key, {
        configurable: true,
        enumerable: true,
        get() {
          throw new ConfigError(message);
        },
      });
    }
  }
  return config;
}

/**
 * `config` with `overrides` (those not undefined) in place of its values. The others are carried over as they are, so
 * a bad value is still reported only when read (spreading the object would read, and so report, every one).
 */
export function overrideConfig(config: Config, overrides: Partial<Config>): Config {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(config)) as Config;
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) Object.defineProperty(copy, key, { value, enumerable: true, configurable: true });
  }
  return copy;
}

/** Throws the ConfigError of the first of `keys` that holds a bad value: for a command to check up front what it reads later. */
export function requireSettings(config: Config, keys: readonly ConfigKey[]): void {
  for (const key of keys) void config[key];
}
