// Ingestion, what changed: whether the live build can be kept as it is, or must be rebuilt in full (and why), and which
// articles were added, updated or removed since it was built.
import path from 'node:path';
import type { Article, SkippedFile } from '../corpus/index.js';
import { countOf } from '../wording.js';
import { modelSettings } from '../embedding/index.js';
import type { IngestOptions, PassageVectors } from './ingest.js';
import type { IndexManifest } from './manifest.js';
import type { PassageStoreWriter } from './passage-store.js';
import { readSourceFingerprint, sameSources, type SourceFingerprint } from './source-fingerprint.js';
import { currentBuildDir, IndexLoadError, readManifest, verifyIndexFiles } from './store.js';

export interface ArticleDiff {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
}

/**
 * Where a build's passage vectors come from: PASSAGE_VECTORS when set, else the requested model's measured choice
 * (`sentences` for e5-small-v2), else `model`. Decided by the requested model, as the manifest records it, so a build
 * that fell back to the offline model is compared with the next one on the same terms.
 */
export function passageVectorsFor(opts: Pick<IngestOptions, 'model' | 'passageVectors'>): PassageVectors {
  return opts.passageVectors ?? modelSettings(opts.model).passageVectors ?? 'model';
}

export function sameSettings(manifest: IndexManifest, opts: IngestOptions): boolean {
  return (
    manifest.passages.maxTokens === opts.passageTokens &&
    manifest.passages.overlapSentences === opts.overlapSentences &&
    manifest.passages.vectors === passageVectorsFor(opts) &&
    manifest.hnsw.m === opts.hnsw.m &&
    manifest.hnsw.efConstruction === opts.hnsw.efConstruction
  );
}

export function diffArticles(articles: Article[], previous: IndexManifest | null): ArticleDiff {
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

/**
 * When the index was built from another sources folder, what switching folders takes out of it (said before the new
 * build replaces the old one, so that a forgotten --sources is noticed); null when it takes nothing out.
 */
export function leavingArticles(previous: IndexManifest, articles: Article[], sourcesDir: string): string | null {
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
export async function unchangedIndex(
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
    // A record without the folder (written before it was kept there) is written again by the slow way, once.
    if (!recorded || recorded.sourcesDir !== manifest.sourcesDir || !sameSources(recorded, now, path.basename(dir))) return null;
    await verifyIndexFiles(opts.indexDir, manifest);
    return { manifest, skipped: recorded.skipped };
  } catch (error) {
    if (error instanceof IndexLoadError) return null;
    throw error;
  }
}

/**
 * What a build must do: the live manifest (null when there is none, or it is unreadable), why everything must be
 * rebuilt (null when unchanged articles can be reused), and the articles' differences from the live build.
 */
export async function decideRebuild(
  opts: IngestOptions,
  articles: Article[],
  sourcesDir: string,
  log: (message: string) => void,
  /** A store other than the index folder's (a database): its live manifest is read from it, and it has no files to verify. */
  store: PassageStoreWriter | null = null,
): Promise<{ previous: IndexManifest | null; reason: string | null; diff: ArticleDiff }> {
  let previous: IndexManifest | null = null;
  let reason: string | null = null;
  const vectors = passageVectorsFor(opts);
  try {
    previous = store ? await store.liveManifest() : await readManifest(opts.indexDir);
  } catch (error) {
    if (!(error instanceof IndexLoadError)) throw error;
    reason = `the previous index is unreadable (${error.reason})`;
  }
  if (previous && opts.full) reason = 'a full rebuild was requested';
  else if (previous && previous.model.requested !== opts.model) {
    reason = `the embedding model changed from ${previous.model.requested} to ${opts.model}`;
  } else if (previous && previous.passages.vectors !== vectors) {
    const why = opts.passageVectors ? `PASSAGE_VECTORS=${vectors}` : `the default for ${opts.model}`;
    reason = `passage vectors now come from ${vectors === 'sentences' ? 'their sentences' : 'the model'} (${why})`;
  } else if (previous && !sameSettings(previous, opts)) reason = 'the passage or index settings changed';
  else if (!previous && !reason) reason = 'there was no index yet';

  const leaving = previous ? leavingArticles(previous, articles, sourcesDir) : null;
  if (leaving) log(leaving);

  let diff = diffArticles(articles, reason ? null : previous);
  if (!store && previous && !reason && diff.added.length + diff.updated.length + diff.removed.length === 0) {
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
  return { previous, reason, diff };
}
