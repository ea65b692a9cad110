// A small fake newsroom for retrieval tests: hand-written articles, one passage per paragraph with a hand-made vector,
// held by the in-memory test store (tests/index/memory-store.ts: term frequency × IDF keyword search, exact vector
// search). It shares no code with the local store (minisearch + hnswlib), so retrieval tests running on it show that
// retrieval depends on the store interface alone. It records the searches retrieval asks of it.
import type { Article } from '../../src/corpus/index.js';
import type { KeywordSearchOptions, PassageFilter, PassageHit, StoredArticle, WeightedTerm } from '../../src/index/index.js';
import { generationOf, MemoryReader } from '../index/memory-store.js';

/** One article of the fake store: its metadata and its paragraphs, each a passage with its own (unnormalised) vector. */
export interface FakeArticle {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  paragraphs: Array<{ text: string; vector: number[] }>;
}

const unit = (v: number[]): number[] => {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
};

/** A fake article as stored: each paragraph one passage of one sentence, its vector the passage's and the sentence's. */
function stored(a: FakeArticle): StoredArticle {
  const text = a.paragraphs.map((p) => p.text).join('\n\n');
  const article: Article = { id: a.id, title: a.title, outlet: a.outlet, published: a.published, byline: null, dateline: null, url: null, file: `${a.id}.txt`, contentHash: a.id, text };
  let start = 0;
  const passages = a.paragraphs.map((p, ordinal) => {
    const end = start + p.text.length;
    const passage = { id: `${a.id}#${ordinal}`, articleId: a.id, ordinal, start, end, text: p.text, sentences: [{ start, end }], sentenceRows: [ordinal] };
    start = end + 2;
    return passage;
  });
  const vectors = Float32Array.from(a.paragraphs.flatMap((p) => unit(p.vector)));
  return { article, passages, passageVectors: vectors, sentenceVectors: vectors };
}

export class FakePassageIndex extends MemoryReader {
  /** Every search, in order: lets a test see what retrieval asked the store. */
  readonly calls: Array<{ kind: 'keyword' | 'vector'; k: number; filter?: PassageFilter }> = [];

  constructor(articles: FakeArticle[]) {
    const dimensions = articles[0]?.paragraphs[0]?.vector.length ?? 0;
    super(
      generationOf(
        {
          model: { id: 'fake', requested: 'fake', dimensions },
          passageSettings: { maxTokens: 200, overlapSentences: 0, vectors: 'model' },
          hnsw: { m: 16, efConstruction: 200, efSearch: 50 },
          sourcesDir: '/nonexistent/fake-sources',
        },
        articles.map(stored),
      ),
    );
  }

  override keywordSearch(terms: readonly WeightedTerm[], k: number, options: KeywordSearchOptions): Promise<PassageHit[]> {
    this.calls.push({ kind: 'keyword', k, filter: options.filter });
    return super.keywordSearch(terms, k, options);
  }

  override vectorSearch(vector: Float32Array, k: number, filter?: PassageFilter): Promise<PassageHit[]> {
    this.calls.push({ kind: 'vector', k, filter });
    return super.vectorSearch(vector, k, filter);
  }

  /** The cosine of passage `label`'s stored vector to `vector`, at once (for assertions). */
  passageSimilarity(label: number, vector: Float32Array): number {
    return this.g.vectors[label]!.reduce((s, x, i) => s + x * vector[i]!, 0);
  }
}

/** Unit vector of a question for the fake store's 3-dimensional space: [coup, economy, sport]. */
export const queryVector = (v: [number, number, number]): Float32Array => Float32Array.from(unit(v));
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
