// Permission errors on the index, said as the path that cannot be read or written (the folder, when it is the folder
// that is closed): no rebuild would help, so they are not reported as a missing or corrupt index, nor with a stack.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/** The index, or a file of it, may not be read or written by this user. */
export class IndexAccessError extends UserError {}

const DENIED = new Set(['EACCES', 'EPERM']);

/** The outermost folder above `file` that this user may not enter or list, or null when every one of them is open. */
function closedFolder(file: string): string | null {
  let closed: string | null = null;
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    try {
      accessSync(dir, constants.R_OK | constants.X_OK);
      return closed;
    } catch {
      closed = dir;
    }
    if (path.dirname(dir) === dir) return closed;
  }
}

/** `error` as an IndexAccessError when it is a permission error on `file` (reading, or `writing`); else null. */
export function accessError(error: unknown, file: string, writing = false): IndexAccessError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (!code || !DENIED.has(code)) return null;
  const folder = closedFolder(file);
  const what = folder ? `read ${folder}` : `${writing ? 'write' : 'read'} ${path.resolve(file)}`;
  return new IndexAccessError(`Cannot ${what} (${code}): check its permissions.`, { cause: error });
}

/** Reads through `read`; a missing file gives null, a permission error an IndexAccessError naming the path. */
export async function readIfPresent<T>(file: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw accessError(error, file) ?? error;
  }
}
