// The errors the corpus module throws: a source file that cannot be turned into articles, and a sources folder that
// cannot be read at all (the user's to fix: it names the folder and what to do).
import { UserError } from '../errors.js';

/** A file that cannot be loaded, with the reason phrased so a moderator knows what to fix. */
export class ArticleFileError extends Error {
  constructor(
    /** Path of the file relative to the sources directory (POSIX separators). */
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'ArticleFileError';
  }
}

/** The sources folder is missing, not a folder, or unreadable: nothing can be indexed from it. */
export class SourcesFolderError extends UserError {}
