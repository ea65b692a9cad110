// The passage store: what ingestion writes and what retrieval and answering read, as two sides of one interface. The
// read side finds passages (keyword and vector search, kept apart as in Onyx's HybridCapable and langchainjs's
// similaritySearchVectorWithScore) and looks up what scoring needs by id; the write side adds, replaces and deletes
// articles in a new generation that goes live in one step. No method hands out whole-corpus arrays, so a store on a
// database server (src/index/postgres/) implements it as well as the local files do (src/index/local-store.ts). Every
// implementation passes one contract suite (tests/index/store-contract.ts).
import type { Article } from '../corpus/index.js';
import type { Passage } from '../text/index.js';
import type { IndexLockRelease, LockOptions } from './lock.js';
import type { IndexManifest } from './manifest.js';
import type { PassageFilter } from './passage-filter.js';
import type { TermStats } from './term-stats.js';

/** A search term and how much it counts: 1 for the question's own words, less for expansions. */
export interface WeightedTerm {
  /** Text the store analyses as it analysed passages (a stem, a word, or several words); its terms get `weight`. */
  term: string;
  weight: number;
}

/** A passage found by a search: its label (its number in the live generation) and the store's score for it. */
export interface PassageHit {
  label: number;
  /** BM25 (or the store's keyword rank) for keyword search; cosine similarity for vector search. */
  score: number;
}

/** A field keyword search can read: the passage, its article's headline and opening, the outlet's name. */
export type KeywordField = 'text' | 'context' | 'outlet';

export interface KeywordSearchOptions {
  /** Boost per field; a field left out is not searched. */
  fieldBoosts: Partial<Record<KeywordField, number>>;
  filter?: PassageFilter;
}

/** An article as listed (no text): what `/sources` shows, with how many passages it has. */
export interface ArticleListing extends Omit<Article, 'text'> {
  passages: number;
}

/**
 * The read side. Labels number the live generation's passages from 0; sentence rows (`Passage.sentenceRows`) number its
 * sentence vectors. Both stay valid for as long as the store object is open: a store reads one generation.
 *
 * @example
 * // Hybrid retrieval is two searches and a fusion (this is what `retrieve` does, plus MMR):
 * const filter = { outlet: 'nbc', since: '2023-07-01' };
 * const keyword = await store.keywordSearch([{ term: 'junta', weight: 1 }], 50, { fieldBoosts: { text: 1, context: 0.5 }, filter });
 * const dense = await store.vectorSearch(await embedder.embedQuery('Who leads the junta?'), 50, filter);
 * const [passage] = await store.passages([keyword[0]!.label]);
 * const [article] = await store.articles([passage!.articleId]);
 */
export interface PassageStore {
  /** Width of the passage and sentence vectors (the embedding model's). */
  readonly dimensions: number;
  /** What the generation holds: model, settings, counts, per-article content hashes, when it was built. */
  readonly manifest: IndexManifest;
  /** Passage frequencies of the analysed terms and the vocabulary: the IDF behind expansion filters and evidence. */
  readonly termStats: TermStats;
  /** At most `k` passages the filter allows, best first, by keyword relevance over the boosted fields. */
  keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): Promise<PassageHit[]>;
  /** The `k` passages the filter allows nearest to `vector` (may be approximate), scored by cosine similarity. */
  vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): Promise<PassageHit[]>;
  /** The passages with these labels, in the order asked. */
  passages(labels: readonly number[]): Promise<Passage[]>;
  /** Every passage of an article, in text order (empty for an unknown id). */
  articlePassages(articleId: string): Promise<Passage[]>;
  /** The articles with these ids that exist, with their text, in the order asked. */
  articles(ids: readonly string[]): Promise<Article[]>;
  /** Every article without its text, in generation order; only articles from an outlet containing `outlet` if given. */
  listArticles(filter?: { outlet?: string }): Promise<ArticleListing[]>;
  /** The articles whose id starts with `prefix` (at most `limit`). */
  articlesByPrefix(prefix: string, limit: number): Promise<ArticleListing[]>;
  /** Cosine similarity of each passage's stored vector to `vector`, in the order asked. */
  passageSimilarities(labels: readonly number[], vector: Float32Array): Promise<number[]>;
  /** Cosine similarity of each sentence row's stored vector to `vector`, in the order asked. */
  sentenceSimilarities(rows: readonly number[], vector: Float32Array): Promise<number[]>;
  /** False once another generation has gone live since this store opened (reopen to read it). */
  isLive(): Promise<boolean>;
  /** Releases what the store holds (connections); the object is not used afterwards. */
  close(): Promise<void>;
}

/**
 * One article as stored: its passages and their vectors. `sentenceRows` in these passages number rows of this
 * article's own `sentenceVectors` (from 0); a store renumbers them into its generation.
 */
export interface StoredArticle {
  article: Article;
  passages: Passage[];
  /** Row-major, one row per passage. */
  passageVectors: Float32Array;
  /** Row-major, one row per distinct sentence of the article. */
  sentenceVectors: Float32Array;
}

/** What a new generation records about itself (the store adds counts and content hashes). */
export interface GenerationSettings {
  model: { id: string; requested: string; dimensions: number };
  passageSettings: IndexManifest['passages'];
  hnsw: IndexManifest['hnsw'];
  /** The sources folder the articles were read from (absolute). */
  sourcesDir: string;
}

/**
 * A generation being written. It starts as a copy of the live generation (or empty): `put` adds an article or
 * replaces the one with its id, `delete` removes one, and `commit` makes the whole of it live at once. Until then
 * readers see the previous generation; `abort` (or a failed commit) leaves no trace of it.
 */
export interface GenerationWriter {
  /** Adds the article, or replaces the one with the same id (keeping its place in the generation's order). */
  put(stored: StoredArticle): Promise<void>;
  /** Removes the article with this id (nothing if there is none). */
  delete(articleId: string): Promise<void>;
  /**
   * Writes what is left to write, runs `beforeCommit` (a throw abandons the generation: the ingest lock was lost), then
   * switches readers to the new generation in one step and removes the old one. Returns its manifest.
   */
  commit(options?: { beforeCommit?: () => Promise<void> }): Promise<IndexManifest>;
  /** Drops the unfinished generation. */
  abort(): Promise<void>;
}

/**
 * The write side.
 *
 * @example
 * const release = await writer.lock({ waitMs: 0 });
 * const generation = await writer.begin(settings, { from: 'live' });
 * await generation.put({ article, passages, passageVectors, sentenceVectors });
 * await generation.delete(removedId);
 * const manifest = await generation.commit({ beforeCommit: () => lock.assertHeld() });
 */
export interface PassageStoreWriter {
  /**
   * Takes the store's ingest lock (one writer at a time, across processes and machines); the returned function releases
   * it, and its `assertHeld()` throws IndexLockLostError once it is not this writer's any more.
   */
  lock(options: LockOptions): Promise<IndexLockRelease>;
  /** The live generation's manifest, or null when there is none (a damaged one throws IndexLoadError). */
  liveManifest(): Promise<IndexManifest | null>;
  /** Starts a generation: a copy of the live one (`from: 'live'`) or empty (`from: 'empty'`, a full rebuild). */
  begin(settings: GenerationSettings, options: { from: 'live' | 'empty' }): Promise<GenerationWriter>;
  /** Releases what the writer holds. */
  close(): Promise<void>;
}
