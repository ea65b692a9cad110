// Which passage store a process reads and writes: chosen from the configuration (`STORE`), so every front end and
// ingest open the same kind of store the same way. `local` (the default) is the index folder on this machine.
import { LocalPassageStore } from './local-store.js';
import type { PassageStore } from './passage-store.js';
import { loadIndex } from './store.js';

/** Where the store is: the index folder (the local store's files; every store keeps its resumable vector cache there). */
export interface StoreLocation {
  indexDir: string;
  /** hnswlib's search breadth (local store). */
  efSearch?: number;
  /** False to open for lookups and listings only (the local store then skips loading its search structures). */
  search?: boolean;
}

/**
 * Opens the live generation of the configured store for reading. Throws IndexLoadError (saying how to build or
 * rebuild it) when there is none or it is damaged.
 *
 * @example
 * const store = await openPassageStore({ indexDir: 'embeddings' });
 * const hits = await store.keywordSearch([{ term: 'junta', weight: 1 }], 5, { fieldBoosts: { text: 1 } });
 */
export async function openPassageStore(location: StoreLocation): Promise<PassageStore> {
  return new LocalPassageStore(await loadIndex(location.indexDir, { efSearch: location.efSearch, withSearch: location.search ?? true }));
}
