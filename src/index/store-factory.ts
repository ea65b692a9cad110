// Which passage store a process reads and writes: chosen from the configuration (`STORE`), so every front end and
// ingest open the same kind of store the same way. `local` (the default) is the index folder on this machine;
// `postgres` is the database at DATABASE_URL, which many bot processes and machines share.
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import { LocalPassageStore } from './local-store.js';
import { LocalStoreWriter } from './local-writer.js';
import type { PassageStore, PassageStoreWriter } from './passage-store.js';
import { openPostgresStore } from './postgres/store.js';
import { PostgresStoreWriter } from './postgres/writer.js';
import type { IndexManifest } from './manifest.js';
import { loadIndex, readManifest } from './store.js';

/** The kinds of store there are (`STORE`). */
export const STORE_KINDS = ['local', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Where the store is. Every store keeps its resumable vector cache in the index folder. */
export interface StoreLocation {
  indexDir: string;
  /** `local` unless given. */
  store?: StoreKind;
  /** The PostgreSQL connection URL (`STORE=postgres`). */
  databaseUrl?: string;
  /** hnswlib's (or pgvector's) search breadth. */
  efSearch?: number;
  /** False to open for lookups and listings only (the local store then skips loading its search structures). */
  search?: boolean;
}

function databaseUrlOf(location: StoreLocation): string {
  if (!location.databaseUrl) throw new UserError('STORE=postgres needs DATABASE_URL (postgres://user:password@host:5432/database).');
  return location.databaseUrl;
}

/**
 * Opens the live generation of the configured store for reading. Throws IndexLoadError (saying how to build or
 * rebuild it) when there is none or it is damaged, and a one-line error when a database cannot be reached.
 *
 * @example
 * const store = await openPassageStore({ indexDir: 'embeddings' });
 * const hits = await store.keywordSearch([{ term: 'junta', weight: 1 }], 5, { fieldBoosts: { text: 1 } });
 */
export async function openPassageStore(location: StoreLocation): Promise<PassageStore> {
  if (location.store === 'postgres') return openPostgresStore(databaseUrlOf(location), { efSearch: location.efSearch });
  return new LocalPassageStore(await loadIndex(location.indexDir, { efSearch: location.efSearch, withSearch: location.search ?? true }));
}

/** The write side of the configured store; `close()` it when done. */
export function openStoreWriter(location: StoreLocation): PassageStoreWriter {
  return location.store === 'postgres' ? new PostgresStoreWriter(databaseUrlOf(location)) : new LocalStoreWriter(location.indexDir);
}

/** The store the configuration names. */
export function storeLocationFromConfig(config: Config): StoreLocation {
  return {
    indexDir: config.INDEX_DIR,
    store: config.STORE,
    databaseUrl: config.STORE === 'postgres' ? config.DATABASE_URL : undefined,
    efSearch: config.HNSW_EF_SEARCH,
  };
}

/** The live generation's manifest (what it holds and the sources folder it was built from), or null when there is none. */
export async function liveManifestOf(location: StoreLocation): Promise<IndexManifest | null> {
  if (location.store !== 'postgres') return readManifest(location.indexDir);
  const writer = openStoreWriter(location);
  try {
    return await writer.liveManifest();
  } finally {
    await writer.close();
  }
}
