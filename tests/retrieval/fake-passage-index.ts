// An in-memory PassageIndex for retrieval tests: a handful of hand-written articles, a term-frequency × IDF keyword
// search and exact vector search over small hand-made vectors. It shares no code with the local index (minisearch +
// hnswlib), so retrieval tests running on it show that retrieval depends on the interface alone.
import type { Article } from '../../src/corpus/index.js';
import { analyze, idf, words, type TermStats } from '../../src/index/index.js';
import type { KeywordSearchOptions, PassageFilter, PassageHit, PassageIndex, WeightedTerm } from '../../src/retrieval/index.js';
import type { Passage } from '../../src/text/index.js';

/** One article of the fake store: its metadata and its paragraphs, each a passage with its own (unnormalised) vector. */
export interface FakeArticle {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  paragraphs: Array<{ text: string; vector: number[] }>;
}

const unit = (v: number[]): Float32Array => {
  const norm = Math.hypot(...v) || 1;
  return Float32Array.from(v, (x) => x / norm);
};

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

export class FakePassageIndex implements PassageIndex {
  readonly articles: Article[] = [];
  readonly passages: Passage[] = [];
  readonly termStats: TermStats;
  readonly dimensions: number;
  /** Every search, in order: lets a test see what retrieval asked the store. */
  readonly calls: Array<{ kind: 'keyword' | 'vector'; k: number; filter?: PassageFilter }> = [];
  private readonly vectors: Float32Array[] = [];
  private readonly byId = new Map<string, Article>();

  constructor(articles: FakeArticle[]) {
    this.dimensions = articles[0]?.paragraphs[0]?.vector.length ?? 0;
    for (const a of articles) {
      const text = a.paragraphs.map((p) => p.text).join('\n\n');
      const article: Article = {
        id: a.id,
        title: a.title,
        outlet: a.outlet,
        published: a.published,
        byline: null,
        dateline: null,
        url: null,
        file: `${a.id}.txt`,
        contentHash: a.id,
        text,
      };
      this.articles.push(article);
      this.byId.set(a.id, article);
      let start = 0;
      a.paragraphs.forEach((p, ordinal) => {
        const end = start + p.text.length;
        this.passages.push({ id: `${a.id}#${ordinal}`, articleId: a.id, ordinal, start, end, text: p.text, sentences: [{ start, end }] });
        this.vectors.push(unit(p.vector));
        start = end + 2;
      });
    }
    const df = new Map<string, number>();
    const vocabulary = new Set<string>();
    for (const p of this.passages) {
      for (const t of new Set(analyze(p.text))) df.set(t, (df.get(t) ?? 0) + 1);
      for (const w of words(p.text)) vocabulary.add(w.toLowerCase());
    }
    this.termStats = { passages: this.passages.length, df, vocabulary: [...vocabulary] };
  }

  article(id: string): Article | undefined {
    return this.byId.get(id);
  }

  keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): PassageHit[] {
    this.calls.push({ kind: 'keyword', k, filter: options.filter });
    const weights = new Map<string, number>();
    for (const t of terms) for (const term of analyze(t.term)) weights.set(term, term === t.term ? t.weight : 1);
    const hits: PassageHit[] = [];
    this.passages.forEach((p, label) => {
      if (!this.allows(p, options.filter)) return;
      const article = this.byId.get(p.articleId)!;
      const fields = { text: p.text, context: article.title, outlet: article.outlet ?? '' };
      let score = 0;
      for (const [field, boost] of Object.entries(options.fieldBoosts) as Array<[keyof typeof fields, number]>) {
        const counts = new Map<string, number>();
        for (const term of analyze(fields[field])) counts.set(term, (counts.get(term) ?? 0) + 1);
        for (const [term, weight] of weights) {
          const tf = counts.get(term) ?? 0;
          if (tf > 0) score += boost * weight * idf(this.termStats, term) * (tf / (tf + 1));
        }
      }
      if (score > 0) hits.push({ label, score });
    });
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }

  vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): PassageHit[] {
    this.calls.push({ kind: 'vector', k, filter });
    return this.passages
      .map((p, label) => ({ label, score: cosine(this.vectors[label]!, vector), allowed: this.allows(p, filter) }))
      .filter((h) => h.allowed)
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map(({ label, score }) => ({ label, score }));
  }

  passageSimilarity(label: number, vector: Float32Array): number {
    return cosine(this.vectors[label]!, vector);
  }

  /** Each passage is one sentence here, so sentence row i is passage i. */
  sentenceSimilarity(row: number, vector: Float32Array): number {
    return cosine(this.vectors[row]!, vector);
  }

  private allows(p: Passage, filter: PassageFilter = {}): boolean {
    const a = this.byId.get(p.articleId)!;
    if (filter.excludeArticles?.includes(a.id)) return false;
    if (filter.outlet && !(a.outlet ?? '').toLowerCase().includes(filter.outlet.toLowerCase())) return false;
    const day = a.published?.slice(0, 10);
    if (filter.since && !(day && day >= filter.since)) return false;
    if (filter.until && !(day && day <= filter.until)) return false;
    return true;
  }
}

/** Unit vector of a question for the fake store's 3-dimensional space: [coup, economy, sport]. */
export const queryVector = (v: [number, number, number]): Float32Array => unit(v);

/**
 * A small fake newsroom: two outlets reporting Niger's coup (one undated, the other with a near-copy paragraph of its
 * own and one shared with the first), an economy story and a football report. Written for these tests.
 */
export function fakeNewsroom(): FakePassageIndex {
  return new FakePassageIndex([
    {
      id: 'nbc-coup',
      title: 'Niger army backs coup',
      outlet: 'NBC News',
      published: null,
      paragraphs: [
        { text: 'Soldiers detained President Mohamed Bazoum in the capital Niamey on Wednesday.', vector: [1, 0, 0] },
        { text: 'General Abdou Sidikou Issa said the army would back the coup leaders.', vector: [0.9, 0.1, 0] },
        { text: 'The United States has about 1,100 troops in Niger.', vector: [0.6, 0.3, 0] },
      ],
    },
    {
      id: 'afp-coup',
      title: 'Niger armed forces chief backs coup bid',
      outlet: 'AFP',
      published: '2023-07-27',
      paragraphs: [
        { text: 'Soldiers detained President Mohamed Bazoum in the capital Niamey on Wednesday.', vector: [1, 0, 0.05] },
        { text: 'Soldiers detained President Mohamed Bazoum in the capital Niamey on Wednesday night.', vector: [1, 0.02, 0.05] },
        { text: 'Foreign Minister Hassoumi Massoudou called the president legitimate and urged dialogue.', vector: [0.8, 0.2, 0] },
      ],
    },
    {
      id: 'afp-economy',
      title: 'Uranium prices climb',
      outlet: 'AFP',
      published: '2023-08-02',
      paragraphs: [{ text: 'Uranium prices rose as traders weighed supplies from Niger after the coup.', vector: [0.3, 1, 0] }],
    },
    {
      id: 'bbc-football',
      title: 'Cup final',
      outlet: 'BBC',
      published: '2023-05-20',
      paragraphs: [{ text: 'The striker scored twice in the cup final at Wembley.', vector: [0, 0, 1] }],
    },
  ]);
}
