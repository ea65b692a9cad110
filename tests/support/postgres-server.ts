// A real PostgreSQL server for tests, over the wire: PGlite (PostgreSQL 18 compiled to WebAssembly) with pgvector,
// served on 127.0.0.1 by pglite-socket (scripts/lib/pglite.ts) and reached through `pg` as a production server is. Each test file
// starts its own (in memory, on a free port); `reset()` drops what the store created so a test starts empty.
import pg from 'pg';
import { startPgliteServer } from '../../scripts/lib/pglite.js';

export interface TestPostgres {
  /** postgres://… of the server, as DATABASE_URL takes it. */
  url: string;
  /** Drops every coverage_* table: the next store starts on an empty database. */
  reset(): Promise<void>;
  /** Runs SQL directly (to damage or inspect what a store wrote). */
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

/**
 * The server the PostgreSQL tests use: PGlite on a free port, or, when COVERAGE_TEST_DATABASE_URL names one (a real
 * PostgreSQL with pgvector whose coverage_* tables the tests may drop), that server.
 */
export async function startTestPostgres(options: { vector?: boolean } = {}): Promise<TestPostgres> {
  const external = process.env['COVERAGE_TEST_DATABASE_URL'];
  const server = external && options.vector !== false ? { url: external, stop: async () => {} } : await startPgliteServer({ vector: options.vector });
  const { url } = server;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  return {
    url,
    async reset() {
      const { rows } = await admin.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'coverage\\_%'`);
      for (const { name } of rows) await admin.query(`DROP TABLE IF EXISTS ${name} CASCADE`);
    },
    query: (sql, params) => admin.query(sql, params),
    async stop() {
      await admin.end().catch(() => {});
      await server.stop();
    },
  };
}
