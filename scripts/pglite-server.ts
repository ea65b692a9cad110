// A PostgreSQL server with pgvector for development and measurement, without installing PostgreSQL: PGlite (PostgreSQL
// compiled to WebAssembly) behind pglite-socket on 127.0.0.1, its data kept in a folder. Prints the DATABASE_URL.
// Single-threaded and single-session: for trying STORE=postgres and for `npm run bench` figures, not for production.
// Usage: npx tsx scripts/pglite-server.ts [--db DIR] [--port 5433]
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataDir = arg('--db');
const port = Number(arg('--port') ?? 5433);
const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { vector } });
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 32 });
await server.start();
process.stdout.write(`DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${port}/postgres${dataDir ? ` (data in ${dataDir})` : ' (in memory)'}\n`);
const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
