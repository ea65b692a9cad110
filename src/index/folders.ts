// Where the sources and index folders may be: apart. An index the reader can see is read back as articles (its own
// articles.json, growing on every run), sources inside the index are swept with its builds, and a sources folder at the
// root of the file system is every file on the machine.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { isIgnored } from '../corpus/index.js';
import { UserError } from '../errors.js';

/** The overlapping folders, or a sources folder at the root of the file system; nothing has been written. */
export class FolderOverlapError extends UserError {}

/** `dir` with symbolic links resolved, also when it does not exist yet (its nearest existing ancestor is resolved). */
async function resolvedPath(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  try {
    return await realpath(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(await resolvedPath(parent), path.basename(absolute));
  }
}

/** The path of `inner` below `outer` ('' when they are the same folder), or null when it is not inside it. */
function below(outer: string, inner: string): string | null {
  const relative = path.relative(outer, inner);
  if (relative === '') return '';
  return relative.startsWith('..') || path.isAbsolute(relative) ? null : relative;
}

/** Throws FolderOverlapError unless the two folders are apart and the sources are not a file system root. */
export async function checkFoldersApart(sourcesDir: string, indexDir: string): Promise<void> {
  const sources = await resolvedPath(sourcesDir);
  const index = await resolvedPath(indexDir);
  if (path.parse(sources).root === sources) {
    throw new FolderOverlapError(`The sources folder ${sources} is the root of the file system: give the folder that holds the article files with --sources DIR.`);
  }
  if (sources === index) {
    throw new FolderOverlapError(
      `${sources} is both the sources folder and the index folder: the index's own files would be read as articles. Give the index a folder of its own with --index DIR.`,
    );
  }
  const indexInSources = below(sources, index);
  // The reader skips dot folders: an index in one is never read as articles.
  if (indexInSources !== null && !indexInSources.split(path.sep).some(isIgnored)) {
    throw new FolderOverlapError(
      `The index folder ${index} is inside the sources folder ${sources}: its own files would be read as articles. Put the index elsewhere with --index DIR (or in a folder whose name starts with a dot).`,
    );
  }
  if (below(index, sources) !== null) {
    throw new FolderOverlapError(
      `The sources folder ${sources} is inside the index folder ${index}, whose contents ingest replaces. Keep the article files in a folder of their own (--sources DIR).`,
    );
  }
}
