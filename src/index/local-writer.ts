// The local passage store, write side: a generation is assembled in memory (the live build's articles carried over
// as they are, added and replaced ones from `put`) and written as a new build folder that `current.json` switches to
// in one rename (store.ts). Readers of the old build keep it until they reopen.
import type { Article } from '../corpus/index.js';
import type { Passage } from '../text/index.js';
import { lockIndex, type IndexLockRelease, type LockOptions } from './lock.js';
import type { IndexManifest } from './manifest.js';
import type { GenerationSettings, GenerationWriter, PassageStoreWriter } from './passage-store.js';
import { StagedGeneration } from './staged-generation.js';
import { loadIndex, readManifest, writeIndex, type IndexData } from './store.js';

/** The write side of the local store in `indexDir`. */
export class LocalStoreWriter implements PassageStoreWriter {
  constructor(private readonly indexDir: string) {}

  /** The index folder's lock file (lock.ts). */
  lock(options: LockOptions): Promise<IndexLockRelease> {
    return lockIndex(this.indexDir, options);
  }

  liveManifest(): Promise<IndexManifest | null> {
    return readManifest(this.indexDir);
  }

  async begin(settings: GenerationSettings, options: { from: 'live' | 'empty' }): Promise<GenerationWriter> {
    const live = options.from === 'live' ? await loadIndex(this.indexDir, { withSearch: false }).catch(missingAsNull) : null;
    return new LocalGeneration(this.indexDir, settings, live);
  }

  async close(): Promise<void> {}
}

/** No live build to copy is an empty start; a damaged one is the caller's to handle (IndexLoadError). */
async function missingAsNull(error: unknown): Promise<null> {
  if ((error as { kind?: string }).kind === 'missing') return null;
  throw error;
}

/** A carried-over article: its passages' labels in the live build. */
class LocalGeneration extends StagedGeneration<{ article: Article; labels: number[] }> implements GenerationWriter {
  constructor(
    private readonly indexDir: string,
    settings: GenerationSettings,
    private readonly live: IndexData | null,
  ) {
    super(settings);
    if (!live) return;
    const labels = new Map<string, number[]>();
    live.passages.forEach((p, label) => {
      const list = labels.get(p.articleId);
      if (list) list.push(label);
      else labels.set(p.articleId, [label]);
    });
    for (const article of live.articles) this.entries.set(article.id, { kind: 'live', article, labels: labels.get(article.id) ?? [] });
  }

  async commit(options: { beforeCommit?: () => Promise<void> } = {}): Promise<IndexManifest> {
    this.assertOpen();
    this.done = true;
    const { dimensions } = this.settings.model;
    const articles: Article[] = [];
    const passages: Passage[] = [];
    const passageRows: Float32Array[] = [];
    const sentenceRows: Float32Array[] = [];
    for (const entry of this.entries.values()) {
      if (entry.kind === 'put') {
        const { article, passages: own, passageVectors, sentenceVectors } = entry.stored;
        const offset = sentenceRows.length;
        for (let row = 0; row * dimensions < sentenceVectors.length; row++) sentenceRows.push(sentenceVectors.subarray(row * dimensions, (row + 1) * dimensions));
        own.forEach((p, i) => {
          passages.push({ ...p, sentenceRows: (p.sentenceRows ?? []).map((r) => r + offset) });
          passageRows.push(passageVectors.subarray(i * dimensions, (i + 1) * dimensions));
        });
        articles.push(article);
        continue;
      }
      // Carried over: its passages and vectors as the live build has them, its sentence rows renumbered.
      const live = this.live!;
      const renumbered = new Map<number, number>();
      for (const label of entry.labels) {
        const old = live.passages[label]!;
        const rows = old.sentenceRows!.map((r) => {
          let row = renumbered.get(r);
          if (row === undefined) {
            row = sentenceRows.length;
            renumbered.set(r, row);
            sentenceRows.push(live.sentenceVectors.subarray(r * dimensions, (r + 1) * dimensions));
          }
          return row;
        });
        passages.push({ ...old, sentenceRows: rows });
        passageRows.push(live.vectors.subarray(label * dimensions, (label + 1) * dimensions));
      }
      articles.push(entry.article);
    }
    const written = await writeIndex(this.indexDir, {
      articles,
      passages,
      vectors: concat(passageRows, dimensions),
      sentenceVectors: concat(sentenceRows, dimensions),
      model: this.settings.model,
      passageSettings: this.settings.passageSettings,
      hnsw: this.settings.hnsw,
      sourcesDir: this.settings.sourcesDir,
      beforeCommit: options.beforeCommit,
    });
    return written.manifest;
  }

  async abort(): Promise<void> {
    this.done = true;
    this.entries.clear();
  }
}

function concat(rows: readonly Float32Array[], dimensions: number): Float32Array {
  const table = new Float32Array(rows.length * dimensions);
  rows.forEach((row, i) => table.set(row, i * dimensions));
  return table;
}
