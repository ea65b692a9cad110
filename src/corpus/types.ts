// Shapes of what the corpus module produces: a cleaned article with its metadata, and a file that could not be read.

/** Everything known about an article besides its text. A field the source does not give is null, never guessed. */
export interface ArticleMetadata {
  /** Stable id derived from the file name (for multi-article files: the file stem plus the row or line number). */
  id: string;
  /** Given title, else the headline or first sentence. */
  title: string;
  outlet: string | null;
  /** ISO date (YYYY-MM-DD) or full ISO timestamp when the source gives a time. */
  published: string | null;
  byline: string | null;
  /** Place named in the dateline, e.g. "NIAMEY, Niger" or "Niamey". */
  dateline: string | null;
  url: string | null;
  /** Path of the source file relative to the sources directory (POSIX separators). */
  file: string;
  /** sha256 of the cleaned text plus metadata: changes whenever re-ingestion is needed. */
  contentHash: string;
}

export interface Article extends ArticleMetadata {
  /** The cleaned article body. Quotes are offsets into this string. */
  text: string;
}

/** A source file (or one record inside it) that was reported and skipped. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface LoadResult {
  articles: Article[];
  skipped: SkippedFile[];
}
