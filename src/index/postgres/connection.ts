// PostgreSQL connections for the passage store: a pool from DATABASE_URL, the schema (created or migrated on first use,
// its version recorded), and every way reaching the server can fail turned into one line saying what to do.
import type pg from 'pg';
import { UserError } from '../../errors.js';

/** The schema this code reads and writes; a database recording another is migrated (older) or refused (newer). */
export const SCHEMA_VERSION = 1;

/** Reaching or preparing the database failed for a reason the operator fixes (the message says how). */
export class StoreConnectionError extends UserError {}

/** The server (host:port/database) a URL names, never its password: for messages and logs. */
export function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname || '/'}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

/** One line for an error met reaching `url`: connection refused, unknown host, authentication, missing database. */
export function connectionProblem(error: unknown, url: string): StoreConnectionError | null {
  const e = error as { code?: string; message?: string };
  const where = serverOf(url);
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new StoreConnectionError(`cannot reach PostgreSQL at ${where} (${e.code}): start the server or fix DATABASE_URL.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StoreConnectionError(`cannot reach PostgreSQL at ${where}: the host name does not resolve; fix DATABASE_URL.`);
    case '28P01':
    case '28000':
      return new StoreConnectionError(`PostgreSQL at ${where} refused the user or password in DATABASE_URL.`);
    case '3D000':
      return new StoreConnectionError(`PostgreSQL at ${where} has no such database: create it or fix DATABASE_URL.`);
    default:
      return null;
  }
}

/**
 * A connection pool on `url`. The driver is imported here, on first use, so that a process on the local store never
 * loads it (about 50 ms of every one-shot `ask`).
 */
export async function openPool(url: string): Promise<pg.Pool> {
  const { default: driver } = await import('pg');
  // Idle connections do not keep a one-shot command (`ask`) running once it is done.
  const pool = new driver.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, allowExitOnIdle: true });
  // An idle connection dropped by the server must not end the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** Runs `work` on the pool, turning a connection failure into its one-line error. */
export async function withConnectionErrors<T>(url: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw connectionProblem(error, url) ?? error;
  }
}

/** Runs `work` in a transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** What the schema records: its version and the width of its vector columns. */
export interface SchemaInfo {
  version: number;
  dimensions: number;
}

/** The recorded schema, or null when this database has none yet (nothing was ever ingested into it). */
export async function readSchema(pool: Pick<pg.Pool, 'query'>): Promise<SchemaInfo | null> {
  const exists = await pool.query<{ found: string | null }>(`SELECT to_regclass('coverage_meta')::text AS found`);
  if (!exists.rows[0]?.found) return null;
  const rows = await pool.query<{ key: string; value: number }>(`SELECT key, value FROM coverage_meta WHERE key IN ('schema_version', 'dimensions')`);
  const get = (key: string) => rows.rows.find((r) => r.key === key)?.value;
  const version = get('schema_version');
  const dimensions = get('dimensions');
  return version === undefined || dimensions === undefined ? null : { version: Number(version), dimensions: Number(dimensions) };
}

/**
 * Creates the schema for `dimensions`-wide vectors, or checks the existing one: the pgvector extension must be
 * available, the recorded version known, and the vector columns as wide as the model's vectors.
 */
export async function ensureSchema(pool: pg.Pool, url: string, dimensions: number): Promise<void> {
  await requireVector(pool, url);
  const existing = await readSchema(pool);
  if (existing) {
    checkSchema(existing, url, dimensions);
    return;
  }
  await inTransaction(pool, async (client) => {
    // Two first ingests at once: the second waits here and then finds the schema made.
    await client.query('SELECT pg_advisory_xact_lock(4242001)');
    if (await readSchema(client)) return;
    await client.query(schemaSql(dimensions));
    await client.query(`INSERT INTO coverage_meta (key, value) VALUES ('schema_version', $1), ('dimensions', $2)`, [
      JSON.stringify(SCHEMA_VERSION),
      JSON.stringify(dimensions),
    ]);
  });
  const made = await readSchema(pool);
  if (made) checkSchema(made, url, dimensions);
}

/** Refuses a schema this code cannot read, or vectors of another width, in one line. */
export function checkSchema(schema: SchemaInfo, url: string, dimensions: number | null): void {
  if (schema.version > SCHEMA_VERSION) {
    throw new StoreConnectionError(
      `the database at ${serverOf(url)} holds coverage-bot schema version ${schema.version}; this version reads ${SCHEMA_VERSION}: upgrade coverage-bot.`,
    );
  }
  if (dimensions !== null && schema.dimensions !== dimensions) {
    throw new StoreConnectionError(
      `the database at ${serverOf(url)} holds ${schema.dimensions}-dimensional vectors but the model makes ${dimensions}: ` +
        `use the model it was built with, or another database (DATABASE_URL) for this model.`,
    );
  }
}

/** The pgvector extension, created if the server has it and the user may; otherwise one line saying what to ask for. */
async function requireVector(pool: pg.Pool, url: string): Promise<void> {
  const installed = await pool.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
  if (installed.rowCount) return;
  const available = await pool.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
  if (!available.rowCount) {
    throw new StoreConnectionError(
      `PostgreSQL at ${serverOf(url)} has no pgvector extension: install pgvector on the server (managed services list it as "vector").`,
    );
  }
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    throw new StoreConnectionError(
      `the pgvector extension is not enabled in the database at ${serverOf(url)} and this user may not enable it ` +
        `(${(error as Error).message}): run CREATE EXTENSION vector; as its owner.`,
    );
  }
}

/** Schema version 1: generations of articles, passages, sentences and BM25 postings, a pointer to the live one, a lock. */
function schemaSql(dimensions: number): string {
  return `
    CREATE TABLE coverage_meta (key text PRIMARY KEY, value jsonb NOT NULL);
    CREATE TABLE coverage_generations (
      id bigserial PRIMARY KEY,
      state text NOT NULL CHECK (state IN ('writing', 'live', 'retired')),
      manifest jsonb,
      average_lengths float8[],
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE coverage_articles (
      generation bigint NOT NULL, ord int NOT NULL, id text NOT NULL, title text NOT NULL, outlet text, published text,
      byline text, dateline text, url text, file text NOT NULL, content_hash text NOT NULL, body text NOT NULL,
      first_label int NOT NULL, passage_count int NOT NULL, first_row int NOT NULL, row_count int NOT NULL,
      words text[] NOT NULL,
      PRIMARY KEY (generation, id)
    );
    CREATE INDEX coverage_articles_order ON coverage_articles (generation, ord);
    CREATE TABLE coverage_passages (
      generation bigint NOT NULL, label int NOT NULL, article_id text NOT NULL, ordinal int NOT NULL,
      start_offset int NOT NULL, end_offset int NOT NULL, body text NOT NULL, spans int[] NOT NULL,
      sentence_rows int[] NOT NULL, sentence_tags jsonb NOT NULL, field_lengths int[] NOT NULL,
      embedding vector(${dimensions}) NOT NULL,
      PRIMARY KEY (generation, label)
    );
    CREATE INDEX coverage_passages_article ON coverage_passages (generation, article_id);
    CREATE INDEX coverage_passages_embedding ON coverage_passages USING hnsw (embedding vector_cosine_ops);
    CREATE TABLE coverage_sentences (
      generation bigint NOT NULL, row int NOT NULL, article_id text NOT NULL, embedding vector(${dimensions}) NOT NULL,
      PRIMARY KEY (generation, row)
    );
    CREATE INDEX coverage_sentences_article ON coverage_sentences (generation, article_id);
    CREATE TABLE coverage_postings (
      generation bigint NOT NULL, term text NOT NULL, field smallint NOT NULL, label int NOT NULL, tf int NOT NULL,
      PRIMARY KEY (generation, term, field, label)
    );
    CREATE TABLE coverage_terms (generation bigint NOT NULL, term text NOT NULL, df int NOT NULL, PRIMARY KEY (generation, term));
    CREATE TABLE coverage_vocabulary (generation bigint NOT NULL, position int NOT NULL, word text NOT NULL, PRIMARY KEY (generation, position));
    CREATE TABLE IF NOT EXISTS coverage_lock (name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL);
  `;
}
