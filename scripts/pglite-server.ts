// A PostgreSQL server with pgvector for development and measurement, without installing PostgreSQL: PGlite (PostgreSQL
// compiled to WebAssembly) behind pglite-socket on 127.0.0.1 (scripts/lib/pglite.ts), its data kept in a folder.
// Prints the DATABASE_URL. Single-threaded: for trying STORE=postgres and for `npm run bench` figures, not production.
// Usage: npx tsx scripts/pglite-server.ts [--db DIR] [--port 5433]
import { startPgliteServer } from './lib/pglite.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataDir = arg('--db');
const server = await startPgliteServer({ dataDir, port: Number(arg('--port') ?? 5433) });
process.stdout.write(`DATABASE_URL=${server.url}${dataDir ? ` (data in ${dataDir})` : ' (in memory)'}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
