import type { SentenceTag } from './tags.js';

// Shapes of what the text module produces: sentence spans and passages, all as character offsets into an article's cleaned text.

/** A half-open character range [start, end) into the article text. */
export interface Span {
  start: number;
  end: number;
}

/** A sentence-aligned window of one article. `text === article.text.slice(start, end)` always holds. */
export interface Passage {
  /** `${articleId}#${ordinal}` */
  id: string;
  articleId: string;
  ordinal: number;
  start: number;
  end: number;
  text: string;
  /** The sentences the passage is made of, absolute offsets into the article text, in order. */
  sentences: Span[];
  /** Per sentence (parallel to `sentences`), the entities and values it contains, offsets relative to the sentence. */
  sentenceTags?: SentenceTag[][];
  /**
   * Per sentence (parallel to `sentences`), its row in the index's sentence-vector table. A sentence shared by two
   * overlapping passages has one row.
   */
  sentenceRows?: number[];
}
