// Article metadata: ids from file names, the schema for metadata a file declares (front matter, JSON fields, CSV
// columns), date and outlet normalisation, the fallback title, and the content hash that decides re-ingestion.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { WinkMethods } from 'wink-nlp';
import { z } from 'zod';
import type { Article } from './types.js';

/** Metadata a source file states about an article; null where it says nothing. */
export interface GivenMetadata {
  title: string | null;
  outlet: string | null;
  url: string | null;
  published: string | null;
  byline: string | null;
  dateline: string | null;
}

export const noGivenMetadata: GivenMetadata = {
  title: null,
  outlet: null,
  url: null,
  published: null,
  byline: null,
  dateline: null,
};

// YAML turns `title: 1984` into a number; the author meant text.
const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value == null ? null : String(value).trim() || null));

// Several authors are naturally written as a YAML or JSON list.
const optionalNames = z
  .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])
  .nullish()
  .transform((value) => {
    if (value == null) return null;
    const names = (Array.isArray(value) ? value : [value]).map((name) => String(name).trim()).filter(Boolean);
    return names.length ? names.join(', ') : null;
  });

const optionalUrl = optionalText.refine((value) => value === null || isHttpUrl(value), {
  message: 'must be an absolute http(s) URL, e.g. https://example.com/story',
});

// An unreadable date is dropped rather than failing the article: a date is a convenience, the text is what matters.
const optionalDate = z.unknown().optional().transform((value) => normalizePublished(value));

/**
 * The metadata fields a front matter block, a JSON record or a CSV row may carry. `date` and `author` are accepted as
 * the common front matter spellings of `published` and `byline`.
 */
export const metadataFields = {
  title: optionalText,
  outlet: optionalText,
  url: optionalUrl,
  published: optionalDate,
  date: optionalDate,
  byline: optionalNames,
  author: optionalNames,
  dateline: optionalText,
};

type ParsedMetadataFields = z.output<z.ZodObject<typeof metadataFields>>;

export function toGivenMetadata(fields: ParsedMetadataFields): GivenMetadata {
  return {
    title: fields.title,
    outlet: fields.outlet,
    url: fields.url,
    published: fields.published ?? fields.date,
    byline: fields.byline ?? fields.author,
    dateline: fields.dateline,
  };
}

export const givenMetadataSchema = z
  .object(metadataFields, { error: 'expected a mapping of fields (title, outlet, url, published, byline)' })
  .transform(toGivenMetadata);

/** One line per problem, naming the field: "url: must be an absolute http(s) URL". */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The article id for a file, or for one record of a multi-article file. The path without its extension, lowercased,
 * with anything but letters (of any script, with their marks), digits and underscores turned into '-'; files in
 * subfolders keep the folder in the id so that `2023/niger.txt` and `2024/niger.txt` do not collide. Latin letters lose
 * their accents ("Café" → "cafe", as ids always were); other scripts are kept whole, so `статья.txt`, `新闻.txt` and
 * `άρθρο.txt` are three articles, not three claims on the id "article".
 */
export function articleId(file: string, recordKey: string | null): string {
  const withoutExtension = file.slice(0, file.length - path.posix.extname(file).length);
  const slug =
    withoutExtension
      .normalize('NFKD')
      .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
      // Recomposed, or Hangul would stay as separate jamo and Greek or Devanagari letters apart from their marks.
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}_]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'article';
  return recordKey === null ? slug : `${slug}-${recordKey}`;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A publication date as ISO: `YYYY-MM-DD`, or the full ISO timestamp when the source gives a time. Accepts ISO dates
 * and timestamps, "27th Jul, 2023", "27 July 2023", "July 27, 2023" and Date objects (YAML parses bare dates).
 * Anything else, including impossible dates such as 2023-02-30, gives null.
 */
export function normalizePublished(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (match) {
    if (!isoDate(Number(match[1]), Number(match[2]), Number(match[3])) || Number.isNaN(Date.parse(text))) return null;
    return text.replace(' ', 'T');
  }
  match = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(text);
  if (match) return fromNamedMonth(match[3], match[2], match[1]);
  match = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(text);
  if (match) return fromNamedMonth(match[3], match[1], match[2]);
  return null;
}

function fromNamedMonth(year: string | undefined, monthName: string | undefined, day: string | undefined): string | null {
  const month = MONTHS[(monthName ?? '').toLowerCase()];
  return month ? isoDate(Number(year), month, Number(day)) : null;
}

// Only names that are unambiguous; any other site is cited by its bare domain.
const OUTLET_NAMES: Record<string, string> = {
  'abcnews.go.com': 'ABC News',
  'afp.com': 'AFP',
  'aljazeera.com': 'Al Jazeera',
  'apnews.com': 'The Associated Press',
  'bbc.co.uk': 'BBC News',
  'bbc.com': 'BBC News',
  'bloomberg.com': 'Bloomberg',
  'cbsnews.com': 'CBS News',
  'cnn.com': 'CNN',
  'dw.com': 'DW',
  'euronews.com': 'Euronews',
  'foxnews.com': 'Fox News',
  'france24.com': 'France 24',
  'ft.com': 'Financial Times',
  'independent.co.uk': 'The Independent',
  'latimes.com': 'Los Angeles Times',
  'lemonde.fr': 'Le Monde',
  'msnbc.com': 'MSNBC',
  'nbcnews.com': 'NBC News',
  'npr.org': 'NPR',
  'nytimes.com': 'The New York Times',
  'politico.com': 'Politico',
  'reuters.com': 'Reuters',
  'rfi.fr': 'RFI',
  'sky.com': 'Sky News',
  'telegraph.co.uk': 'The Telegraph',
  'theguardian.com': 'The Guardian',
  'urdupoint.com': 'UrduPoint',
  'usatoday.com': 'USA Today',
  'voanews.com': 'Voice of America',
  'washingtonpost.com': 'The Washington Post',
  'wsj.com': 'The Wall Street Journal',
};

/** The outlet's proper name for a known news domain ("Nbcnews.com" → "NBC News"), else the bare lowercased domain. */
export function outletFromDomain(domain: string): string {
  const host = domain.trim().toLowerCase().replace(/^www\./, '');
  for (const [known, name] of Object.entries(OUTLET_NAMES)) {
    if (host === known || host.endsWith(`.${known}`)) return name;
  }
  return host;
}

// "[text](url)", Markdown's masked link: its text is what a title or a label shows. The address may hold brackets
// (Wikipedia's "Bazoum_(politician)"), angle brackets or a "title"; a link cut short at the end of the text (a title cut
// at its length) keeps its text too, so no "[x](" is ever left. The text part is bounded so the pattern stays linear.
const MASKED_LINK = /\[([^\]\n]{0,300})\]\(\s*(?:<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+"[^"\n]*")?\s*(?:\)|$)/g;

/** `text` with each Markdown masked link reduced to its text. */
export function withoutMaskedLinks(text: string): string {
  return text.replace(MASKED_LINK, '$1');
}

const TITLE_MAX_CHARS = 200;
// Sentence detection only needs the opening of the text; a sentence longer than this is cut for the title anyway.
const TITLE_WINDOW_CHARS = 400;

let sentenceSplitter: WinkMethods | undefined;
// wink and its model load on the first title they find (~0.1 s), not in commands that read no article (`ask`).
const require = createRequire(import.meta.url);

/**
 * The title of an article that gives none: its first sentence, without a leading dateline ("NIAMEY, Niger — "), cut
 * at a word boundary with "…" when longer than 200 characters.
 */
export function titleFromText(text: string, dateline: string | null): string {
  const opening = text.slice(0, TITLE_WINDOW_CHARS).split('\n')[0] ?? '';
  sentenceSplitter ??= (require('wink-nlp') as typeof import('wink-nlp').default)(require('wink-eng-lite-web-model'), ['sbd']);
  // Links go before the sentence is found and cut: a cut inside one would leave "[its statement](https://…".
  const plain = withoutMaskedLinks(opening);
  let title = sentenceSplitter.readDoc(plain).sentences().itemAt(0)?.out() ?? plain;
  if (dateline && title.startsWith(dateline)) {
    const rest = title.slice(dateline.length).replace(/^\s*(?:\([^)]{1,40}\)\s*)?(?:[—–]|--?)\s*/, '');
    if (rest) title = rest;
  }
  title = title.trim();
  if (title.length <= TITLE_MAX_CHARS) return title;
  const cut = title.slice(0, TITLE_MAX_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > TITLE_MAX_CHARS / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:–—-]+$/, '')}…`;
}

export type ArticleFields = Omit<Article, 'contentHash'>;

/** Seals an article: the content hash covers the text and every metadata field, so any change means re-ingestion. */
export function buildArticle(fields: ArticleFields): Article {
  const { id, outlet, published, byline, dateline, url, file, text } = fields;
  // A declared title or a Markdown heading may hold a link: the title is shown as words.
  const title = withoutMaskedLinks(fields.title);
  const contentHash = createHash('sha256')
    .update(JSON.stringify([text, id, title, outlet, published, byline, dateline, url, file]))
    .digest('hex');
  return { id, title, outlet, published, byline, dateline, url, file, contentHash, text };
}
