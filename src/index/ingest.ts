// Incremental ingestion: load the sources, re-embed only new or changed articles (by content hash), drop deleted ones,
// and write a new build that replaces the live one atomically. Nothing changed → nothing written.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { slicedPause } from '../event-loop.js';
import { checkSourcesFolder, loadSources, SUPPORTED_EXTENSIONS, type Article, type SkippedFile } from '../corpus/index.js';
import { Embedder } from '../embedding/index.js';
import { buildPassages, tagText, taggingWorkersFor, TaggingPool, type Passage, type SentenceTag, type Span } from '../text/index.js';
import { lockIndex } from './lock.js';
import type { IndexManifest } from './manifest.js';
import { fingerprintSources, readSourceFingerprint, sameSources, writeSourceFingerprint, type SourceFingerprint } from './source-fingerprint.js';
import {
  currentBuildDir,
  IndexLoadError,
  loadIndex,
  passageContext,
  readManifest,
  recordSourcesDir,
  verifyIndexFiles,
  writeIndex,
  type IndexData,
} from './store.js';
import type { HnswSettings } from './vector.js';
import { countOf } from '../wording.js';

export interface IngestProgress {
  /** `model`: building the offline embedding model first (once, about 5 s); `tag`: waiting for the tagging workers. */
  stage: 'load' | 'model' | 'embed' | 'tag' | 'index' | 'write';
  done: number;
  total: number;
}

export interface IngestOptions {
  sourcesDir: string;
  indexDir: string;
  modelsDir: string;
  /** The configured embedding model (a hub id or the offline model id). */
  model: string;
  allowRemoteModels: boolean;
  passageTokens: number;
  overlapSentences: number;
  hnsw: HnswSettings;
  maxArticleBytes: number;
  /** Rebuild everything even if the previous index could be reused. */
  full?: boolean;
  /** Wait this long for another ingest to finish instead of refusing. */
  waitMs?: number;
  /** How long the index lock may go without a refresh before it counts as stale (default 10 s; tests shorten it). */
  lockStaleMs?: number;
  /** An already loaded embedder (the bot reuses its own). */
  embedder?: Embedder;
  /** Worker threads tagging sentences beside the model; 0 tags on this thread. Default: by the number of articles to tag. */
  taggingWorkers?: number;
  onProgress?: (progress: IngestProgress) => void;
  log?: (message: string) => void;
}

export interface IngestReport {
  /** False when the index was already up to date and nothing was written. */
  changed: boolean;
  fullRebuild: boolean;
  /** Why a full rebuild happened, when it did. */
  reason: string | null;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
  skipped: SkippedFile[];
  articles: number;
  passages: number;
  /** Passages embedded by this run (reused vectors not counted). */
  embeddedPassages: number;
  /** Sentences embedded by this run (each sentence is also scored by its own vector). */
  embeddedSentences: number;
  model: string;
  seconds: number;
  /** Seconds spent inside the embedding model, for throughput figures. */
  embedSeconds: number;
  /** The sources folder indexed (absolute), recorded in the manifest. */
  sourcesDir: string;
}

/** The text a passage is embedded as: its article's headline and opening give it the context it may lack on its own. */
export function contextualText(article: Article, passage: Passage): string {
  const context = passageContext(article);
  return context.includes(passage.text) ? passage.text : `${context}\n${passage.text}`;
}

function sameSettings(manifest: IndexManifest, opts: IngestOptions): boolean {
  return (
    manifest.passages.maxTokens === opts.passageTokens &&
    manifest.passages.overlapSentences === opts.overlapSentences &&
    manifest.hnsw.m === opts.hnsw.m &&
    manifest.hnsw.efConstruction === opts.hnsw.efConstruction
  );
}

/** Writing the index failed for want of room (a full disk, a quota, a file size limit); the previous index is live. */
export class IndexWriteError extends UserError {}

const NO_ROOM: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'a file size limit (ulimit -f) was reached',
};

/** An IndexWriteError saying what to do when `error` is a lack of room, else `error` itself. */
function noRoomError(error: unknown, indexDir: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why = code ? NO_ROOM[code] : undefined;
  if (!why) return error;
  return new IndexWriteError(
    `Could not write the index in ${path.resolve(indexDir)}: ${why} (${code}). Free some space (or raise the limit) and run ingest again; the previous index is still live.`,
    { cause: error },
  );
}

export async function ingest(opts: IngestOptions): Promise<IngestReport> {
  try {
    return await ingestLocked(opts);
  } catch (error) {
    throw noRoomError(error, opts.indexDir);
  }
}

async function ingestLocked(opts: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const sourcesDir = path.resolve(opts.sourcesDir);
  // Before the lock creates the index folder: a mistyped --sources must leave nothing behind.
  await checkSourcesFolder(sourcesDir);
  const release = await lockIndex(opts.indexDir, { waitMs: opts.waitMs, staleMs: opts.lockStaleMs });
  let pool: TaggingPool | null = null;
  const tagged: Array<Promise<void>> = [];
  try {
    opts.onProgress?.({ stage: 'load', done: 0, total: 1 });
    // Taken before any article is read: a file that changes while this ingest runs differs from it next time.
    const sourcesNow = await fingerprintSources(opts.sourcesDir, opts.maxArticleBytes).catch(() => null);
    const upToDate = sourcesNow && !opts.full ? await unchangedIndex(opts, sourcesNow) : null;
    if (upToDate) {
      opts.onProgress?.({ stage: 'load', done: 1, total: 1 });
      const { counts } = upToDate.manifest;
      const diff = { added: [], updated: [], removed: [], unchanged: counts.articles };
      return report({ changed: false, reason: null, diff, skipped: upToDate.skipped, articles: counts.articles, passages: counts.passages });
    }
    const recordSources = async (build: string, skipped: SkippedFile[]) => {
      if (!sourcesNow) return;
      // Only a cache: without it the next ingest reads every article to find out that nothing changed.
      await writeSourceFingerprint(opts.indexDir, { ...sourcesNow, build, skipped }).catch((error: Error) =>
        log(`could not record the sources' fingerprint (${error.message}); the next ingest will read every article`),
      );
    };
    const { articles, skipped } = await loadSources(opts.sourcesDir, { maxBytes: opts.maxArticleBytes });
    opts.onProgress?.({ stage: 'load', done: 1, total: 1 });
    if (articles.length === 0) {
      log(
        `warning: no articles found in ${sourcesDir}${skipped.length > 0 ? ` (${countOf(skipped.length, 'file')} skipped)` : ''}; ` +
          `article files end in ${SUPPORTED_EXTENSIONS.join(', ')}.`,
      );
    }

    let previous: IndexManifest | null = null;
    let reason: string | null = null;
    try {
      previous = await readManifest(opts.indexDir);
    } catch (error) {
      if (!(error instanceof IndexLoadError)) throw error;
      reason = `the previous index is unreadable (${error.reason})`;
    }
    if (previous && opts.full) reason = 'a full rebuild was requested';
    else if (previous && previous.model.requested !== opts.model) {
      reason = `the embedding model changed from ${previous.model.requested} to ${opts.model}`;
    } else if (previous && !sameSettings(previous, opts)) reason = 'the passage or index settings changed';
    else if (!previous && !reason) reason = 'there was no index yet';

    const leaving = previous ? leavingArticles(previous, articles, sourcesDir) : null;
    if (leaving) log(leaving);

    let diff = diffArticles(articles, reason ? null : previous);
    if (previous && !reason && diff.added.length + diff.updated.length + diff.removed.length === 0) {
      // "Up to date" must mean loadable: a damaged build behind an intact manifest is rebuilt, as the load error's hint
      // (`npx coverage-bot ingest`) promises.
      try {
        await verifyIndexFiles(opts.indexDir, previous);
      } catch (error) {
        if (!(error instanceof IndexLoadError)) throw error;
        reason = `the previous index is unreadable (${error.reason})`;
        diff = diffArticles(articles, null);
      }
    }
    const nothingChanged = !reason && diff.added.length === 0 && diff.updated.length === 0 && diff.removed.length === 0;
    if (nothingChanged) {
      // The same articles from another folder (moved, or a build that predates the record): only the record changes.
      if (previous!.sourcesDir !== sourcesDir) await recordSourcesDir(opts.indexDir, sourcesDir);
      await recordSources(path.basename((await currentBuildDir(opts.indexDir))!), skipped);
      return report({ changed: false, reason: null, diff, skipped, articles: articles.length, passages: previous!.counts.passages });
    }

    const embedder =
      opts.embedder ??
      (await Embedder.load({
        model: opts.model,
        modelsDir: opts.modelsDir,
        allowRemote: opts.allowRemoteModels,
        log,
        onBuildProgress: (_step, done, total) => opts.onProgress?.({ stage: 'model', done, total }),
      }));
    if (!reason && previous && previous.model.id !== embedder.modelId) {
      reason = `the embedding model in use changed from ${previous.model.id} to ${embedder.modelId}`;
    }
    let reusable: IndexData | null = null;
    if (!reason) {
      try {
        reusable = await loadIndex(opts.indexDir, { withSearch: false });
      } catch (error) {
        if (!(error instanceof IndexLoadError)) throw error;
        reason = `the previous index is unreadable (${error.reason})`;
      }
    }
    const finalDiff = reason ? diffArticles(articles, null) : diff;
    const fresh = new Set([...finalDiff.added, ...finalDiff.updated]);

    // Reuse the passages and vectors of unchanged articles; chunk and embed the rest.
    const dimensions = embedder.dimensions;
    const passages: Passage[] = [];
    const rows: Array<Float32Array | null> = [];
    const toEmbed: Array<{ slot: number; text: string }> = [];
    const reusedRows = new Map<string, number[]>();
    // Sentence vectors: one row per unique sentence (passages overlap), reused rows copied, new ones embedded.
    const sentenceRows: Array<Float32Array | null> = [];
    const sentencesToEmbed: Array<{ slot: number; text: string }> = [];
    reusable?.passages.forEach((p, i) => {
      const list = reusedRows.get(p.articleId) ?? [];
      list.push(i);
      reusedRows.set(p.articleId, list);
    });
    // Chunking and tagging are synchronous: yield every few tens of milliseconds so a bot refreshing in-process keeps answering.
    const pause = slicedPause();
    // Tagging runs in worker threads while this thread embeds: each article's tags arrive as a promise, awaited once
    // every passage is embedded.
    const workers = opts.taggingWorkers ?? taggingWorkersFor(fresh.size);
    if (workers > 0) pool = TaggingPool.open(workers);
    const tag = (text: string, spans: Span[]) => (pool ? pool.tag(text, spans) : Promise.resolve(tagText(text, spans)));
    let tagsDone = 0;
    let embedDone = false;
    for (const article of articles) {
      await pause();
      if (!fresh.has(article.id) && reusable) {
        const renumbered = new Map<number, number>();
        for (const i of reusedRows.get(article.id) ?? []) {
          const old = reusable.passages[i]!;
          const newRows = old.sentenceRows!.map((r) => {
            let row = renumbered.get(r);
            if (row === undefined) {
              row = sentenceRows.length;
              renumbered.set(r, row);
              sentenceRows.push(reusable!.sentenceVectors.subarray(r * dimensions, (r + 1) * dimensions));
            }
            return row;
          });
          passages.push({ ...old, sentenceRows: newRows });
          rows.push(reusable.vectors.subarray(i * dimensions, (i + 1) * dimensions));
        }
        continue;
      }
      const built = buildPassages(article.id, article.text, {
        maxTokens: opts.passageTokens,
        overlapSentences: opts.overlapSentences,
        countTokens: (s) => embedder.countTokens(s),
      });
      const first = passages.length;
      const rowOfSentence = new Map<number, number>();
      for (const passage of built) {
        toEmbed.push({ slot: rows.length, text: contextualText(article, passage) });
        const rowsOfPassage = passage.sentences.map((s) => {
          let row = rowOfSentence.get(s.start);
          if (row === undefined) {
            row = sentenceRows.length;
            rowOfSentence.set(s.start, row);
            sentenceRows.push(null);
            sentencesToEmbed.push({ slot: row, text: article.text.slice(s.start, s.end) });
          }
          return row;
        });
        passages.push({ ...passage, sentenceRows: rowsOfPassage });
        rows.push(null);
      }
      const articleTagged = tagPassages(built, (spans) => tag(article.text, spans)).then((withTags) => {
        // Only the tags arrive: the passage keeps its sentence-vector rows.
        withTags.forEach((p, i) => (passages[first + i] = { ...passages[first + i]!, sentenceTags: p.sentenceTags }));
        tagsDone++;
        if (embedDone) opts.onProgress?.({ stage: 'tag', done: tagsDone, total: tagged.length });
      });
      // A failed worker rejects while this thread is still embedding: the rejection is reported by the Promise.all
      // below, not as an unhandled one that would end the process.
      articleTagged.catch(() => {});
      tagged.push(articleTagged);
    }

    const embedStarted = performance.now();
    // Passages and sentences are embedded in one pass, so progress counts all the work the model does.
    const texts = [...toEmbed.map((e) => e.text), ...sentencesToEmbed.map((e) => e.text)];
    const embedded = await embedder.embedPassages(texts, {
      onProgress: (done, total) => opts.onProgress?.({ stage: 'embed', done, total }),
    });
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    toEmbed.forEach((e, i) => (rows[e.slot] = embedded[i]!));
    sentencesToEmbed.forEach((e, i) => (sentenceRows[e.slot] = embedded[toEmbed.length + i]!));
    embedDone = true;
    await Promise.all(tagged);

    const vectors = new Float32Array(passages.length * dimensions);
    rows.forEach((row, i) => vectors.set(row!, i * dimensions));
    const sentenceVectors = new Float32Array(sentenceRows.length * dimensions);
    sentenceRows.forEach((row, i) => sentenceVectors.set(row!, i * dimensions));

    opts.onProgress?.({ stage: 'index', done: 0, total: 1 });
    const written = await writeIndex(opts.indexDir, {
      articles,
      passages,
      vectors,
      sentenceVectors,
      model: { id: embedder.modelId, requested: opts.model, dimensions },
      sourcesDir,
      passageSettings: { maxTokens: opts.passageTokens, overlapSentences: opts.overlapSentences },
      hnsw: opts.hnsw,
      // The last moment to find the lock lost (taken over, or stale after a stall): the previous build stays live.
      beforeCommit: () => release.assertHeld(),
    });
    await recordSources(path.basename(written.dir), skipped);
    opts.onProgress?.({ stage: 'write', done: 1, total: 1 });
    return report({
      changed: true,
      reason,
      diff: finalDiff,
      skipped,
      articles: articles.length,
      passages: passages.length,
      embeddedPassages: toEmbed.length,
      embeddedSentences: sentencesToEmbed.length,
      model: embedder.modelId,
      embedSeconds,
    });
  } finally {
    // Every tagging promise settles before the pool goes (none left rejected and unobserved).
    await Promise.allSettled(tagged);
    await pool?.close();
    await release();
  }

  function report(r: {
    changed: boolean;
    reason: string | null;
    diff: ArticleDiff;
    skipped: SkippedFile[];
    articles: number;
    passages: number;
    embeddedPassages?: number;
    embeddedSentences?: number;
    model?: string;
    embedSeconds?: number;
  }): IngestReport {
    return {
      changed: r.changed,
      fullRebuild: r.reason !== null,
      reason: r.reason,
      added: r.diff.added,
      updated: r.diff.updated,
      removed: r.diff.removed,
      unchanged: r.diff.unchanged,
      skipped: r.skipped,
      articles: r.articles,
      passages: r.passages,
      embeddedPassages: r.embeddedPassages ?? 0,
      embeddedSentences: r.embeddedSentences ?? 0,
      model: r.model ?? opts.model,
      seconds: (performance.now() - started) / 1000,
      embedSeconds: r.embedSeconds ?? 0,
      sourcesDir,
    };
  }
}

/**
 * When the index was built from another sources folder, what switching folders takes out of it (said before the new
 * build replaces the old one, so that a forgotten --sources is noticed); null when it takes nothing out.
 */
function leavingArticles(previous: IndexManifest, articles: Article[], sourcesDir: string): string | null {
  if (!previous.sourcesDir || previous.sourcesDir === sourcesDir) return null;
  const current = new Set(articles.map((a) => a.id));
  const removed = Object.keys(previous.articles).filter((id) => !current.has(id));
  if (removed.length === 0) return null;
  const listed = removed.length <= 10 ? `: ${removed.join(', ')}` : ` (${removed.slice(0, 10).join(', ')}, …)`;
  return (
    `The index was built from ${previous.sourcesDir}; indexing ${sourcesDir} instead removes ` +
    `${countOf(removed.length, 'article')} not found there${listed}. To keep them, run again with --sources ${previous.sourcesDir}.`
  );
}

/**
 * The live index when it was built from exactly the sources of `now` with the requested model and settings and is
 * intact: then nothing needs reading. Null sends the ingest the slow way (which decides what changed, if anything).
 */
async function unchangedIndex(
  opts: IngestOptions,
  now: Omit<SourceFingerprint, 'build' | 'skipped'>,
): Promise<{ manifest: IndexManifest; skipped: SkippedFile[] } | null> {
  try {
    const manifest = await readManifest(opts.indexDir);
    const dir = await currentBuildDir(opts.indexDir);
    if (!manifest || !dir || manifest.model.requested !== opts.model || !sameSettings(manifest, opts)) return null;
    // Another folder with the same files still changes the index's record of where its articles are.
    if (manifest.sourcesDir !== path.resolve(opts.sourcesDir)) return null;
    const recorded = await readSourceFingerprint(opts.indexDir);
    if (!recorded || !sameSources(recorded, now, path.basename(dir))) return null;
    await verifyIndexFiles(opts.indexDir, manifest);
    return { manifest, skipped: recorded.skipped };
  } catch (error) {
    if (error instanceof IndexLoadError) return null;
    throw error;
  }
}

/** Tags every sentence of an article once (passages overlap) and hands each passage its sentences' tags. */
async function tagPassages(passages: Passage[], tag: (sentences: Span[]) => Promise<SentenceTag[][]>): Promise<Passage[]> {
  const spans = new Map<number, Span>();
  for (const p of passages) for (const s of p.sentences) spans.set(s.start, s);
  const unique = [...spans.values()];
  const tags = await tag(unique);
  const byStart = new Map(unique.map((s, i) => [s.start, tags[i]!]));
  return passages.map((p) => ({ ...p, sentenceTags: p.sentences.map((s) => byStart.get(s.start) ?? []) }));
}

interface ArticleDiff {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

function diffArticles(articles: Article[], previous: IndexManifest | null): ArticleDiff {
  const before = previous?.articles ?? {};
  const added: string[] = [];
  const updated: string[] = [];
  let unchanged = 0;
  for (const article of articles) {
    const hash = before[article.id];
    if (hash === undefined) added.push(article.id);
    else if (hash !== article.contentHash) updated.push(article.id);
    else unchanged++;
  }
  const current = new Set(articles.map((a) => a.id));
  const removed = Object.keys(before).filter((id) => !current.has(id));
  return { added, updated, removed, unchanged };
}

/** Ingest options from the configuration (paths, model, passage and graph settings). */
export function ingestOptionsFromConfig(config: Config): IngestOptions {
  return {
    sourcesDir: config.SOURCES_DIR,
    indexDir: config.INDEX_DIR,
    modelsDir: config.MODELS_DIR,
    model: config.EMBEDDING_MODEL,
    allowRemoteModels: config.ALLOW_REMOTE_MODELS,
    passageTokens: config.PASSAGE_TOKENS,
    overlapSentences: config.PASSAGE_OVERLAP_SENTENCES,
    hnsw: { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH },
    maxArticleBytes: config.MAX_ARTICLE_BYTES,
  };
}
