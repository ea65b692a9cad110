// The verbatim guarantee: a quote is returned only if it is the article text at its offsets and, white space collapsed,
// occurs in the article's text as read from its file. Anything else is dropped before it can reach a user.
import type { Article } from '../corpus/index.js';

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Reads an article's body as it stands in its file (before cleaning); null when the file is gone or unreadable. */
export type SourceTextReader = (article: Article) => Promise<string | null>;

export interface QuoteCandidate {
  text: string;
  start: number;
  end: number;
}

/** True when the quote is exactly the article text at its offsets and occurs, white space collapsed, in the source file. */
export function isVerbatim(quote: QuoteCandidate, article: Article, sourceText: string | null): boolean {
  if (quote.text.length === 0 || quote.start < 0 || quote.end > article.text.length) return false;
  if (article.text.slice(quote.start, quote.end) !== quote.text) return false;
  if (sourceText === null) return false;
  return collapseWhitespace(sourceText).includes(collapseWhitespace(quote.text));
}
