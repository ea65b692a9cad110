// One writer at a time: an inter-process lock on the index directory (proper-lockfile), released on exit and taken over
// when its holder died. Its holder is recorded beside it (pid, host, a token): a lock whose holder on this machine is gone
// is taken over at once, one that went stale only when that process is gone (a holder that is merely busy keeps it; one
// on another machine loses it once stale), and a holder checks the lock is still its own before
// it makes a build live, so a lock lost in any way abandons that build instead of crashing the process.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { UserError } from '../errors.js';

/** Another ingest holds the lock. */
export class IndexLockedError extends UserError {}

/** The lock was lost while building (taken over, removed, or not refreshed in time): the build was abandoned. */
export class IndexLockLostError extends UserError {}

export interface LockOptions {
  /** Wait up to this many milliseconds for the lock instead of refusing at once. */
  waitMs?: number;
  /** A lock not refreshed for this long is stale (default 10 s, at least 2 s; tests shorten it). */
  staleMs?: number;
}

/** Releases the lock; `assertHeld()` throws IndexLockLostError unless the lock is still this holder's. */
export type IndexLockRelease = (() => Promise<void>) & { assertHeld(): Promise<void> };

const DEFAULT_STALE_MS = 10_000;
const RETRY_MS = 500;

const ownerSchema = z.object({ pid: z.number().int(), hostname: z.string(), token: z.string(), since: z.string() });
type LockOwner = z.infer<typeof ownerSchema>;

const lockPath = (indexDir: string) => path.join(indexDir, 'ingest.lock');
// Beside the lock directory, not in it: proper-lockfile removes the directory with rmdir, which needs it empty.
const ownerPath = (indexDir: string) => path.join(indexDir, 'ingest.lock.owner.json');

async function readOwner(indexDir: string): Promise<LockOwner | null> {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(await readFile(ownerPath(indexDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The lock's recorded holder when the lock exists and the holder ran on this machine, with whether its process is alive;
 * null when there is no lock or its holder is unknown or elsewhere (a holder on another machine, sharing the folder,
 * cannot be checked: its lock goes stale as proper-lockfile decides).
 */
async function localHolder(indexDir: string): Promise<(LockOwner & { alive: boolean }) | null> {
  try {
    await stat(lockPath(indexDir));
  } catch {
    return null;
  }
  const owner = await readOwner(indexDir);
  if (!owner || owner.hostname !== hostname()) return null;
  return { ...owner, alive: processAlive(owner.pid) };
}

/**
 * Removes a lock whose holder's process is gone (killed, say): nobody will refresh or release it, and waiting for it to
 * go stale would only refuse ingests for that long. The owner is read again first, so a lock another ingest has just
 * taken over is left alone; if one is taken in the moment between, its holder finds the lock lost before it commits.
 */
async function removeDeadLock(indexDir: string, dead: LockOwner): Promise<void> {
  if ((await readOwner(indexDir))?.token !== dead.token) return;
  await rm(lockPath(indexDir), { recursive: true, force: true });
}

/** proper-lockfile's reason for a compromised lock, in words that say what happened. */
function compromiseReason(error: NodeJS.ErrnoException): string {
  // proper-lockfile says this when the lock's modification time is no longer the one it set: someone else's lock now.
  if (error.message === 'Unable to update lock within the stale threshold') return 'another process took it over';
  if (error.message.includes('ENOENT')) return 'the lock was removed';
  return error.message;
}

function lockedError(indexDir: string): IndexLockedError {
  return new IndexLockedError(
    `Another ingest is already updating ${path.resolve(indexDir)}. Wait for it to finish (or pass --wait), then run again.`,
  );
}

/** Takes the index lock; the returned function releases it. */
export async function lockIndex(indexDir: string, opts: LockOptions = {}): Promise<IndexLockRelease> {
  await mkdir(indexDir, { recursive: true });
  // proper-lockfile's own floors: a lock is stale after at least 2 s and refreshed at most once a second.
  const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let lost: string | null = null;
  let unlock: (() => Promise<void>) | null = null;
  for (;;) {
    // A holder that is alive keeps its lock even when it went stale (a long synchronous stretch): taking it over would
    // let two builds race, and proper-lockfile alone cannot tell a busy holder from a dead one.
    const holder = await localHolder(indexDir);
    if (!holder?.alive) {
      if (holder) await removeDeadLock(indexDir, holder);
      try {
        unlock = await lockfile.lock(indexDir, {
          lockfilePath: lockPath(indexDir),
          realpath: false,
          stale: staleMs,
          update: Math.max(1000, Math.floor(staleMs / 5)),
          retries: 0,
          // The default throws from a timer, killing the process (the bot too); the build checks `lost` instead.
          onCompromised: (error) => {
            lost = compromiseReason(error);
          },
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      }
    }
    const left = deadline - Date.now();
    if (left <= 0) throw lockedError(indexDir);
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, left)));
  }

  const owner: LockOwner = { pid: process.pid, hostname: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  const temporary = `${ownerPath(indexDir)}.${owner.token}.tmp`;
  await writeFile(temporary, JSON.stringify(owner));
  await rename(temporary, ownerPath(indexDir));

  const lostError = (why: string) =>
    new IndexLockLostError(
      `The ingest lock on ${path.resolve(indexDir)} was lost (${why}), so this build was abandoned; the previous index is still live. Run ingest again.`,
    );
  const stillOurs = async () => (await readOwner(indexDir))?.token === owner.token;

  const release = async () => {
    // Someone else's lock now (taken over): leave it be. proper-lockfile's next refresh finds it is not ours and stops.
    if (!(await stillOurs())) return;
    await rm(ownerPath(indexDir), { force: true });
    if (lost === null) {
      await unlock!().catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ERELEASED' && (error as NodeJS.ErrnoException).code !== 'ENOTACQUIRED') throw error;
      });
    } else {
      // proper-lockfile forgets a compromised lock; its directory is still ours to remove when nobody took it over.
      await rm(lockPath(indexDir), { recursive: true, force: true });
    }
  };
  const assertHeld = async () => {
    if (lost !== null) throw lostError(lost);
    let modified: number;
    try {
      modified = (await stat(lockPath(indexDir))).mtimeMs;
    } catch {
      throw lostError('the lock was removed');
    }
    if (!(await stillOurs())) throw lostError('another process took it over');
    // Stale means another ingest may take it over at any moment (if this process looked dead to it): do not race it.
    if (Date.now() - modified > staleMs) throw lostError(`it was not refreshed for over ${staleMs / 1000} s`);
  };
  return Object.assign(release, { assertHeld });
}

/** Releases the lock on `indexDir` if this process holds it (the bot's shutdown during a refresh); false if it did not. */
export async function releaseIndexLock(indexDir: string): Promise<boolean> {
  try {
    await lockfile.unlock(indexDir, { lockfilePath: lockPath(indexDir), realpath: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTACQUIRED') return false;
    throw error;
  }
  const owner = await readOwner(indexDir);
  if (owner?.pid === process.pid && owner.hostname === hostname()) await rm(ownerPath(indexDir), { force: true });
  return true;
}
