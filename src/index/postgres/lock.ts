// The ingest lock of a PostgreSQL store: a leased row, so that two machines cannot refresh the same database at once.
// A row rather than an advisory lock: advisory locks belong to a database session, which transaction-pooling proxies
// (PgBouncer) hand from client to client and PGlite's socket server shares between its clients; a row is exclusive
// through both. The holder renews the lease while it works; a holder that died lets its lease run out.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { IndexLockedError, IndexLockLostError, type IndexLockRelease, type LockOptions } from '../lock.js';
import { serverOf } from './connection.js';

const LOCK_NAME = 'ingest';
const RETRY_MS = 250;
/** A lease not renewed for this long is free to take (default; tests shorten it). */
const DEFAULT_LEASE_MS = 30_000;

/** Takes the ingest lock of the database at `url`; the returned function releases it. */
export async function lockDatabase(pool: pg.Pool, url: string, opts: LockOptions = {}): Promise<IndexLockRelease> {
  await pool.query(`CREATE TABLE IF NOT EXISTS coverage_lock (name text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)`);
  const leaseMs = Math.max(opts.staleMs ?? DEFAULT_LEASE_MS, 2000);
  const holder = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    const taken = await pool.query(
      `INSERT INTO coverage_lock (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE coverage_lock.expires_at < now() RETURNING holder`,
      [LOCK_NAME, holder, leaseMs],
    );
    if (taken.rowCount) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      const current = await pool.query<{ holder: string }>('SELECT holder FROM coverage_lock WHERE name = $1', [LOCK_NAME]);
      throw new IndexLockedError(
        `Another ingest (${current.rows[0]?.holder ?? 'another process'}) is already updating the index in the database at ${serverOf(url)}. ` +
          'Wait for it to finish (or pass --wait), then run again.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, left)));
  }

  let lost: string | null = null;
  const renew = setInterval(() => {
    pool
      .query(`UPDATE coverage_lock SET expires_at = now() + $3 * interval '1 millisecond' WHERE name = $1 AND holder = $2`, [LOCK_NAME, holder, leaseMs])
      .then((r) => {
        if (!r.rowCount) lost = 'another process took it over';
      })
      .catch(() => {
        // A renewal that fails is retried at the next tick; assertHeld() reads the row itself.
      });
  }, Math.max(500, Math.floor(leaseMs / 4)));
  renew.unref();

  const lostError = (why: string) =>
    new IndexLockLostError(
      `The ingest lock on the database at ${serverOf(url)} was lost (${why}), so this build was abandoned; the previous index is still live. Run ingest again.`,
    );
  const release = async () => {
    clearInterval(renew);
    await pool.query('DELETE FROM coverage_lock WHERE name = $1 AND holder = $2', [LOCK_NAME, holder]);
  };
  const assertHeld = async () => {
    if (lost) throw lostError(lost);
    const { rows } = await pool.query<{ live: boolean }>('SELECT expires_at > now() AS live FROM coverage_lock WHERE name = $1 AND holder = $2', [
      LOCK_NAME,
      holder,
    ]);
    if (!rows[0]) throw lostError('another process took it over');
    if (!rows[0].live) throw lostError(`it was not renewed for over ${leaseMs / 1000} s`);
  };
  return Object.assign(release, { assertHeld });
}
