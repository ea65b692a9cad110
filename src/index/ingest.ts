// Incremental ingestion: load the sources, decide what changed (ingest-changes.ts), re-embed only new or changed articles
// (by content hash; ingest-embed.ts), and write them, with deleted ones dropped, as a new generation of the store that
// replaces the live one atomically (passage-store.ts). Nothing changed → nothing written.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { checkSourcesFolder, loadSources, SUPPORTED_EXTENSIONS, type SkippedFile } from '../corpus/index.js';
import { Embedder } from '../embedding/index.js';
import { accessError } from './access.js';
import { checkFoldersApart } from './folders.js';
import type { IndexManifest } from './manifest.js';
import { fingerprintSources, UNKNOWN_SOURCES, writeSourceFingerprint } from './source-fingerprint.js';
import { currentBuildDir, IndexLoadError, recordSourcesDir, removeLeftoverBuilds } from './store.js';
import type { GenerationWriter, PassageStoreWriter } from './passage-store.js';
import { openStoreWriter, type StoreKind } from './store-factory.js';
import { decideRebuild, diffArticles, passageVectorsFor, unchangedIndex, type ArticleDiff } from './ingest-changes.js';
import { embedArticles } from './ingest-embed.js';
import { clearVectorCache } from './vector-cache.js';
import type { HnswSettings } from './vector.js';
import { countOf } from '../wording.js';

export interface IngestProgress {
  /** `model`: building the offline embedding model first (once, about 5 s); `tag`: waiting for the tagging workers. */
  stage: 'load' | 'model' | 'embed' | 'tag' | 'index' | 'write';
  done: number;
  total: number;
  /** The share of the stage's work done, when it differs from done / total (embedding: long texts cost more). */
  fraction?: number;
}

export interface IngestOptions {
  sourcesDir: string;
  /** The index folder: the local store's builds, and every store's resumable vector cache. */
  indexDir: string;
  /** Which store to write (default `local`, the index folder); `postgres` writes the database at `databaseUrl`. */
  store?: StoreKind;
  databaseUrl?: string;
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
  /**
   * Where passage vectors come from: `sentences` (the normalised mean of the passage's sentence vectors, which are
   * embedded anyway: one model run per sentence and none per passage) or `model` (the passage with its article's context
   * run through the model, as every build did before). Unset: what the requested model's settings say (see
   * `passageVectorsFor` in ingest-changes.ts).
   */
  passageVectors?: PassageVectors;
  /**
   * Worker processes to embed on, each with its own one-thread session (0: this process's session). Unset: what the
   * model's settings and the number of texts say (EmbedOptions.workers).
   */
  embeddingWorkers?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** The exact texts the model is about to run on (for `bench ingest`, which times the raw model on the same texts). */
  onEmbedTexts?: (texts: { passages: string[]; sentences: string[] }) => void;
  log?: (message: string) => void;
}

export type PassageVectors = 'sentences' | 'model';

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
  /** Sentences embedded by this run (each sentence is also scored by its own vector; each distinct text once). */
  embeddedSentences: number;
  /** Vectors read back from a stopped build's cache instead of computed. */
  cachedVectors: number;
  /** Sentences too short to embed (fewer than 3 words), which took a neighbour's vector. */
  shortSentences: number;
  model: string;
  seconds: number;
  /** Seconds spent inside the embedding model, for throughput figures. */
  embedSeconds: number;
  /** The sources folder indexed (absolute), recorded in the manifest. */
  sourcesDir: string;
}

/** Writing the index failed for want of room (a full disk, a quota, a file size limit); the previous index is live. */
export class IndexWriteError extends UserError {}

const NO_ROOM: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'a file size limit (ulimit -f) was reached',
};

/** Calls that write: a permission error from one of them is said as "cannot write". */
const WRITING = new Set(['mkdir', 'open', 'write', 'rename', 'unlink', 'rmdir', 'rm', 'utime', 'copyfile']);

/**
 * An IndexWriteError saying what to do when `error` is a lack of room, an IndexAccessError when it is a lack of
 * permission, else `error` itself.
 */
function noRoomError(error: unknown, indexDir: string): unknown {
  const { code, path: file, syscall } = (error as NodeJS.ErrnoException | null) ?? {};
  if (file) {
    const denied = accessError(error, file, syscall !== undefined && WRITING.has(syscall));
    if (denied) return denied;
  }
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
  await checkFoldersApart(sourcesDir, opts.indexDir);
  // The local store keeps its builds, its record of the sources and the lock in the index folder; a database keeps its
  // generations and its lock itself, and the folder only holds the vector cache.
  const local = (opts.store ?? 'local') === 'local';
  const writer = openStoreWriter(opts);
  let release: Awaited<ReturnType<PassageStoreWriter['lock']>>;
  try {
    release = await writer.lock({ waitMs: opts.waitMs, staleMs: opts.lockStaleMs });
  } catch (error) {
    await writer.close();
    throw error;
  }
  try {
    // Also on a run that changes nothing, which writes no build (and so removes no other).
    if (local) await removeLeftoverBuilds(opts.indexDir);
    opts.onProgress?.({ stage: 'load', done: 0, total: 1 });
    // Taken before any article is read: a file that changes while this ingest runs differs from it next time.
    const sourcesNow = await fingerprintSources(opts.sourcesDir, opts.maxArticleBytes).catch(() => null);
    const upToDate = local && sourcesNow && !opts.full ? await unchangedIndex(opts, sourcesNow) : null;
    if (upToDate) {
      opts.onProgress?.({ stage: 'load', done: 1, total: 1 });
      const { counts } = upToDate.manifest;
      const diff = { added: [], updated: [], removed: [], unchanged: counts.articles };
      return report({ changed: false, reason: null, diff, skipped: upToDate.skipped, articles: counts.articles, passages: counts.passages });
    }
    const recordSources = async (build: string, skipped: SkippedFile[]) => {
      // A cache (without it the next ingest reads every article to find out that nothing changed), and the record of the
      // folder that outlives a damaged build: written even when the folder could not be fingerprinted.
      const record = { ...(sourcesNow ?? UNKNOWN_SOURCES), build, skipped, sourcesDir };
      await writeSourceFingerprint(opts.indexDir, record).catch((error: Error) =>
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

    const decided = await decideRebuild(opts, articles, sourcesDir, log, local ? null : writer);
    const { previous, diff } = decided;
    let reason = decided.reason;
    const nothingChanged = !reason && diff.added.length === 0 && diff.updated.length === 0 && diff.removed.length === 0;
    if (nothingChanged) {
      // The same articles from another folder (moved, or a build that predates the record): only the record changes.
      if (local && previous!.sourcesDir !== sourcesDir) await recordSourcesDir(opts.indexDir, sourcesDir);
      if (local) await recordSources(path.basename((await currentBuildDir(opts.indexDir))!), skipped);
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
    const settings = {
      model: { id: embedder.modelId, requested: opts.model, dimensions: embedder.dimensions },
      sourcesDir,
      passageSettings: { maxTokens: opts.passageTokens, overlapSentences: opts.overlapSentences, vectors: passageVectorsFor(opts) },
      hnsw: opts.hnsw,
    };
    const started = await beginGeneration(writer, settings, previous, reason, embedder.modelId);
    const { generation } = started;
    reason = started.reason;
    const finalDiff = reason ? diffArticles(articles, null) : diff;
    const fresh = new Set([...finalDiff.added, ...finalDiff.updated]);

    let committed: IndexManifest;
    let embedded: Awaited<ReturnType<typeof embedArticles>>;
    try {
      embedded = await embedArticles(articles.filter((a) => fresh.has(a.id)), { embedder, opts });
      opts.onProgress?.({ stage: 'index', done: 0, total: 1 });
      for (const id of finalDiff.removed) await generation.delete(id);
      for (const stored of embedded.articles) await generation.put(stored);
      // The last moment to find the lock lost (taken over, or stale after a stall): the previous build stays live.
      committed = await generation.commit({ beforeCommit: () => release.assertHeld() });
    } catch (error) {
      await generation.abort();
      throw error;
    }
    const { embeddedPassages, embeddedSentences, cachedVectors, shortSentences, embedSeconds } = embedded;
    if (local) await recordSources(path.basename((await currentBuildDir(opts.indexDir))!), skipped);
    // The build holds every vector now; the kept ones were only for resuming it.
    await clearVectorCache(opts.indexDir);
    opts.onProgress?.({ stage: 'write', done: 1, total: 1 });
    return report({
      changed: true,
      reason,
      diff: finalDiff,
      skipped,
      articles: committed.counts.articles,
      passages: committed.counts.passages,
      embeddedPassages,
      embeddedSentences,
      cachedVectors,
      shortSentences,
      model: embedder.modelId,
      embedSeconds,
    });
  } finally {
    await release().finally(() => writer.close());
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
    cachedVectors?: number;
    shortSentences?: number;
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
      cachedVectors: r.cachedVectors ?? 0,
      shortSentences: r.shortSentences ?? 0,
      model: r.model ?? opts.model,
      seconds: (performance.now() - started) / 1000,
      embedSeconds: r.embedSeconds ?? 0,
      sourcesDir,
    };
  }
}

/**
 * A new generation: a copy of the live one whose unchanged articles are kept, or an empty one with the reason
 * everything is rebuilt (a reason already given, the model actually loaded differing from the build's, an unreadable
 * build).
 */
async function beginGeneration(
  writer: PassageStoreWriter,
  settings: Parameters<PassageStoreWriter['begin']>[0],
  previous: IndexManifest | null,
  reason: string | null,
  modelId: string,
): Promise<{ generation: GenerationWriter; reason: string | null }> {
  if (!reason && previous && previous.model.id !== modelId) {
    reason = `the embedding model in use changed from ${previous.model.id} to ${modelId}`;
  }
  if (!reason) {
    try {
      return { generation: await writer.begin(settings, { from: 'live' }), reason: null };
    } catch (error) {
      if (!(error instanceof IndexLoadError)) throw error;
      reason = `the previous index is unreadable (${error.reason})`;
    }
  }
  return { generation: await writer.begin(settings, { from: 'empty' }), reason };
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
    passageVectors: config.PASSAGE_VECTORS,
    embeddingWorkers: config.EMBEDDING_WORKERS,
    store: config.STORE,
    databaseUrl: config.STORE === 'postgres' ? config.DATABASE_URL : undefined,
  };
}
