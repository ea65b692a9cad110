// The one error the corpus module throws: a source file (or the whole of it) that cannot be turned into articles.

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
