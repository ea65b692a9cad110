// The PostgreSQL passage store, write side. A generation is written beside the live one (state 'writing': readers never
// look at it) — articles carried over are copied inside the database, put ones inserted in batches with their BM25
// postings — and made live by one short transaction that flips the states. The generation it replaced stays readable
// until the next commit, so processes that have not reopened yet keep answering; older ones are deleted.
import type pg from 'pg';
import type { Article } from '../../corpus/index.js';
import { slicedPause } from '../../event-loop.js';
import { analyze, words } from '../analyzer.js';
import { LEXICAL_FIELDS } from '../lexical.js';
import type { LockOptions } from '../lock.js';
import { INDEX_SCHEMA_VERSION, type IndexManifest } from '../manifest.js';
import type { GenerationSettings, GenerationWriter, PassageStoreWriter, StoredArticle } from '../passage-store.js';
import { passageContext } from '../store.js';
import { ensureSchema, inTransaction, openPool, readSchema, withConnectionErrors } from './connection.js';
import { StagedGeneration } from '../staged-generation.js';
import { lockDatabase } from './lock.js';
import { vectorText } from './rows.js';
import { liveGeneration } from './store.js';

/** Tables holding a generation's rows. */
const GENERATION_TABLES = ['coverage_articles', 'coverage_passages', 'coverage_sentences', 'coverage_postings', 'coverage_terms', 'coverage_vocabulary'];
/** Articles inserted per round trip. */
const BATCH_ARTICLES = 50;

/** The write side of the store in the database at `url`. Holds a connection pool, hence a class. */
export class PostgresStoreWriter implements PassageStoreWriter {
  /** Opened when the writer is made, awaited by each call (the driver loads on first use: connection.ts). */
  private readonly pool: Promise<pg.Pool>;

  constructor(private readonly url: string) {
    this.pool = openPool(url);
  }

  liveManifest(): Promise<IndexManifest | null> {
    return withConnectionErrors(this.url, async () => {
      const pool = await this.pool;
      return (await readSchema(pool)) ? ((await liveGeneration(pool))?.manifest ?? null) : null;
    });
  }

  lock(options: LockOptions) {
    return withConnectionErrors(this.url, async () => lockDatabase(await this.pool, this.url, options));
  }

  begin(settings: GenerationSettings, options: { from: 'live' | 'empty' }): Promise<GenerationWriter> {
    return withConnectionErrors(this.url, async () => {
      const pool = await this.pool;
      await ensureSchema(pool, this.url, settings.model.dimensions);
      const live = options.from === 'live' ? await liveGeneration(pool) : null;
      const carried = live
        ? (
            await pool.query<{ id: string; content_hash: string }>(
              'SELECT id, content_hash FROM coverage_articles WHERE generation = $1 ORDER BY ord',
              [live.id],
            )
          ).rows
        : [];
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO coverage_generations (state) VALUES ('writing') RETURNING id`);
      return new PostgresGeneration(pool, this.url, Number(rows[0]!.id), settings, live?.id ?? null, carried);
    });
  }

  async close(): Promise<void> {
    await (await this.pool).end();
  }
}

/** A carried-over article: its content hash (its rows are copied inside the database). */
class PostgresGeneration extends StagedGeneration<{ hash: string }> implements GenerationWriter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly id: number,
    settings: GenerationSettings,
    private readonly live: number | null,
    carried: Array<{ id: string; content_hash: string }>,
  ) {
    super(settings);
    for (const a of carried) this.entries.set(a.id, { kind: 'live', hash: a.content_hash });
  }

  async commit(options: { beforeCommit?: () => Promise<void> } = {}): Promise<IndexManifest> {
    this.assertOpen();
    this.done = true;
    try {
      return await withConnectionErrors(this.url, () => this.write(options));
    } catch (error) {
      await this.discard().catch(() => {});
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.discard();
  }

  private async write(options: { beforeCommit?: () => Promise<void> }): Promise<IndexManifest> {
    const { dimensions } = this.settings.model;
    // Places in the new generation: articles in order, their passages' labels and sentence rows contiguous.
    const carried: Array<{ id: string; ord: number; label: number; row: number }> = [];
    const put: Array<{ stored: StoredArticle; ord: number; label: number; row: number }> = [];
    const counts = this.live === null ? new Map<string, { passages: number; rows: number }>() : await this.liveCounts();
    let label = 0;
    let row = 0;
    let ord = 0;
    for (const [id, entry] of this.entries) {
      if (entry.kind === 'live') {
        const size = counts.get(id) ?? { passages: 0, rows: 0 };
        carried.push({ id, ord: ord++, label, row });
        label += size.passages;
        row += size.rows;
      } else {
        put.push({ stored: entry.stored, ord: ord++, label, row });
        label += entry.stored.passages.length;
        row += entry.stored.sentenceVectors.length / dimensions;
      }
    }
    if (carried.length > 0) await this.copyCarried(carried);
    const pause = slicedPause();
    for (let i = 0; i < put.length; i += BATCH_ARTICLES) {
      await pause();
      await this.insert(put.slice(i, i + BATCH_ARTICLES));
    }
    const g = this.id;
    await this.pool.query(
      `INSERT INTO coverage_terms (generation, term, df) SELECT $1, term, count(*) FROM coverage_postings WHERE generation = $1 AND field = 0 GROUP BY term`,
      [g],
    );
    await this.pool.query(
      `INSERT INTO coverage_vocabulary (generation, position, word)
       SELECT $1, (row_number() OVER (ORDER BY first)) - 1, word FROM (
         SELECT w.word, min(a.ord::bigint * 1000000 + w.i) AS first
         FROM coverage_articles a, unnest(a.words) WITH ORDINALITY AS w(word, i) WHERE a.generation = $1 GROUP BY w.word) v`,
      [g],
    );
    const averages = (
      await this.pool.query<{ a: number[] }>(
        `SELECT ARRAY[coalesce(avg(field_lengths[1]), 0), coalesce(avg(field_lengths[2]), 0), coalesce(avg(field_lengths[3]), 0)]::float8[] AS a
         FROM coverage_passages WHERE generation = $1`,
        [g],
      )
    ).rows[0]!.a;
    const hashes: Record<string, string> = {};
    for (const [id, entry] of this.entries) hashes[id] = entry.kind === 'live' ? entry.hash : entry.stored.article.contentHash;
    const manifest: IndexManifest = {
      schemaVersion: INDEX_SCHEMA_VERSION,
      builtAt: new Date().toISOString(),
      model: this.settings.model,
      passages: this.settings.passageSettings,
      hnsw: this.settings.hnsw,
      counts: { articles: this.entries.size, passages: label, sentences: row },
      sourcesDir: this.settings.sourcesDir,
      articles: hashes,
      files: {},
    };
    await options.beforeCommit?.();
    await inTransaction(this.pool, async (client) => {
      await client.query(`UPDATE coverage_generations SET state = 'retired' WHERE state = 'live'`);
      await client.query(`UPDATE coverage_generations SET state = 'live', manifest = $2, average_lengths = $3 WHERE id = $1`, [g, manifest, averages]);
    });
    await this.removeOld().catch(() => {
      // Old rows only take room; the next commit removes them.
    });
    return manifest;
  }

  /** Passages and sentence rows of each live article. */
  private async liveCounts(): Promise<Map<string, { passages: number; rows: number }>> {
    const { rows } = await this.pool.query<{ id: string; passage_count: number; row_count: number }>(
      'SELECT id, passage_count, row_count FROM coverage_articles WHERE generation = $1',
      [this.live],
    );
    return new Map(rows.map((r) => [r.id, { passages: r.passage_count, rows: r.row_count }]));
  }

  /** Copies carried-over articles from the live generation into this one, renumbering labels and rows, in the database. */
  private async copyCarried(carried: Array<{ id: string; ord: number; label: number; row: number }>): Promise<void> {
    const mapping = `unnest($3::text[], $4::int[], $5::int[], $6::int[]) AS m(id, ord, label, row)`;
    const params = [this.id, this.live, carried.map((c) => c.id), carried.map((c) => c.ord), carried.map((c) => c.label), carried.map((c) => c.row)];
    await this.pool.query(
      `INSERT INTO coverage_articles
       SELECT $1, m.ord, a.id, a.title, a.outlet, a.published, a.byline, a.dateline, a.url, a.file, a.content_hash, a.body,
              m.label, a.passage_count, m.row, a.row_count, a.words
       FROM ${mapping} JOIN coverage_articles a ON a.generation = $2 AND a.id = m.id`,
      params,
    );
    await this.pool.query(
      `INSERT INTO coverage_passages
       SELECT $1, p.label - a.first_label + m.label, p.article_id, p.ordinal, p.start_offset, p.end_offset, p.body, p.spans,
              ARRAY(SELECT r - a.first_row + m.row FROM unnest(p.sentence_rows) WITH ORDINALITY AS s(r, i) ORDER BY s.i),
              p.sentence_tags, p.field_lengths, p.embedding
       FROM ${mapping} JOIN coverage_articles a ON a.generation = $2 AND a.id = m.id
            JOIN coverage_passages p ON p.generation = $2 AND p.article_id = a.id`,
      params,
    );
    await this.pool.query(
      `INSERT INTO coverage_sentences
       SELECT $1, s.row - a.first_row + m.row, s.article_id, s.embedding
       FROM ${mapping} JOIN coverage_articles a ON a.generation = $2 AND a.id = m.id
            JOIN coverage_sentences s ON s.generation = $2 AND s.article_id = a.id`,
      params,
    );
    await this.pool.query(
      `INSERT INTO coverage_postings
       SELECT $1, o.term, o.field, o.label - a.first_label + m.label, o.tf
       FROM ${mapping} JOIN coverage_articles a ON a.generation = $2 AND a.id = m.id
            JOIN coverage_passages p ON p.generation = $2 AND p.article_id = a.id
            JOIN coverage_postings o ON o.generation = $2 AND o.label = p.label`,
      params,
    );
  }

  /** Inserts put articles with their passages, sentence vectors and BM25 postings. */
  private async insert(batch: Array<{ stored: StoredArticle; ord: number; label: number; row: number }>): Promise<void> {
    const { dimensions } = this.settings.model;
    const articles: unknown[][] = Array.from({ length: 16 }, () => []);
    const passages: unknown[][] = Array.from({ length: 11 }, () => []);
    const sentences: unknown[][] = [[], [], []];
    const postings: unknown[][] = [[], [], [], []];
    for (const { stored, ord, label, row } of batch) {
      const { article } = stored;
      const rowCount = stored.sentenceVectors.length / dimensions;
      const vocabulary = new Set<string>();
      for (const p of stored.passages) for (const w of words(p.text)) vocabulary.add(w.toLowerCase());
      const values = [
        ...[ord, article.id, article.title, article.outlet, article.published, article.byline, article.dateline, article.url, article.file],
        ...[article.contentHash, article.text, label, stored.passages.length, row, rowCount, `{${[...vocabulary].map(quoteArrayItem).join(',')}}`],
      ];
      values.forEach((v, i) => articles[i]!.push(v));
      stored.passages.forEach((p, i) => {
        const fields = fieldsOf(article, p.text);
        const lengths = fields.map((terms) => terms.size);
        const passageValues = [
          ...[label + i, p.articleId, p.ordinal, p.start, p.end, p.text],
          `{${p.sentences.flatMap((s) => [s.start, s.end]).join(',')}}`,
          `{${(p.sentenceRows ?? []).map((r) => r + row).join(',')}}`,
          JSON.stringify(p.sentenceTags ?? p.sentences.map(() => [])),
          `{${lengths.join(',')}}`,
          vectorText(stored.passageVectors.subarray(i * dimensions, (i + 1) * dimensions)),
        ];
        passageValues.forEach((v, j) => passages[j]!.push(v));
        fields.forEach((terms, field) => {
          for (const [term, tf] of terms) {
            postings[0]!.push(term);
            postings[1]!.push(field);
            postings[2]!.push(label + i);
            postings[3]!.push(tf);
          }
        });
      });
      for (let r = 0; r < rowCount; r++) {
        sentences[0]!.push(row + r);
        sentences[1]!.push(article.id);
        sentences[2]!.push(vectorText(stored.sentenceVectors.subarray(r * dimensions, (r + 1) * dimensions)));
      }
    }
    await this.pool.query(
      `INSERT INTO coverage_articles
       SELECT $1, ord, id, title, outlet, published, byline, dateline, url, file, content_hash, body, first_label, passage_count, first_row,
              row_count, words::text[]
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                   $12::text[], $13::int[], $14::int[], $15::int[], $16::int[], $17::text[])
         AS t(ord, id, title, outlet, published, byline, dateline, url, file, content_hash, body, first_label, passage_count, first_row,
              row_count, words)`,
      [this.id, ...articles],
    );
    await this.pool.query(
      `INSERT INTO coverage_passages SELECT $1, label, article_id, ordinal, start_offset, end_offset, body, spans::int[], sentence_rows::int[],
         sentence_tags::jsonb, field_lengths::int[], embedding::vector
       FROM unnest($2::int[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS t(label, article_id, ordinal, start_offset, end_offset, body, spans, sentence_rows, sentence_tags, field_lengths, embedding)`,
      [this.id, ...passages],
    );
    await this.pool.query(
      `INSERT INTO coverage_sentences SELECT $1, row, article_id, embedding::vector FROM unnest($2::int[], $3::text[], $4::text[]) AS t(row, article_id, embedding)`,
      [this.id, ...sentences],
    );
    await this.pool.query(
      `INSERT INTO coverage_postings SELECT $1, term, field, label, tf FROM unnest($2::text[], $3::int2[], $4::int[], $5::int[]) AS t(term, field, label, tf)`,
      [this.id, ...postings],
    );
  }

  /** Deletes generations older than the one this commit retired, and unfinished ones of writers that died. */
  private async removeOld(): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM coverage_generations WHERE id <> $1 AND id NOT IN (SELECT id FROM coverage_generations WHERE state = 'retired' ORDER BY id DESC LIMIT 1)`,
      [this.id],
    );
    for (const { id } of rows) await this.dropGeneration(Number(id));
  }

  private async discard(): Promise<void> {
    await this.dropGeneration(this.id);
  }

  private async dropGeneration(id: number): Promise<void> {
    for (const table of GENERATION_TABLES) await this.pool.query(`DELETE FROM ${table} WHERE generation = $1`, [id]);
    await this.pool.query('DELETE FROM coverage_generations WHERE id = $1', [id]);
  }
}

/** The analysed terms of a passage's three lexical fields with their counts, as the local BM25 index counts them. */
function fieldsOf(article: Article, text: string): Array<Map<string, number>> {
  const documents = { text, context: passageContext(article), outlet: article.outlet ?? '' };
  return LEXICAL_FIELDS.map((field) => {
    const counts = new Map<string, number>();
    for (const term of analyze(documents[field])) counts.set(term, (counts.get(term) ?? 0) + 1);
    return counts;
  });
}

/** An element of a PostgreSQL array literal, quoted. */
function quoteArrayItem(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
