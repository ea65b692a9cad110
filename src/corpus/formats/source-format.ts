// What every format parser gives back: the article records found in one file's text, and the records it rejected.
import type { GivenMetadata } from '../metadata.js';
import type { HtmlExtractionLimits } from './html-extractor.js';

export interface SourceRecord {
  /** Tells the records of a multi-article file apart in their ids ("0001", "3"); null for a one-article file. */
  key: string | null;
  /** Where the record sits, for messages ("row 12 (line 14)", "line 3", "record 2"); null for a one-article file. */
  location: string | null;
  /** The article body as read from the file, before cleaning. */
  text: string;
  given: GivenMetadata;
}

/** A record of a multi-article file that cannot be loaded; the rest of the file still loads. */
export interface RejectedRecord {
  location: string;
  reason: string;
}

export interface ParsedSourceFile {
  records: SourceRecord[];
  rejected: RejectedRecord[];
}

/** Settings a parser may need beyond the file's text. */
export interface ParseOptions {
  /** Bounds on HTML extraction (tests shorten them); defaults in html-extractor.ts. */
  html?: Partial<HtmlExtractionLimits>;
}

export interface SourceFormat {
  /** One article per file (size limit: the article limit) or many (size limit: the corpus-file limit). */
  holds: 'one' | 'many';
  /**
   * Parses a file's text (already decoded as UTF-8, line endings \n, Unicode NFC).
   * Throws (or rejects with) ArticleFileError when nothing in the file can be used.
   */
  parse(content: string, file: string, options?: ParseOptions): ParsedSourceFile | Promise<ParsedSourceFile>;
}
