// How articles, passages and filters map to PostgreSQL rows and SQL: shared by the store's read and write sides.
import type { Article } from '../../corpus/index.js';
import type { Passage, SentenceTag } from '../../text/index.js';
import type { PassageFilter } from '../passage-filter.js';
import type { ArticleListing } from '../passage-store.js';

/** Columns of coverage_articles, listing (no body) or with it. */
export const LISTING_COLUMNS = 'id, title, outlet, published, byline, dateline, url, file, content_hash, passage_count';
export const ARTICLE_COLUMNS = `${LISTING_COLUMNS}, body`;
export const PASSAGE_COLUMNS = 'label, article_id, ordinal, start_offset, end_offset, body, spans, sentence_rows, sentence_tags';

export interface ArticleRow {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  byline: string | null;
  dateline: string | null;
  url: string | null;
  file: string;
  content_hash: string;
  passage_count: number;
  body?: string;
}

export interface PassageRow {
  label: number;
  article_id: string;
  ordinal: number;
  start_offset: number;
  end_offset: number;
  body: string;
  spans: number[];
  sentence_rows: number[];
  sentence_tags: SentenceTag[][];
}

export function listingOf(row: ArticleRow): ArticleListing {
  return {
    id: row.id,
    title: row.title,
    outlet: row.outlet,
    published: row.published,
    byline: row.byline,
    dateline: row.dateline,
    url: row.url,
    file: row.file,
    contentHash: row.content_hash,
    passages: row.passage_count,
  };
}

export function articleOf(row: ArticleRow): Article {
  const { passages: _passages, ...listing } = listingOf(row);
  return { ...listing, text: row.body ?? '' };
}

export function passageOf(row: PassageRow): Passage {
  const sentences = [];
  for (let i = 0; i + 1 < row.spans.length; i += 2) sentences.push({ start: row.spans[i]!, end: row.spans[i + 1]! });
  return {
    id: `${row.article_id}#${row.ordinal}`,
    articleId: row.article_id,
    ordinal: row.ordinal,
    start: row.start_offset,
    end: row.end_offset,
    text: row.body,
    sentences,
    sentenceTags: row.sentence_tags,
    sentenceRows: row.sentence_rows,
  };
}

/** pgvector's text form of a vector (shortest decimal form of each float32: it reads back to the same value). */
export function vectorText(vector: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) out += (i ? ',' : '') + vector[i]!;
  return `${out}]`;
}

/**
 * The SQL condition on articles aliased `a` that the filter allows (as allowedLabels does: outlet contains, published
 * day within the dates — undated articles left out when a date is given — and excluded ids), with its parameters
 * numbered from `next`.
 */
export function filterCondition(filter: PassageFilter | undefined, next: number): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${next + params.length - 1}`;
  };
  if (filter?.outlet) parts.push(`position(lower(${param(filter.outlet)}) in lower(coalesce(a.outlet, ''))) > 0`);
  if (filter?.since || filter?.until) parts.push('a.published IS NOT NULL');
  if (filter?.since) parts.push(`substr(a.published, 1, 10) >= ${param(filter.since)}`);
  if (filter?.until) parts.push(`substr(a.published, 1, 10) <= ${param(filter.until)}`);
  if (filter?.excludeArticles?.length) parts.push(`NOT (a.id = ANY(${param(filter.excludeArticles)}::text[]))`);
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params };
}
