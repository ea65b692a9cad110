// The PostgreSQL store (src/index/postgres/) against a real server over the wire (PGlite + pgvector behind
// pglite-socket, tests/support/postgres-server.ts): the store contract, and the one-line errors an operator meets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPassageStore, openStoreWriter } from '../../src/index/index.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server.js';
import { madeArticles, SETTINGS, storeContract } from './store-contract.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => server?.stop());

storeContract('PostgreSQL store', async () => {
  await server.reset();
  const location = { indexDir: '/nonexistent/unused-index-folder', store: 'postgres' as const, databaseUrl: server.url };
  const writer = openStoreWriter(location);
  return { writer, open: () => openPassageStore(location), cleanup: () => writer.close() };
});
