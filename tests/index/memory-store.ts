// An in-memory passage store, both sides, for tests: generations are plain arrays, keyword search is term frequency ×
// IDF over the analysed fields and vector search is exact. It shares no code with the local store (minisearch +
// hnswlib) or PostgreSQL, so the contract suite passing on all of them shows the contract, not one implementation.
import type { Article } from '../../src/corpus/index.js';
import {
  allowedLabels,
  analyze,
  idf,
  IndexLockedError,
  passageContext,
  words,
  type ArticleListing,
  type GenerationSettings,
  type GenerationWriter,
  type IndexManifest,
  type KeywordSearchOptions,
  type PassageFilter,
  type PassageHit,
  type PassageStore,
  type PassageStoreWriter,
  type StoredArticle,
  type TermStats,
  type WeightedTerm,
} from '../../src/index/index.js';
import type { Passage } from '../../src/text/index.js';

export interface Generation {
  manifest: IndexManifest;
  articles: Article[];
  passages: Passage[];
  vectors: Float32Array[];
  sentenceVectors: Float32Array[];
  termStats: TermStats;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** A generation of `stored` articles, in order, as the writer commits it. */
export function generationOf(settings: GenerationSettings, stored: StoredArticle[]): Generation {
  const d = settings.model.dimensions;
  const g: Generation = { manifest: null!, articles: [], passages: [], vectors: [], sentenceVectors: [], termStats: null! };
  for (const s of stored) {
    const offset = g.sentenceVectors.length;
    for (let r = 0; r * d < s.sentenceVectors.length; r++) g.sentenceVectors.push(s.sentenceVectors.slice(r * d, (r + 1) * d));
    s.passages.forEach((p, i) => {
      g.passages.push({ ...p, sentenceRows: (p.sentenceRows ?? []).map((r) => r + offset) });
      g.vectors.push(s.passageVectors.slice(i * d, (i + 1) * d));
    });
    g.articles.push(s.article);
  }
  const df = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const p of g.passages) {
    for (const t of new Set(analyze(p.text))) df.set(t, (df.get(t) ?? 0) + 1);
    for (const w of words(p.text)) vocabulary.add(w.toLowerCase());
  }
  g.termStats = { passages: g.passages.length, df, vocabulary: [...vocabulary] };
  g.manifest = {
    schemaVersion: 0,
    builtAt: new Date().toISOString(),
    model: settings.model,
    passages: settings.passageSettings,
    hnsw: settings.hnsw,
    counts: { articles: g.articles.length, passages: g.passages.length, sentences: g.sentenceVectors.length },
    sourcesDir: settings.sourcesDir,
    articles: Object.fromEntries(g.articles.map((a) => [a.id, a.contentHash])),
    files: {},
  };
  return g;
}

/** Reads one generation. */
export class MemoryReader implements PassageStore {
  constructor(
    protected readonly g: Generation,
    /** The store's live generation now (the fake newsroom has only its own). */
    private readonly live: () => Generation | null = () => g,
  ) {}
  async isLive() {
    return this.live() === this.g;
  }
  get dimensions() {
    return this.g.manifest.model.dimensions;
  }
  get manifest() {
    return this.g.manifest;
  }
  get termStats() {
    return this.g.termStats;
  }
  async keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): Promise<PassageHit[]> {
    const weights = new Map<string, number>();
    for (const t of terms) for (const term of analyze(t.term)) weights.set(term, term === t.term ? t.weight : 1);
    const allowed = this.allowed(options.filter);
    const hits: PassageHit[] = [];
    this.g.passages.forEach((p, label) => {
      if (allowed && !allowed.has(label)) return;
      const article = this.g.articles.find((a) => a.id === p.articleId)!;
      const fields = { text: p.text, context: passageContext(article), outlet: article.outlet ?? '' };
      let score = 0;
      for (const [field, boost] of Object.entries(options.fieldBoosts) as Array<[keyof typeof fields, number]>) {
        const counts = new Map<string, number>();
        for (const term of analyze(fields[field])) counts.set(term, (counts.get(term) ?? 0) + 1);
        for (const [term, weight] of weights) {
          const tf = counts.get(term) ?? 0;
          if (tf > 0) score += boost * weight * Math.max(idf(this.g.termStats, term), 0.1) * (tf / (tf + 1));
        }
      }
      if (score > 0) hits.push({ label, score });
    });
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }
  async vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): Promise<PassageHit[]> {
    const allowed = this.allowed(filter);
    return this.g.vectors
      .map((v, label) => ({ label, score: dot(v, vector) }))
      .filter((h) => !allowed || allowed.has(h.label))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }
  async passages(labels: readonly number[]) {
    return labels.map((l) => this.g.passages[l]!);
  }
  async articlePassages(articleId: string) {
    return this.g.passages.filter((p) => p.articleId === articleId);
  }
  async articles(ids: readonly string[]) {
    return ids.flatMap((id) => this.g.articles.filter((a) => a.id === id));
  }
  async listArticles(filter?: { outlet?: string }): Promise<ArticleListing[]> {
    const outlet = filter?.outlet?.toLowerCase();
    return this.g.articles
      .filter((a) => !outlet || (a.outlet ?? '').toLowerCase().includes(outlet))
      .map(({ text: _text, ...a }) => ({ ...a, passages: this.g.passages.filter((p) => p.articleId === a.id).length }));
  }
  async articlesByPrefix(prefix: string, limit: number) {
    return (await this.listArticles()).filter((a) => a.id.startsWith(prefix)).slice(0, limit);
  }
  async passageSimilarities(labels: readonly number[], vector: Float32Array) {
    return labels.map((l) => dot(this.g.vectors[l]!, vector));
  }
  async sentenceSimilarities(rows: readonly number[], vector: Float32Array) {
    return rows.map((r) => dot(this.g.sentenceVectors[r]!, vector));
  }
  async close() {}
  private allowed(filter: PassageFilter | undefined) {
    return allowedLabels(this.g.articles, this.g.passages, filter ?? {});
  }
}

/** Both sides of one in-memory store: `open()` reads the live generation, `writer` writes new ones. */
export class MemoryStore {
  private live: Generation | null = null;
  /** The live generation's articles as they were put, to copy into the next generation. */
  private liveStored: StoredArticle[] = [];

  open(): Promise<PassageStore> {
    if (!this.live) return Promise.reject(new Error('nothing written yet'));
    return Promise.resolve(new MemoryReader(this.live, () => this.live));
  }

  private locked = false;

  readonly writer: PassageStoreWriter = {
    lock: async () => {
      if (this.locked) throw new IndexLockedError('Another ingest is already updating this in-memory store.');
      this.locked = true;
      return Object.assign(async () => void (this.locked = false), { assertHeld: async () => {} });
    },
    liveManifest: async () => this.live?.manifest ?? null,
    begin: async (settings, { from }) => {
      const entries = new Map((from === 'live' ? this.liveStored : []).map((s) => [s.article.id, s]));
      let done = false;
      const open = () => {
        if (done) throw new Error('this generation was already committed or aborted');
      };
      const generation: GenerationWriter = {
        put: async (stored) => (open(), void entries.set(stored.article.id, stored)),
        delete: async (id) => (open(), void entries.delete(id)),
        commit: async (options) => {
          open();
          done = true;
          const next = generationOf(settings, [...entries.values()]);
          await options?.beforeCommit?.();
          this.live = next;
          this.liveStored = [...entries.values()];
          return next.manifest;
        },
        abort: async () => void (done = true),
      };
      return generation;
    },
    close: async () => {},
  };
}
