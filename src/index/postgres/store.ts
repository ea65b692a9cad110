// The PostgreSQL passage store, read side: one generation of the tables (connection.ts has the schema), searched in
// the database — BM25 over the postings table with the local store's exact formula (lexical.ts), vectors by pgvector's
// HNSW index — and looked up by label, article and id. Many bot processes read the same database; each store object
// reads the generation that was live when it opened, until the front end reopens.
import type pg from 'pg';
import type { Article } from '../../corpus/index.js';
import type { Passage } from '../../text/index.js';
import { analyze } from '../analyzer.js';
import { LEXICAL_FIELDS } from '../lexical.js';
import { indexManifestSchema, type IndexManifest } from '../manifest.js';
import type { PassageFilter } from '../passage-filter.js';
import type { ArticleListing, KeywordSearchOptions, PassageHit, PassageStore, WeightedTerm } from '../passage-store.js';
import { IndexLoadError } from '../store.js';
import type { TermStats } from '../term-stats.js';
import { checkSchema, inTransaction, openPool, readSchema, serverOf, withConnectionErrors } from './connection.js';
import {
  ARTICLE_COLUMNS,
  articleOf,
  filterCondition,
  LISTING_COLUMNS,
  listingOf,
  PASSAGE_COLUMNS,
  passageOf,
  vectorText,
  type ArticleRow,
  type PassageRow,
} from './rows.js';

/** The live generation's id, or null when none was ever committed. */
export async function liveGeneration(pool: Pick<pg.Pool, 'query'>): Promise<{ id: number; manifest: IndexManifest; averages: number[] } | null> {
  const { rows } = await pool.query<{ id: string; manifest: unknown; average_lengths: number[] }>(
    `SELECT id, manifest, average_lengths FROM coverage_generations WHERE state = 'live' ORDER BY id DESC LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return null;
  const manifest = indexManifestSchema.safeParse(row.manifest);
  if (!manifest.success) throw new IndexLoadError(`the live generation's record in the database is damaged (${manifest.error.issues[0]?.message})`, 'corrupt');
  return { id: Number(row.id), manifest: manifest.data, averages: row.average_lengths };
}

/**
 * Opens the live generation in the database at `url` for reading. Throws IndexLoadError when the database holds no
 * generation yet, StoreConnectionError (one line) when it cannot be reached or prepared.
 *
 * @example
 * const store = await openPostgresStore('postgres://bot@db.internal/coverage');
 * const hits = await store.vectorSearch(await embedder.embedQuery('Who leads the junta?'), 10);
 */
export async function openPostgresStore(url: string, options: { efSearch?: number } = {}): Promise<PostgresPassageStore> {
  const pool = await openPool(url);
  try {
    return await withConnectionErrors(url, async () => {
      const schema = await readSchema(pool);
      const live = schema ? await liveGeneration(pool) : null;
      if (!schema || !live) throw new IndexLoadError(`the database at ${serverOf(url)} holds no index yet`, 'missing');
      checkSchema(schema, url, null);
      const [terms, words] = await Promise.all([
        pool.query<{ term: string; df: number }>('SELECT term, df FROM coverage_terms WHERE generation = $1', [live.id]),
        pool.query<{ word: string }>('SELECT word FROM coverage_vocabulary WHERE generation = $1 ORDER BY position', [live.id]),
      ]);
      const termStats: TermStats = {
        passages: live.manifest.counts.passages,
        df: new Map(terms.rows.map((r) => [r.term, r.df])),
        vocabulary: words.rows.map((r) => r.word),
      };
      return new PostgresPassageStore(pool, live.id, live.manifest, live.averages, termStats, options.efSearch ?? live.manifest.hnsw.efSearch);
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
}

/** One generation of the database as a passage store. Holds a connection pool, hence a class. */
export class PostgresPassageStore implements PassageStore {
  constructor(
    private readonly pool: pg.Pool,
    /** The generation this store reads. */
    readonly generation: number,
    readonly manifest: IndexManifest,
    /** Per lexical field, the mean number of distinct terms (BM25's average length). */
    private readonly averages: number[],
    readonly termStats: TermStats,
    private readonly efSearch: number,
  ) {}

  get dimensions(): number {
    return this.manifest.model.dimensions;
  }

  /**
   * BM25+ as the local store scores it (k 1.2, b 0.7, d 0.5 per field; the sum times the number of distinct query
   * terms matched; ties in first-matched order), computed by the database over the postings of this generation.
   */
  async keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): Promise<PassageHit[]> {
    if (terms.length === 0) return [];
    const weights = new Map(terms.map((t) => [t.term, t.weight]));
    const queryTerms = analyze(terms.map((t) => t.term).join(' '));
    const fields = LEXICAL_FIELDS.flatMap((field, f) => {
      const boost = options.fieldBoosts[field];
      // A boost of 0 counts as 1, as in the local store (and minisearch before it).
      return boost === undefined ? [] : [{ f, boost: boost || 1 }];
    });
    if (queryTerms.length === 0 || fields.length === 0) return [];
    const filter = filterCondition(options.filter, 9);
    const { rows } = await this.pool.query<{ label: number; score: number }>(
      `WITH q AS (SELECT * FROM unnest($2::text[], $3::float8[], $4::int[]) AS q(term, boost, ord)),
            f AS (SELECT * FROM unnest($5::int[], $6::float8[]) AS f(field, boost)),
            m AS (SELECT term, field, count(*)::float8 AS matching FROM coverage_postings
                  WHERE generation = $1 AND term = ANY($2::text[]) AND field = ANY($5::int[]) GROUP BY term, field),
            hits AS (
              SELECT p.label, q.term, q.ord,
                     q.boost * f.boost * ln(1 + ($7::float8 - m.matching + 0.5) / (m.matching + 0.5)) *
                     (0.5 + (p.tf * 2.2) / (p.tf + 1.2 * (1 - 0.7 + 0.7 * x.field_lengths[p.field + 1] / ($8::float8[])[p.field + 1]))) AS score
              FROM q JOIN coverage_postings p ON p.generation = $1 AND p.term = q.term
                     JOIN f ON f.field = p.field
                     JOIN m ON m.term = p.term AND m.field = p.field
                     JOIN coverage_passages x ON x.generation = $1 AND x.label = p.label
                     JOIN coverage_articles a ON a.generation = $1 AND a.id = x.article_id
              WHERE ${filter.sql})
       SELECT label, sum(score) * count(DISTINCT term) AS score FROM hits
       GROUP BY label ORDER BY score DESC, min(ord), label LIMIT ${Math.max(0, Math.floor(k))}`,
      [
        this.generation,
        queryTerms,
        queryTerms.map((t) => weights.get(t) ?? 1),
        queryTerms.map((_, i) => i),
        fields.map((x) => x.f),
        fields.map((x) => x.boost),
        this.manifest.counts.passages,
        this.averages,
        ...filter.params,
      ],
    );
    return rows.map((r) => ({ label: r.label, score: Number(r.score) }));
  }

  /** The `k` nearest passages by pgvector's HNSW index (searched on until enough pass the filter), cosine scores. */
  async vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): Promise<PassageHit[]> {
    const condition = filterCondition(filter, 4);
    const rows = await inTransaction(this.pool, async (client) => {
      // Iterative scans keep reading the graph until `k` rows pass the generation and the filter (pgvector 0.8).
      await client.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(k, this.efSearch)}`);
      const result = await client.query<{ label: number; distance: number }>(
        `SELECT x.label, x.embedding <=> $2::vector AS distance
         FROM coverage_passages x JOIN coverage_articles a ON a.generation = $1 AND a.id = x.article_id
         WHERE x.generation = $1 AND ${condition.sql}
         ORDER BY x.embedding <=> $2::vector LIMIT $3`,
        [this.generation, vectorText(vector), Math.max(0, Math.floor(k)), ...condition.params],
      );
      return result.rows;
    });
    // relaxed_order may return neighbours slightly out of order.
    return rows.map((r) => ({ label: r.label, score: 1 - Number(r.distance) })).sort((a, b) => b.score - a.score);
  }

  async passages(labels: readonly number[]): Promise<Passage[]> {
    if (labels.length === 0) return [];
    const { rows } = await this.pool.query<PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM coverage_passages WHERE generation = $1 AND label = ANY($2::int[])`,
      [this.generation, [...new Set(labels)]],
    );
    const byLabel = new Map(rows.map((r) => [r.label, passageOf(r)]));
    return labels.map((label) => {
      const passage = byLabel.get(label);
      if (!passage) throw new RangeError(`no passage ${label} in generation ${this.generation}`);
      return passage;
    });
  }

  async articlePassages(articleId: string): Promise<Passage[]> {
    const { rows } = await this.pool.query<PassageRow>(
      `SELECT ${PASSAGE_COLUMNS} FROM coverage_passages WHERE generation = $1 AND article_id = $2 ORDER BY label`,
      [this.generation, articleId],
    );
    return rows.map(passageOf);
  }

  async articles(ids: readonly string[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM coverage_articles WHERE generation = $1 AND id = ANY($2::text[])`,
      [this.generation, [...new Set(ids)]],
    );
    const byId = new Map(rows.map((r) => [r.id, articleOf(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async listArticles(filter?: { outlet?: string }): Promise<ArticleListing[]> {
    const condition = filterCondition({ outlet: filter?.outlet }, 2);
    const { rows } = await this.pool.query<ArticleRow>(
      `SELECT ${LISTING_COLUMNS} FROM coverage_articles a WHERE a.generation = $1 AND ${condition.sql} ORDER BY a.ord`,
      [this.generation, ...condition.params],
    );
    return rows.map(listingOf);
  }

  async articlesByPrefix(prefix: string, limit: number): Promise<ArticleListing[]> {
    const { rows } = await this.pool.query<ArticleRow>(
      `SELECT ${LISTING_COLUMNS} FROM coverage_articles WHERE generation = $1 AND left(id, length($2)) = $2 ORDER BY ord LIMIT $3`,
      [this.generation, prefix, Math.max(0, Math.floor(limit))],
    );
    return rows.map(listingOf);
  }

  async passageSimilarities(labels: readonly number[], vector: Float32Array): Promise<number[]> {
    return this.similarities('coverage_passages', 'label', labels, vector);
  }

  async sentenceSimilarities(rows: readonly number[], vector: Float32Array): Promise<number[]> {
    return this.similarities('coverage_sentences', 'row', rows, vector);
  }

  async isLive(): Promise<boolean> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM coverage_generations WHERE state = 'live' ORDER BY id DESC LIMIT 1`);
    return rows[0] !== undefined && Number(rows[0].id) === this.generation;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Inner products of the stored (unit) vectors with `vector`: their cosines, computed where the vectors are. */
  private async similarities(table: string, key: string, keys: readonly number[], vector: Float32Array): Promise<number[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<{ key: number; similarity: number }>(
      `SELECT ${key} AS key, -(embedding <#> $2::vector) AS similarity FROM ${table} WHERE generation = $1 AND ${key} = ANY($3::int[])`,
      [this.generation, vectorText(vector), [...new Set(keys)]],
    );
    const byKey = new Map(rows.map((r) => [r.key, Number(r.similarity)]));
    return keys.map((k) => byKey.get(k) ?? 0);
  }
}
