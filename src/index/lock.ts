// One writer at a time: an inter-process lock on the index directory, released on exit and taken over when its holder died.
import { UserError } from '../errors.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Another ingest holds the lock. */
export class IndexLockedError extends UserError {}

export interface LockOptions {
  /** Wait up to this many milliseconds for the lock instead of refusing at once. */
  waitMs?: number;
}

/** Takes the index lock; the returned function releases it. */
export async function lockIndex(indexDir: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  await mkdir(indexDir, { recursive: true });
  const waitMs = opts.waitMs ?? 0;
  try {
    return await lockfile.lock(indexDir, {
      lockfilePath: path.join(indexDir, 'ingest.lock'),
      realpath: false,
      // A lock whose holder stopped refreshing it (killed process) is taken over after this long.
      stale: 10_000,
      update: 2_000,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 500), minTimeout: 500, maxTimeout: 500, factor: 1 } : 0,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new IndexLockedError(
        `Another ingest is already updating ${path.resolve(indexDir)}. Wait for it to finish (or pass --wait), then run again.`,
      );
    }
    throw error;
  }
}

/** Releases the lock on `indexDir` if this process holds it (the bot's shutdown during a refresh); false if it did not. */
export async function releaseIndexLock(indexDir: string): Promise<boolean> {
  try {
    await lockfile.unlock(indexDir, { lockfilePath: path.join(indexDir, 'ingest.lock'), realpath: false });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTACQUIRED') return false;
    throw error;
  }
}
