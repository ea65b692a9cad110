// The local passage store, read side: a loaded build (BM25 postings, hnswlib for vectors, the vector tables in memory)
// behind the store interface (passage-store.ts). It holds the loaded graph and lexical index, hence a class. The write
// side for the same files is local-writer.ts.
import path from 'node:path';
import type { Article } from '../corpus/index.js';
import type { Passage } from '../text/index.js';
import { searchLexical } from './lexical.js';
import type { IndexManifest } from './manifest.js';
import { allowedLabels, type PassageFilter } from './passage-filter.js';
import type { ArticleListing, KeywordSearchOptions, PassageHit, PassageStore, WeightedTerm } from './passage-store.js';
import { currentBuildDir, type IndexData } from './store.js';
import type { TermStats } from './term-stats.js';

function dot(table: Float32Array, dims: number, row: number, query: Float32Array): number {
  let s = 0;
  for (let d = 0; d < dims; d++) s += table[row * dims + d]! * query[d]!;
  return s;
}

function listing(article: Article, passages: number): ArticleListing {
  const { text: _text, ...rest } = article;
  return { ...rest, passages };
}

/**
 * A loaded index build as a passage store. Passage `label` is `passages[label]`, row `label` of the vector table and
 * label `label` in the hnswlib graph.
 *
 * @example
 * const store = new LocalPassageStore(await loadIndex('embeddings'));
 * const hits = await store.keywordSearch([{ term: 'junta', weight: 1 }], 10, { fieldBoosts: { text: 1 } });
 * const [passage] = await store.passages([hits[0]!.label]);
 */
export class LocalPassageStore implements PassageStore {
  /** Each article's passage labels in text order. */
  private readonly labelsOf = new Map<string, number[]>();

  constructor(private readonly data: IndexData) {
    data.passages.forEach((p, label) => {
      const labels = this.labelsOf.get(p.articleId);
      if (labels) labels.push(label);
      else this.labelsOf.set(p.articleId, [label]);
    });
  }

  get dimensions(): number {
    return this.data.manifest.model.dimensions;
  }

  get manifest(): IndexManifest {
    return this.data.manifest;
  }

  get termStats(): TermStats {
    return this.data.termStats;
  }

  /**
   * BM25 over the fields given boosts (the others are not searched), top `k` best first. The terms' texts go through
   * the index's analyzer as passage text did; a weight multiplies the score of the analysed term equal to its term
   * (question terms are already analysed, so they map one to one), and any other analysed term counts 1.
   */
  async keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): Promise<PassageHit[]> {
    const { lexical } = this.data;
    if (!lexical || terms.length === 0) return [];
    const allowed = this.allowed(options.filter);
    if (allowed && allowed.size === 0) return [];
    const weights = new Map(terms.map((t) => [t.term, t.weight]));
    const results = searchLexical(lexical, terms.map((t) => t.term).join(' '), {
      fieldBoosts: options.fieldBoosts,
      termBoost: (term) => weights.get(term),
      filter: allowed ? (label) => allowed.has(label) : undefined,
    });
    return results.slice(0, k);
  }

  /** The `k` passages nearest to `vector` in the hnswlib graph (approximate), with their cosine similarity. */
  async vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): Promise<PassageHit[]> {
    const { vectorIndex } = this.data;
    if (!vectorIndex) return [];
    const allowed = this.allowed(filter);
    if (allowed && allowed.size === 0) return [];
    return vectorIndex.search(vector, k, allowed ? (l) => allowed.has(l) : undefined).map((hit) => ({ label: hit.label, score: hit.similarity }));
  }

  async passages(labels: readonly number[]): Promise<Passage[]> {
    return labels.map((label) => {
      const passage = this.data.passages[label];
      if (!passage) throw new RangeError(`no passage ${label} in this index (it has ${this.data.passages.length})`);
      return passage;
    });
  }

  async articlePassages(articleId: string): Promise<Passage[]> {
    return (this.labelsOf.get(articleId) ?? []).map((label) => this.data.passages[label]!);
  }

  async articles(ids: readonly string[]): Promise<Article[]> {
    return ids.map((id) => this.data.articleById.get(id)).filter((a): a is Article => a !== undefined);
  }

  async listArticles(filter?: { outlet?: string }): Promise<ArticleListing[]> {
    const outlet = filter?.outlet?.toLowerCase();
    return this.data.articles
      .filter((a) => !outlet || (a.outlet ?? '').toLowerCase().includes(outlet))
      .map((a) => listing(a, this.labelsOf.get(a.id)?.length ?? 0));
  }

  async articlesByPrefix(prefix: string, limit: number): Promise<ArticleListing[]> {
    const found: ArticleListing[] = [];
    for (const a of this.data.articles) {
      if (found.length >= limit) break;
      if (a.id.startsWith(prefix)) found.push(listing(a, this.labelsOf.get(a.id)?.length ?? 0));
    }
    return found;
  }

  /** Dot products with the stored passage vectors (the cosine: stored vectors are unit length). */
  async passageSimilarities(labels: readonly number[], vector: Float32Array): Promise<number[]> {
    return labels.map((label) => dot(this.data.vectors, this.dimensions, label, vector));
  }

  /** The same for sentence-vector rows (see `Passage.sentenceRows`). */
  async sentenceSimilarities(rows: readonly number[], vector: Float32Array): Promise<number[]> {
    return rows.map((row) => dot(this.data.sentenceVectors, vector.length, row, vector));
  }

  /** Whether `current.json` still names the build this store loaded. */
  async isLive(): Promise<boolean> {
    const live = await currentBuildDir(path.dirname(path.dirname(this.data.dir))).catch(() => null);
    return live !== null && path.resolve(live) === path.resolve(this.data.dir);
  }

  async close(): Promise<void> {}

  private allowed(filter: PassageFilter | undefined): Set<number> | null {
    return allowedLabels(this.data.articles, this.data.passages, filter ?? {});
  }
}
