// A /refresh job: an uploaded article checked (name, type, size, contents through the corpus loader) and saved into the
// sources folder (temp name, then rename) unless another file already holds one of its article ids; the incremental ingest run while the old index keeps answering; the new
// Coverage opened with the loaded model and swapped in. Progress and the outcome are edited into the moderator's reply.
// A failure at any step leaves the old index serving and says why.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';
import type { Coverage, IngestProgress, IngestReport } from '../answer/index.js';
import type { Config } from '../config.js';
import { isUserError, UserError } from '../errors.js';
import { countOf } from '../wording.js';
import { ArticleFileError, articleId, loadFile, SUPPORTED_EXTENSIONS } from '../corpus/index.js';
import type { RefreshJob } from './context.js';
import { COLOURS, escapeText, listFields } from './format.js';
import { fitEmbeds, trimText } from './limits.js';
import { newErrorId, type Logger } from './log.js';

/** Article files a moderator may upload. */
export const UPLOAD_EXTENSIONS = ['.txt', '.md', '.json', '.html'] as const;

/** An upload refused, with the reason phrased for the moderator. */
export class UploadError extends UserError {}

// Letters, digits, space, dot, dash, underscore; starting with a letter or digit (so never a dot file).
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

/** Why `name` cannot be saved into the sources folder, or null when it can. */
export function unsafeFileName(name: string): string | null {
  if (name.length === 0 || name.length > 100) return 'the file name must be 1 to 100 characters';
  if (name.includes('/') || name.includes('\\')) return 'the file name must not contain path separators';
  if (name.includes('..')) return 'the file name must not contain ".."';
  if (name.startsWith('.')) return 'the file name must not start with a dot';
  if (!SAFE_NAME.test(name)) return 'the file name may use only letters, digits, spaces, dots, dashes and underscores';
  const extension = path.extname(name).toLowerCase();
  if (!(UPLOAD_EXTENSIONS as readonly string[]).includes(extension)) return `the file must be one of ${UPLOAD_EXTENSIONS.join(', ')}`;
  if (/^readme(\.|$)/i.test(name)) return 'README files are not read as articles; rename the file';
  return null;
}

/** Where attachments are served: Discord's CDN and its media proxy. */
export const DISCORD_ATTACHMENT_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'] as const;

/** The origins the bot downloads attachments from: Discord's, plus DISCORD_API_URL's (a fake Discord serves both). */
export function attachmentOrigins(apiUrl: string | undefined): string[] {
  return apiUrl ? [...DISCORD_ATTACHMENT_ORIGINS, new URL(apiUrl).origin] : [...DISCORD_ATTACHMENT_ORIGINS];
}

/** The attachment URL parsed, or an UploadError when it points anywhere but an allowed origin. */
export function attachmentUrl(raw: string, origins: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UploadError('the attachment has no valid URL');
  }
  const from = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : `a ${url.protocol.replace(/:$/, '')}: URL`;
  // The bot fetches only from Discord: an attachment URL naming another host (an internal address, a metadata service)
  // must never make it fetch there.
  if (!origins.includes(url.origin) || url.username || url.password) {
    throw new UploadError(`refused to download from ${from}: attachments are downloaded only from Discord's CDN (cdn.discordapp.com, media.discordapp.net)`);
  }
  return url;
}

export interface DownloadOptions {
  origins: readonly string[];
  /** Longest the whole download may take (default 30 s). */
  timeoutMs?: number;
}

const MAX_REDIRECTS = 3;

async function download(raw: string, maxBytes: number, opts: DownloadOptions): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const overLimit = () => new UploadError(`the file is over the ${maxBytes.toLocaleString('en')}-byte upload limit (MAX_UPLOAD_BYTES)`);
  try {
    let url = attachmentUrl(raw, opts.origins);
    let response: Response;
    for (let redirects = 0; ; redirects++) {
      // Redirects are followed by hand, each target checked like the first URL.
      response = await fetch(url, { signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || !location) break;
      await response.body?.cancel();
      if (redirects === MAX_REDIRECTS) throw new UploadError('the attachment download was redirected too many times');
      url = attachmentUrl(new URL(location, url).href, opts.origins);
    }
    if (!response.ok || !response.body) throw new UploadError(`the attachment could not be downloaded (HTTP ${response.status})`);
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body.cancel();
      throw overLimit();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > maxBytes) throw overLimit();
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (signal.aborted) throw new UploadError(`the attachment download took over ${(timeoutMs / 1000).toLocaleString('en')} s and was stopped`);
    if (error instanceof UploadError) throw error;
    throw new UploadError(`the attachment could not be downloaded (${(error as Error).message})`);
  }
}

/** An article some file already holds: its id, and its file relative to the sources folder. */
export interface HeldArticle {
  id: string;
  file: string;
}

/** The files under `dir` the corpus loader would read, as relative POSIX paths (dot files and folders and READMEs skipped). */
async function articleFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    // Links to files are read by the loader too; folders are listed through.
    if (entry.isDirectory()) continue;
    const file = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (file.split('/').some((part) => part.startsWith('.')) || /^readme(\.|$)/i.test(entry.name)) continue;
    if (SUPPORTED_EXTENSIONS.includes(path.extname(file).toLowerCase())) files.push(file);
  }
  return files;
}

// Files whose every record's id carries its row or line number: their ids cannot be told from the file name.
const MANY_ARTICLE_EXTENSIONS = ['.csv', '.ndjson', '.jsonl'];

/**
 * Article id → file, for the articles that files other than `name` hold: the indexed ones whose file is still there,
 * and those of files not indexed yet. A new file's id is worked out from its name alone (reading every new file would
 * make an upload as slow as an ingest), so a new multi-article file is not seen here; the ingest still reports an id
 * clash with one.
 */
async function articlesHeldElsewhere(dir: string, name: string, indexed: readonly HeldArticle[]): Promise<Map<string, string>> {
  const files = new Set(await articleFiles(dir));
  files.delete(name);
  const held = new Map<string, string>();
  for (const article of indexed) if (files.has(article.file)) held.set(article.id, article.file);
  const indexedFiles = new Set(indexed.map((a) => a.file));
  for (const file of files) {
    if (indexedFiles.has(file) || MANY_ARTICLE_EXTENSIONS.includes(path.extname(file).toLowerCase())) continue;
    const id = articleId(file, null);
    if (!held.has(id)) held.set(id, file);
  }
  return held;
}

/** Quoted for a reply, with backticks that would end the quote replaced. */
function quotedName(name: string): string {
  return `\`${name.replace(/`/g, "'")}\``;
}

/**
 * Checks an upload and saves it into `sourcesDir`; returns what it holds. Nothing is written to the sources folder
 * unless the corpus loader reads at least one article from the file, and no other file (indexed, in `indexed`, or in
 * the folder) holds one of its article ids: `fishing.json` must not quietly take over the article of `fishing.md`.
 */
export async function saveUpload(
  upload: NonNullable<RefreshJob['upload']>,
  config: Pick<Config, 'SOURCES_DIR' | 'MAX_UPLOAD_BYTES' | 'MAX_ARTICLE_BYTES' | 'DISCORD_API_URL'>,
  opts: { downloadTimeoutMs?: number; indexed?: readonly HeldArticle[] } = {},
): Promise<{ file: string; articles: string[]; replaced: boolean }> {
  const unsafe = unsafeFileName(upload.name);
  if (unsafe) throw new UploadError(unsafe);
  if (upload.size > config.MAX_UPLOAD_BYTES) {
    throw new UploadError(`the file is ${upload.size.toLocaleString('en')} bytes, over the ${config.MAX_UPLOAD_BYTES.toLocaleString('en')}-byte upload limit (MAX_UPLOAD_BYTES)`);
  }
  const bytes = await download(upload.url, config.MAX_UPLOAD_BYTES, {
    origins: attachmentOrigins(config.DISCORD_API_URL),
    timeoutMs: opts.downloadTimeoutMs,
  });
  // Parse it where nothing else looks first: the corpus loader is the judge of a valid article.
  const scratch = await mkdtemp(path.join(tmpdir(), 'coverage-upload-'));
  let articles: string[];
  try {
    await writeFile(path.join(scratch, upload.name), bytes);
    const loaded = await loadFile(scratch, upload.name, { maxBytes: config.MAX_ARTICLE_BYTES });
    articles = loaded.articles.map((a) => a.id);
  } catch (error) {
    if (error instanceof ArticleFileError) throw new UploadError(`the file is not a usable article: ${error.reason}`);
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  // Refused rather than confirmed: a moderator who meant to replace the article can upload under its file's name.
  const held = await articlesHeldElsewhere(config.SOURCES_DIR, upload.name, opts.indexed ?? []);
  const clash = articles.find((id) => held.has(id));
  if (clash !== undefined) {
    const holder = held.get(clash)!;
    // Uploading under the holder's name replaces it only when that file is one article at the top of the folder;
    // said of a CSV, it would replace every article in it.
    const replaceable = !holder.includes('/') && articleId(holder, null) === clash;
    const how = replaceable ? `upload it as ${quotedName(holder)} to replace that article, or rename this file` : 'rename this file';
    throw new UploadError(`the article id ${quotedName(clash)} is already used by ${quotedName(holder)} in the sources folder: ${how} to add it as a new article`);
  }
  const target = path.join(config.SOURCES_DIR, upload.name);
  const replaced = existsSync(target);
  // A dot name is skipped by the loader, so an ingest running meanwhile never reads a half-written file.
  const temporary = path.join(config.SOURCES_DIR, `.upload-${randomBytes(6).toString('hex')}-${upload.name}`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { file: upload.name, articles, replaced };
}

export interface RefreshDeps {
  config: Config;
  log: Logger;
  current(): Coverage;
  swap(next: Coverage): void;
  /** Edits the moderator's reply. */
  edit(body: { content?: string; embeds?: APIEmbed[] }): Promise<void>;
}

export interface RefreshResult {
  ok: boolean;
  report?: IngestReport;
  error?: string;
}

const STAGES: Record<IngestProgress['stage'], string> = {
  load: 'reading the sources folder',
  model: 'building the offline embedding model',
  embed: 'embedding new and changed passages',
  tag: 'tagging sentences',
  index: 'building the index',
  write: 'writing the index',
};

function progressText(p: IngestProgress): string {
  const count = p.total > 1 ? ` (${p.done}/${p.total})` : '';
  return `Refreshing the index: ${STAGES[p.stage]}${count}… The bot keeps answering from the current index meanwhile.`;
}

function idList(ids: string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

export function reportEmbed(report: IngestReport, upload: { file: string; replaced: boolean } | null): APIEmbed {
  const counts = `added ${report.added.length} · updated ${report.updated.length} · removed ${report.removed.length} · skipped ${report.skipped.length}`;
  const lines = [
    report.changed
      ? `Index refreshed in ${report.seconds.toFixed(1)} s: ${counts}.`
      : `The index was already up to date (${report.skipped.length} skipped).`,
    `Now ${countOf(report.articles, 'article')}, ${countOf(report.passages, 'passage')}.`,
  ];
  if (upload) lines.unshift(`${upload.replaced ? 'Replaced' : 'Saved'} \`${upload.file}\` in the sources folder.`);
  if (report.reason) lines.push(`Full rebuild: ${escapeText(report.reason)}.`);
  const fields = [
    ...(report.added.length ? listFields('Added', [idList(report.added)]) : []),
    ...(report.updated.length ? listFields('Updated', [idList(report.updated)]) : []),
    ...(report.removed.length ? listFields('Removed', [idList(report.removed)]) : []),
    ...(report.skipped.length ? listFields('Skipped', report.skipped.map((s) => `\`${s.file}\`: ${escapeText(trimText(s.reason, 300))}`)) : []),
  ];
  return fitEmbeds([{ title: report.changed ? 'Index refreshed' : 'Index up to date', description: lines.join('\n'), color: COLOURS.info, fields }])[0]!;
}

/** Why a refresh failed, for the moderator; an unexpected error gets an id pointing to the log. */
function failureReason(error: unknown, log: Logger): string {
  // A lock held or lost, an unreadable index, a bad upload: the message says what happened and what to do.
  if (isUserError(error)) return error.message;
  const errorId = newErrorId();
  log.error({ err: error, errorId }, 'refresh failed');
  return `an unexpected error (error id ${errorId})`;
}

/** Runs one refresh job to its end; never throws (the outcome is in the reply and the result). */
export async function runRefresh(job: RefreshJob, deps: RefreshDeps): Promise<RefreshResult> {
  const { config, log } = deps;
  let lastEdit = 0;
  let edits: Promise<void> = Promise.resolve();
  const show = (content: string, force = false) => {
    const now = Date.now();
    if (!force && now - lastEdit < 1000) return;
    lastEdit = now;
    edits = edits.then(() => deps.edit({ content })).catch((error: unknown) => log.warn({ err: error }, 'refresh progress edit failed'));
  };
  let upload: { file: string; replaced: boolean } | null = null;
  try {
    if (job.upload) {
      show(`Checking \`${job.upload.name.replace(/`/g, "'").slice(0, 100)}\`…`, true);
      const saved = await saveUpload(job.upload, config, { indexed: await deps.current().sources() });
      upload = saved;
      log.info({ event: 'upload', file: saved.file, articles: saved.articles, replaced: saved.replaced, user: job.userHash }, 'article uploaded');
    }
    show('Refreshing the index…', true);
    const current = deps.current();
    let stage: IngestProgress['stage'] | null = null;
    // The refresh runs with the loaded model; the current coverage keeps answering meanwhile.
    const report = await current.refresh({
      // A new stage shows at once; counts within a stage at most once a second (Discord rate-limits edits).
      onProgress: (p) => {
        show(progressText(p), p.stage !== stage);
        stage = p.stage;
      },
      log: (message) => log.info({ event: 'ingest' }, message),
    });
    if (report.changed) {
      show('Loading the new index…', true);
      deps.swap(await current.reopen());
    }
    await edits;
    await deps.edit({ content: '', embeds: [reportEmbed(report, upload)] });
    log.info(
      {
        event: 'refresh',
        changed: report.changed,
        added: report.added.length,
        updated: report.updated.length,
        removed: report.removed.length,
        skipped: report.skipped.length,
        seconds: report.seconds,
        user: job.userHash,
      },
      'refresh finished',
    );
    return { ok: true, report };
  } catch (error) {
    const reason = failureReason(error, log);
    const saved = upload ? ` \`${upload.file}\` was saved in the sources folder and will be indexed by the next refresh.` : '';
    await edits;
    await deps
      .edit({
        content: '',
        embeds: [
          {
            title: 'Refresh failed',
            description: trimText(`The refresh failed: ${escapeText(reason)}\nThe previous index is still answering questions.${saved}`, 4000),
            color: COLOURS.error,
          },
        ],
      })
      .catch((e: unknown) => log.warn({ err: e }, 'refresh failure edit failed'));
    log.warn({ event: 'refresh', failed: true, reason, user: job.userHash }, 'refresh failed');
    return { ok: false, error: reason };
  }
}
