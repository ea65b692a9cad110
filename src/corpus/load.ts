// Loading article files: walks the sources directory, reads each file defensively (size, binary, UTF-8, empty), parses
// it by extension, cleans every record and seals it with its metadata. A bad file or record is reported, never fatal.
import type { Stats } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { slicedPause } from '../event-loop.js';
import { cleanArticleText, normalizeSourceText } from './clean.js';
import { ArticleFileError, SourcesFolderError } from './errors.js';
import { csvFormat } from './formats/csv.js';
import { htmlFormat } from './formats/html.js';
import { jsonFormat, ndjsonFormat } from './formats/json.js';
import { markdownFormat } from './formats/markdown.js';
import type { ParsedSourceFile, ParseOptions, SourceFormat, SourceRecord } from './formats/source-format.js';
import { textFormat } from './formats/txt.js';
import { articleId, buildArticle, titleFromText } from './metadata.js';
import type { Article, ArticleMetadata, LoadResult, SkippedFile } from './types.js';

export interface LoadOptions {
  /**
   * Largest article in bytes (default 5 MB, as MAX_ARTICLE_BYTES): the whole file for one-article formats (.txt, .md,
   * .html), each record's text for CSV, JSON and NDJSON files, whose articles are counted one by one.
   */
  maxBytes?: number;
  /** Largest CSV, JSON or NDJSON file in bytes (default 100 MB): bounds the memory one corpus file can take. */
  maxFileBytes?: number;
  /** Bounds on HTML extraction: nesting depth, element count, time (defaults in formats/html-extractor.ts). */
  html?: ParseOptions['html'];
}

export const DEFAULT_MAX_ARTICLE_BYTES = 5_000_000;
export const DEFAULT_MAX_CORPUS_FILE_BYTES = 100_000_000;

const FORMATS: Record<string, SourceFormat> = {
  '.txt': textFormat,
  '.md': markdownFormat,
  '.markdown': markdownFormat,
  '.json': jsonFormat,
  '.ndjson': ndjsonFormat,
  '.jsonl': ndjsonFormat,
  '.html': htmlFormat,
  '.htm': htmlFormat,
  '.csv': csvFormat,
};

/** File extensions the loader reads, lowercase with the dot. */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

function formatOf(file: string): SourceFormat | undefined {
  return FORMATS[path.posix.extname(file).toLowerCase()];
}

function unsupportedReason(file: string): string {
  const extension = path.posix.extname(file);
  return `unsupported file type ${extension ? `"${extension}"` : '(no extension)'}; supported: ${SUPPORTED_EXTENSIONS.join(', ')}`;
}

function sizeOf(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/** True when a path relative to a folder (path.relative) is the folder itself or leads out of it. */
function leavesDir(relative: string): boolean {
  return !relative || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

/** A path relative to the sources directory, with POSIX separators, refusing anything that leaves the directory. */
function sourcePath(dir: string, relativePath: string): { file: string; absolute: string } {
  const absolute = path.resolve(dir, relativePath);
  const relative = path.relative(path.resolve(dir), absolute);
  const file = relative.split(path.sep).join('/');
  if (leavesDir(relative)) {
    throw new ArticleFileError(relativePath, 'the path is outside the sources directory');
  }
  return { file, absolute };
}

/** The file's real path (links resolved), or an ArticleFileError when that is outside the sources folder. */
async function realPathInside(root: string, absolute: string, file: string): Promise<string> {
  const [realRoot, real] = await Promise.all([realpath(root), realpath(absolute)]);
  if (leavesDir(path.relative(realRoot, real))) {
    throw new ArticleFileError(file, 'a link to a file outside the sources folder; only files inside it are read');
  }
  return real;
}

interface SourceFileText {
  content: string;
  stats: Stats;
}

// Controls other than tab, line ends and form feed, unassigned and private-use code points: rare in text, common in
// binary data decoded as UTF-16, or in UTF-16 decoded with the wrong byte order.
// eslint-disable-next-line no-control-regex -- finding control characters is what tells binary data from text
const NOT_TEXT = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\p{Cn}\p{Co}]/gu;
// Characters whose high byte is zero that text holds: spaces, line ends, ASCII and Latin-1 letters and punctuation.
const LOW_TEXT = /[\t\n\r\u0020-\u007e\u00a0-\u00ff]/g;

/**
 * 'utf-16le' or 'utf-16be' when the bytes are UTF-16 text (Windows tools save "Unicode" text so): by the byte-order mark,
 * or, without one, by how the start reads in each byte order. UTF-16 text in any script holds characters with a zero
 * high byte (spaces and line ends: Arabic, Russian and Chinese text too), and decodes to text, with no controls or
 * unassigned code points; UTF-8 text has no zero bytes, and binary data or NUL padding decode to controls. Null for
 * anything that is not clearly UTF-16.
 */
function utf16Encoding(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096) & ~1);
  if (sample.length < 4 || !sample.includes(0)) return null;
  // One line end in a hundred characters at least: a stray NUL in UTF-8 text is not enough.
  const enough = Math.max(2, sample.length / 2 / 100);
  let best: { encoding: 'utf-16le' | 'utf-16be'; odd: number } | null = null;
  for (const encoding of ['utf-16le', 'utf-16be'] as const) {
    const text = new TextDecoder(encoding).decode(sample);
    const low = text.match(LOW_TEXT)?.length ?? 0;
    const odd = text.match(NOT_TEXT)?.length ?? 0;
    if (low >= enough && odd <= text.length / 100 && (!best || odd < best.odd)) best = { encoding, odd };
  }
  return best?.encoding ?? null;
}

/** Reads and decodes a file, or says precisely why it cannot be an article file. */
async function readSourceFile(root: string, absolute: string, file: string, format: SourceFormat, options: LoadOptions): Promise<SourceFileText> {
  const maxArticleBytes = options.maxBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  const limit = format.holds === 'one' ? maxArticleBytes : (options.maxFileBytes ?? DEFAULT_MAX_CORPUS_FILE_BYTES);
  let stats: Stats;
  let bytes: Buffer;
  try {
    // Read through the real path, once it is known to be inside the sources folder: a symbolic link must not make the
    // loader read (and the bot quote) a file from elsewhere on the machine.
    const real = await realPathInside(root, absolute, file);
    stats = await stat(real);
    if (!stats.isFile()) throw new ArticleFileError(file, 'not a regular file');
    if (stats.size > limit) {
      const what = format.holds === 'one' ? 'one article (MAX_ARTICLE_BYTES)' : 'a corpus file';
      throw new ArticleFileError(
        file,
        `the file is ${sizeOf(stats.size)}, over the ${sizeOf(limit)} limit for ${what}; split it or raise the limit`,
      );
    }
    bytes = await readFile(real);
  } catch (error) {
    if (error instanceof ArticleFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ArticleFileError(file, `cannot read the file (${code ?? (error as Error).message}); check it exists and is readable`, {
      cause: error,
    });
  }
  const encoding = utf16Encoding(bytes) ?? 'utf-8';
  if (encoding === 'utf-8' && bytes.includes(0)) throw new ArticleFileError(file, 'binary file (it contains NUL bytes); article files must be text');
  let decoded: string;
  try {
    decoded = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (error) {
    const what = encoding === 'utf-8' ? 'not valid UTF-8 text' : `not valid ${encoding.toUpperCase()} text`;
    throw new ArticleFileError(file, `${what}; re-save the file with UTF-8 encoding`, { cause: error });
  }
  if (decoded.includes('\0')) throw new ArticleFileError(file, 'binary file (it contains NUL characters); article files must be text');
  if (!decoded.trim()) throw new ArticleFileError(file, 'the file is empty');
  return { content: normalizeSourceText(decoded), stats };
}

async function parseSourceFile(dir: string, relativePath: string, options: LoadOptions) {
  const { file, absolute } = sourcePath(dir, relativePath);
  const format = formatOf(file);
  if (!format) throw new ArticleFileError(file, unsupportedReason(file));
  const { content, stats } = await readSourceFile(dir, absolute, file, format, options);
  try {
    return { file, absolute, stats, parsed: await format.parse(content, file, { html: options.html }) };
  } catch (error) {
    if (error instanceof ArticleFileError) throw error;
    // A parser library failing on odd input is still a bad file, not a reason to stop loading.
    throw new ArticleFileError(file, `could not be parsed: ${(error as Error).message}`, { cause: error });
  }
}

/** Cleans one record into an article, or gives the reason it cannot be one. */
function articleOf(file: string, record: SourceRecord, options: LoadOptions): Article | string {
  const maxArticleBytes = options.maxBytes ?? DEFAULT_MAX_ARTICLE_BYTES;
  const size = Buffer.byteLength(record.text);
  if (size > maxArticleBytes) {
    return `the article text is ${sizeOf(size)}, over the ${sizeOf(maxArticleBytes)} limit (MAX_ARTICLE_BYTES)`;
  }
  const { given } = record;
  const cleaned = cleanArticleText(record.text, { knownTitle: given.title });
  if (!cleaned.text) return 'no article text is left once teasers, captions and metadata lines are removed';
  const dateline = given.dateline ?? cleaned.dateline;
  return buildArticle({
    id: articleId(file, record.key),
    title: given.title ?? cleaned.headline ?? titleFromText(cleaned.text, dateline),
    outlet: given.outlet ?? cleaned.outlet,
    published: given.published ?? cleaned.published,
    byline: given.byline ?? cleaned.byline,
    dateline,
    url: given.url,
    file,
    text: cleaned.text,
  });
}

async function articlesOf(file: string, parsed: ParsedSourceFile, options: LoadOptions): Promise<LoadResult> {
  const articles: Article[] = [];
  const skipped: SkippedFile[] = parsed.rejected.map(({ location, reason }) => ({ file, reason: `${location}: ${reason}` }));
  // A corpus file holds thousands of records: yield as it goes, so loading never stalls a bot refreshing in-process.
  const pause = slicedPause();
  for (const record of parsed.records) {
    await pause();
    const article = articleOf(file, record, options);
    if (typeof article === 'string') {
      skipped.push({ file, reason: record.location === null ? article : `${record.location}: ${article}` });
    } else articles.push(article);
  }
  if (articles.length) return { articles, skipped };
  const first = skipped[0];
  if (!first) throw new ArticleFileError(file, 'the file holds no articles');
  const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more problems)` : '';
  throw new ArticleFileError(file, `no article could be loaded: ${first.reason}${more}`);
}

/**
 * Loads the articles of one file (the bot's /refresh upload). Records of a multi-article file that cannot be loaded are
 * returned in `skipped`; a file that yields no article at all throws an ArticleFileError saying why.
 */
export async function loadFile(dir: string, relativePath: string, options: LoadOptions = {}): Promise<LoadResult> {
  const { file, parsed } = await parseSourceFile(dir, relativePath, options);
  return await articlesOf(file, parsed, options);
}

/** Whether the reader skips a file or folder of this name (dotfiles, README files) wherever it is in the sources. */
export function isIgnored(name: string): boolean {
  return name.startsWith('.') || /^readme(?:\.|$)/i.test(name);
}

/** What is wrong with a sources folder that cannot be listed, said so the user knows what to do. */
function sourcesFolderError(dir: string, error: unknown): SourcesFolderError {
  const absolute = path.resolve(dir);
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT'
      ? `The sources folder ${absolute} does not exist: create it and put article files in it, or give the folder that holds them with --sources DIR (or SOURCES_DIR).`
      : code === 'ENOTDIR'
        ? `${absolute} is not a folder: give the folder that holds the article files with --sources DIR (or SOURCES_DIR).`
        : `The sources folder ${absolute} cannot be read (${code ?? (error as Error).message}): check that it is a folder you may read.`;
  return new SourcesFolderError(message, { cause: error });
}

/** Throws SourcesFolderError unless `dir` is a folder that can be listed (checked before anything is written). */
export async function checkSourcesFolder(dir: string): Promise<void> {
  try {
    await readdir(dir);
  } catch (error) {
    throw sourcesFolderError(dir, error);
  }
}

/** Every candidate file under `dir` as a sorted relative POSIX path; folders that cannot be read are reported. */
async function listSourceFiles(dir: string, relativeDir: string, files: string[], skipped: SkippedFile[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(dir, relativeDir), { withFileTypes: true });
  } catch (error) {
    if (!relativeDir) throw sourcesFolderError(dir, error);
    skipped.push({ file: relativeDir, reason: `cannot read the folder (${(error as NodeJS.ErrnoException).code})` });
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (isIgnored(entry.name)) continue;
    const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
    // Symbolic links to folders are not followed: they can loop.
    if (entry.isDirectory()) await listSourceFiles(dir, relative, files, skipped);
    else files.push(relative);
  }
}

/**
 * Loads every article under `dir` (recursively; dotfiles and README files are ignored). Files of unknown type and files
 * or records that cannot be loaded are listed in `skipped` with the reason; the rest load. Articles come sorted by id.
 */
export async function loadSources(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  await listSourceFiles(dir, '', files, skipped);
  const byId = new Map<string, Article>();
  for (const file of files) {
    if (!formatOf(file)) {
      skipped.push({ file, reason: unsupportedReason(file) });
      continue;
    }
    let loaded: LoadResult;
    try {
      loaded = await loadFile(dir, file, options);
    } catch (error) {
      const reason = error instanceof ArticleFileError ? error.reason : `could not be loaded: ${(error as Error).message}`;
      skipped.push({ file, reason });
      continue;
    }
    skipped.push(...loaded.skipped);
    for (const article of loaded.articles) {
      const holder = byId.get(article.id);
      if (holder) {
        skipped.push({ file, reason: `article id "${article.id}" is already taken by ${holder.file}; rename one of the files` });
      } else byId.set(article.id, article);
    }
  }
  const articles = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { articles, skipped };
}

interface CachedSourceTexts {
  mtimeMs: number;
  size: number;
  textById: Map<string, string>;
}

// Answering re-reads the few cited files again and again; a handful of parsed files is all that is worth keeping.
const SOURCE_CACHE_FILES = 16;
const sourceTextCache = new Map<string, CachedSourceTexts>();

/**
 * The article body as read from its file, before cleaning: a text file's content, a Markdown body without its front
 * matter, a JSON record's text, an HTML page's extracted main text, a CSV row's text. Line endings are \n and the text is
 * Unicode NFC, as is `Article.text`, so every sentence of the cleaned text occurs in it. Cached by path and
 * modification time. Throws ArticleFileError when the file is gone, unreadable or no longer holds the article.
 */
export async function readSourceText(
  dir: string,
  article: Pick<ArticleMetadata, 'id' | 'file'>,
  options: LoadOptions = {},
): Promise<string> {
  const { file, absolute } = sourcePath(dir, article.file);
  let stats: Stats;
  try {
    stats = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ArticleFileError(file, `cannot read the file (${code}); re-run ingest if it was removed`, { cause: error });
  }
  let cached = sourceTextCache.get(absolute);
  if (!cached || cached.mtimeMs !== stats.mtimeMs || cached.size !== stats.size) {
    const { parsed, stats: readStats } = await parseSourceFile(dir, file, options);
    const textById = new Map(parsed.records.map((record) => [articleId(file, record.key), record.text]));
    cached = { mtimeMs: readStats.mtimeMs, size: readStats.size, textById };
  }
  // Re-inserting keeps the Map in least-recently-used order, oldest first.
  sourceTextCache.delete(absolute);
  sourceTextCache.set(absolute, cached);
  if (sourceTextCache.size > SOURCE_CACHE_FILES) sourceTextCache.delete(sourceTextCache.keys().next().value as string);
  const text = cached.textById.get(article.id);
  if (text === undefined) throw new ArticleFileError(file, `the file no longer holds article "${article.id}"; re-run ingest`);
  return text;
}
