// A PostgreSQL server on 127.0.0.1 for tests and development: PGlite (PostgreSQL compiled to WebAssembly) with pgvector,
// served by pglite-socket to any number of `pg` connections.
//
// pglite-socket multiplexes its clients over PGlite's one session message by message, so two clients' extended-query
// messages can interleave (client A's Parse, client B's Parse, A's Bind: "bind message supplies 4 parameters, but
// prepared statement requires 3"). Here each client's Parse/Bind/Describe/Execute/Close messages are held back and
// handed over together with the Sync that ends them, so every statement runs whole, as on a real server.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Message types of the extended query protocol that wait for their Sync. */
const HELD = new Set(['P', 'B', 'D', 'E', 'C']);

type Enqueue = (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;

export interface PgliteServer {
  url: string;
  port: number;
  db: PGlite;
  stop(): Promise<void>;
}

export async function startPgliteServer(options: { dataDir?: string; port?: number; vector?: boolean } = {}): Promise<PgliteServer> {
  const db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.vector === false ? {} : { extensions: { vector } }) });
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host: '127.0.0.1', maxConnections: 64 });
  const queue = (server as unknown as { queryQueue: { enqueue: Enqueue } }).queryQueue;
  const enqueue = queue.enqueue.bind(queue);
  const held = new Map<number, Uint8Array[]>();
  queue.enqueue = (handlerId, message, onData) => {
    const type = String.fromCharCode(message[0] ?? 0);
    const pending = held.get(handlerId) ?? [];
    if (HELD.has(type)) {
      pending.push(message);
      held.set(handlerId, pending);
      return Promise.resolve(0);
    }
    held.delete(handlerId);
    if (pending.length === 0) return enqueue(handlerId, message, onData);
    const whole = new Uint8Array(pending.reduce((n, m) => n + m.length, message.length));
    let at = 0;
    for (const m of [...pending, message]) {
      whole.set(m, at);
      at += m.length;
    }
    return enqueue(handlerId, whole, onData);
  };
  await server.start();
  const port = (server as unknown as { port: number }).port;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
