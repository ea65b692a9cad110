// Opens a built index as a `Coverage`: the model, the index and the source files behind one object that answers questions
// and looks sources up. Every front end (CLI, chat console, Discord) holds one of these.
import type { Config } from '../config.js';
import type { Span } from '../text/types.js';
import { readSourceText } from '../corpus/index.js';
import type { Article } from '../corpus/types.js';
import { Embedder, loadWordVectors, type WordVectors } from '../embedding/index.js';
import { loadIndex, readManifest, type IndexData } from '../index/store.js';
import { indexNeighbours } from '../retrieval/neighbours.js';
import { DEFAULT_EXPANSION, type ExpansionSettings, type WordNeighbours } from '../retrieval/query.js';
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from '../retrieval/search.js';
import { findAnswer, citationOf, type AnswerContext } from './answer.js';
import { loadCalibration, type Calibration } from './confidence.js';
import type { Answer, AnswerOptions, Coverage, IndexStatus, SourceDetail, SourceSummary } from './types.js';

export interface CoverageOptions {
  indexDir: string;
  sourcesDir: string;
  modelsDir: string;
  /** The configured model; the index's own model is what is loaded, this only decides whether remote loading is allowed. */
  allowRemoteModels: boolean;
  efSearch?: number;
  /** A model already loaded for this index (the bot keeps one across refreshes). */
  embedder?: Embedder;
  /** Word vectors already loaded (the bot keeps them across refreshes: 60 MB read once). */
  wordVectors?: WordVectors | null;
  calibration?: Calibration;
  retrieval?: Partial<RetrievalSettings>;
  expansion?: Partial<ExpansionSettings>;
  log?: (message: string) => void;
}

/** Dense ranking carries more weight when the index was embedded by a real sentence model than by the offline word vectors. */
function denseWeightFor(modelId: string): number {
  return modelId.startsWith('local/') ? DEFAULT_RETRIEVAL.denseWeight : 0.5;
}

/** Each article's sentences in text order, gathered from its (overlapping) passages. */
function sentencesByArticle(index: IndexData): Map<string, Span[]> {
  const byStart = new Map<string, Map<number, Span>>();
  for (const p of index.passages) {
    const spans = byStart.get(p.articleId) ?? new Map<number, Span>();
    for (const s of p.sentences) spans.set(s.start, s);
    byStart.set(p.articleId, spans);
  }
  return new Map([...byStart].map(([id, spans]) => [id, [...spans.values()].sort((a, b) => a.start - b.start)]));
}

export async function openCoverage(
  opts: CoverageOptions,
): Promise<Coverage & { index: IndexData; embedder: Embedder; wordVectors: WordVectors | null }> {
  // The model, the word vectors and the index load at once: their file reads overlap (a one-shot `ask` waits for all three).
  const loadModel = (model: string) => Embedder.load({ model, modelsDir: opts.modelsDir, allowRemote: opts.allowRemoteModels, log: opts.log });
  const manifest = await readManifest(opts.indexDir).catch(() => null); // loadIndex reports a missing or broken index
  const early = manifest && opts.embedder?.modelId !== manifest.model.id ? { model: manifest.model.id, loading: loadModel(manifest.model.id) } : null;
  early?.loading.catch(() => {}); // awaited below, unless loadIndex fails first
  const wordVectorsLoading =
    opts.wordVectors != null
      ? Promise.resolve(opts.wordVectors)
      : loadWordVectors(opts.modelsDir).catch((error: Error) => {
          opts.log?.(`query expansion is off: the offline word vectors could not be loaded (${error.message})`);
          return null;
        });
  const index = await loadIndex(opts.indexDir, { efSearch: opts.efSearch });
  const modelId = index.manifest.model.id;
  const embedder =
    opts.embedder && opts.embedder.modelId === modelId ? opts.embedder : await (early?.model === modelId ? early.loading : loadModel(modelId));
  if (embedder.modelId !== modelId) {
    throw new Error(
      `The index was built with ${modelId}, but only ${embedder.modelId} could be loaded. Rebuild the index with \`npx coverage-bot ingest\`.`,
    );
  }
  const wordVectors = await wordVectorsLoading;
  const neighbours: WordNeighbours | null = wordVectors ? indexNeighbours(wordVectors, index.passages.map((p) => p.text)) : null;
  const ctx: AnswerContext = {
    index,
    embedder,
    neighbours,
    readSource: (article: Article) => readSourceText(opts.sourcesDir, article).catch(() => null),
    sentencesByArticle: sentencesByArticle(index),
    calibration: opts.calibration ?? loadCalibration(),
    retrieval: { ...DEFAULT_RETRIEVAL, denseWeight: denseWeightFor(modelId), ...opts.retrieval },
    expansion: { ...DEFAULT_EXPANSION, ...opts.expansion },
  };
  const passageCounts = new Map<string, number>();
  for (const p of index.passages) passageCounts.set(p.articleId, (passageCounts.get(p.articleId) ?? 0) + 1);
  const summary = (a: Article): SourceSummary => ({ ...citationOf(a), passages: passageCounts.get(a.id) ?? 0 });

  return {
    index,
    embedder,
    wordVectors,
    answer: (question: string, options?: AnswerOptions): Promise<Answer> => findAnswer(ctx, question, options),
    sources(filter) {
      const outlet = filter?.outlet?.toLowerCase();
      return index.articles.filter((a) => !outlet || (a.outlet ?? '').toLowerCase().includes(outlet)).map(summary);
    },
    source(id: string): SourceDetail | undefined {
      const article = index.articleById.get(id);
      if (!article) return undefined;
      const firstPassage = index.passages.find((p) => p.articleId === id);
      const spans = firstPassage?.sentences.slice(0, 2) ?? [];
      const opening = spans.length > 0 ? article.text.slice(spans[0]!.start, spans[spans.length - 1]!.end) : article.text.slice(0, 280);
      return { ...summary(article), dateline: article.dateline, opening };
    },
    context(articleId: string, start: number, end: number): string | undefined {
      const article = index.articleById.get(articleId);
      if (!article || start < 0 || end > article.text.length || start > end) return undefined;
      // The paragraph (blank-line or line-break delimited) that holds the quote.
      const from = article.text.lastIndexOf('\n', start - 1) + 1;
      const next = article.text.indexOf('\n', end);
      return article.text.slice(from, next === -1 ? article.text.length : next).trim();
    },
    status(): IndexStatus {
      return {
        builtAt: index.manifest.builtAt,
        articles: index.manifest.counts.articles,
        passages: index.manifest.counts.passages,
        model: modelId,
        dimensions: index.manifest.model.dimensions,
      };
    },
  };
}

/** Coverage options from the configuration. */
export function coverageOptionsFromConfig(config: Config, log?: (message: string) => void): CoverageOptions {
  return {
    indexDir: config.INDEX_DIR,
    sourcesDir: config.SOURCES_DIR,
    modelsDir: config.MODELS_DIR,
    allowRemoteModels: config.ALLOW_REMOTE_MODELS,
    efSearch: config.HNSW_EF_SEARCH,
    log,
  };
}
