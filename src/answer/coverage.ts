// Opens a built index as a `Coverage`: the model, the index and the source files behind one object that answers questions
// and looks sources up. Every front end (CLI, chat console, Discord) holds one of these.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ArticleFileError, loadFile, readSourceText, type Article } from '../corpus/index.js';
import { UserError } from '../errors.js';
import { Embedder, loadWordVectors, type WordVectors } from '../embedding/index.js';
import {
  IndexLoadError,
  ingest,
  ingestOptionsFromConfig,
  openPassageStore,
  readManifest,
  releaseIndexLock,
  type ArticleListing,
  type IngestOptions,
  type PassageStore,
  type StoreKind,
} from '../index/index.js';
import {
  DEFAULT_EXPANSION,
  DEFAULT_RETRIEVAL,
  indexNeighbours,
  type ExpansionSettings,
  type RetrievalSettings,
  type WordNeighbours,
} from '../retrieval/index.js';
import { findAnswer, citationOf, type AnswerContext } from './answer.js';
import { HAND_SET_SCORER, type SentenceScorer } from './sentences.js';
import type { Calibration } from './confidence.js';
import { loadTuning, type Tuning } from './tuning.js';
import type { Answer, AnswerOptions, Coverage, IndexStatus, RefreshOptions, SourceDetail, SourceProblem, SourceSummary } from './types.js';

export interface CoverageOptions {
  /** The index folder (the local store's builds; every store's vector cache). */
  indexDir: string;
  /** Which store answers (default `local`, the index folder); `postgres` reads the database at `databaseUrl`. */
  store?: StoreKind;
  databaseUrl?: string;
  /** Where the article files are read from to verify quotes: the folder the index records having been built from. */
  sourcesDir: string;
  modelsDir: string;
  /** The configured model; the index's own model is what is loaded, this only decides whether remote loading is allowed. */
  allowRemoteModels: boolean;
  efSearch?: number;
  /** A model already loaded for this index (the bot keeps one across refreshes). */
  embedder?: Embedder;
  /** Word vectors already loaded (the bot keeps them across refreshes: 60 MB read once). */
  wordVectors?: WordVectors | null;
  /** Overrides of the model's tuning (src/answer/tuning/): evaluation sweeps settings through these. */
  calibration?: Calibration;
  sentenceScorer?: SentenceScorer;
  retrieval?: Partial<RetrievalSettings>;
  expansion?: Partial<ExpansionSettings>;
  /** How `refresh()` builds (passage size, hnswlib settings, the sources and index folders); without them it refuses. */
  ingest?: Omit<IngestOptions, 'embedder' | 'full' | 'onProgress' | 'log'>;
  log?: (message: string) => void;
}

/**
 * A Coverage together with what it loaded — the passage index, the model, the model's tuning — for what measures it:
 * evaluation, benchmarks and tests. Front ends hold the plain `Coverage`.
 */
export interface LoadedCoverage extends Coverage {
  index: PassageStore;
  embedder: Embedder;
  tuning: Tuning;
  reopen(): Promise<LoadedCoverage>;
}

/** An --outlet (or /ask outlet) that no indexed article comes from: it would only ever get "no answer". */
export class UnknownOutletError extends UserError {}

/** Rejects with UnknownOutletError unless some article's outlet contains `outlet` (case-insensitive, as the filter matches). */
export async function requireOutlet(index: Pick<PassageStore, 'listArticles'>, outlet: string): Promise<void> {
  if ((await index.listArticles({ outlet })).length > 0) return;
  const all = await index.listArticles();
  const outlets = [...new Set(all.map((a) => a.outlet).filter((o): o is string => Boolean(o)))].sort();
  const known = outlets.length > 0 ? `outlets: ${outlets.join(', ')}` : 'no indexed article names its outlet';
  throw new UnknownOutletError(`no articles from ${outlet}; ${known}.`);
}

/** The id of the one article whose id starts with `prefix` (ids are long hashes: typing their start is enough). */
async function uniquePrefixMatch(index: PassageStore, prefix: string): Promise<string | undefined> {
  if (!prefix) return undefined;
  const matches = await index.articlesByPrefix(prefix, 2);
  return matches.length === 1 ? matches[0]!.id : undefined;
}

/** What is wrong with a cited article's file and what to do, to follow its name. */
export function sourceProblemText(p: SourceProblem): string {
  const what = p.problem === 'missing' ? `is missing (${p.detail})` : 'has changed';
  return `${what} since the index was built: its quotes cannot be verified and are left out. Run ingest to update the index (\`npx coverage-bot ingest\`; in Discord, /refresh).`;
}

/** The one line said when a cited article's file cannot back its quotes any more. */
export function sourceProblemNotice(p: SourceProblem): string {
  return `${p.file} ${sourceProblemText(p)}`;
}

/**
 * Opens the live index in `opts.indexDir` with its model, the word vectors and the model's tuning: the entry point of
 * every front end. Throws IndexLoadError (saying how to build or rebuild it) when the index is missing or broken.
 *
 * @example
 * const coverage = await openCoverage({ indexDir: 'embeddings', sourcesDir: 'seeds', modelsDir: 'models', allowRemoteModels: false });
 * const answer = await coverage.answer("Who is Niger's elected president?");
 * console.log(answer.outcome, answer.quotes[0]?.text, answer.quotes[0]?.source.outlet);
 * console.log((await coverage.sources({ outlet: 'nbc' })).map((s) => s.title));
 */
export async function openCoverage(opts: CoverageOptions): Promise<LoadedCoverage> {
  // The model, the word vectors and the index load at once: their file reads overlap (a one-shot `ask` waits for all three).
  const loadModel = (model: string) => Embedder.load({ model, modelsDir: opts.modelsDir, allowRemote: opts.allowRemoteModels, log: opts.log });
  // The local store's manifest names the model before its index loads; a database's is read with the store.
  const local = (opts.store ?? 'local') === 'local';
  const manifest = local ? await readManifest(opts.indexDir).catch(() => null) : null; // the store reports a missing or broken index
  const early = manifest && opts.embedder?.modelId !== manifest.model.id ? { model: manifest.model.id, loading: loadModel(manifest.model.id) } : null;
  early?.loading.catch(() => {}); // awaited below, unless loadIndex fails first
  // The word vectors only serve query expansion: a model whose tuning turned it off (e5-small's) answers without them,
  // and a one-shot `ask` does not read and parse their 60 MB.
  const expands = (tuning: Tuning) => (opts.expansion?.weight ?? (tuning.expansion ? DEFAULT_EXPANSION.weight : 0)) > 0;
  const loadVectors = () =>
    opts.wordVectors != null
      ? Promise.resolve(opts.wordVectors)
      : loadWordVectors(opts.modelsDir).catch((error: Error) => {
          opts.log?.(`query expansion is off: the offline word vectors could not be loaded (${error.message})`);
          return null;
        });
  const earlyTuning = manifest ? { modelId: manifest.model.id, tuning: loadTuning(manifest.model.id, opts.log) } : null;
  const wordVectorsLoading = earlyTuning && !expands(earlyTuning.tuning) ? null : loadVectors();
  const index = await openPassageStore({ indexDir: opts.indexDir, store: opts.store, databaseUrl: opts.databaseUrl, efSearch: opts.efSearch });
  const { manifest: loadedManifest } = index;
  const modelId = loadedManifest.model.id;
  const embedder =
    opts.embedder && opts.embedder.modelId === modelId ? opts.embedder : await (early?.model === modelId ? early.loading : loadModel(modelId));
  if (embedder.modelId !== modelId) {
    throw new IndexLoadError(`The index was built with ${modelId}, but only ${embedder.modelId} could be loaded.`, 'incompatible');
  }
  const tuning = earlyTuning?.modelId === modelId ? earlyTuning.tuning : loadTuning(modelId, opts.log);
  const wordVectors = expands(tuning) ? await (wordVectorsLoading ?? loadVectors()) : null;
  const neighbours: WordNeighbours | null = wordVectors ? indexNeighbours(wordVectors, index.termStats.vocabulary) : null;

  // A quote that cannot be verified is dropped; each file behind such drops is reported once, never silently.
  const problems = new Map<string, SourceProblem>();
  const report = (problem: SourceProblem) => {
    if (problems.has(problem.file)) return;
    problems.set(problem.file, problem);
    opts.log?.(sourceProblemNotice(problem));
  };
  if (!existsSync(opts.sourcesDir)) {
    opts.log?.(`The sources folder ${path.resolve(opts.sourcesDir)} is missing: no quote can be verified, so none is given. Run ingest with --sources DIR.`);
  }
  const readSource = async (article: Article) => {
    try {
      return await readSourceText(opts.sourcesDir, article);
    } catch (error) {
      // No file to read is "missing"; a file that reads but no longer holds the article (or no longer parses) "changed".
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      const reason = error instanceof ArticleFileError ? error.reason : (error as Error).message;
      report(code ? { file: article.file, problem: 'missing', detail: code } : { file: article.file, problem: 'changed', detail: reason });
      return null;
    }
  };
  // The file reads, but a quote is not in it: it changed if the article it now holds is not the indexed one.
  const checked = new Map<string, Promise<void>>();
  const onUnverified = (article: Article): Promise<void> => {
    const key = `${article.file}\u0000${article.id}`;
    if (!checked.has(key)) {
      checked.set(
        key,
        loadFile(opts.sourcesDir, article.file)
          .then((loaded) => loaded.articles.find((a) => a.id === article.id)?.contentHash !== article.contentHash)
          .catch(() => true)
          .then((changed) => {
            if (changed) report({ file: article.file, problem: 'changed', detail: 'its text is not what was indexed' });
          }),
      );
    }
    return checked.get(key)!;
  };
  const ctx: AnswerContext = {
    index,
    embedder,
    neighbours,
    readSource,
    onUnverified,
    calibration: opts.calibration ?? tuning.calibration,
    sentenceScorer: opts.sentenceScorer ?? (tuning.sentenceScorer ? { weights: tuning.sentenceScorer.weights } : HAND_SET_SCORER),
    retrieval: { ...DEFAULT_RETRIEVAL, denseWeight: tuning.denseWeight, ...opts.retrieval },
    expansion: { ...DEFAULT_EXPANSION, ...(tuning.expansion ? {} : { weight: 0 }), ...opts.expansion },
  };
  // Answers in progress: close() waits for them (a front end closes the coverage a refresh replaced).
  let answering = 0;
  let idle: (() => void) | null = null;
  const summary = (a: ArticleListing): SourceSummary => ({ ...citationOf(a), passages: a.passages });

  const articleText = async (articleId: string, start: number, end: number): Promise<string | undefined> => {
    const [article] = await index.articles([articleId]);
    return article && start >= 0 && end <= article.text.length && start <= end ? article.text : undefined;
  };

  return {
    index,
    embedder,
    tuning,
    async answer(question: string, options?: AnswerOptions): Promise<Answer> {
      answering++;
      try {
        if (options?.outlet) await requireOutlet(index, options.outlet);
        return await findAnswer(ctx, question, options);
      } finally {
        answering--;
        if (answering === 0) idle?.();
      }
    },
    sourceProblems: () => [...problems.values()],
    async sources(filter) {
      return (await index.listArticles(filter)).map(summary);
    },
    async source(idOrPrefix: string): Promise<SourceDetail | undefined> {
      let [article] = await index.articles([idOrPrefix]);
      if (!article) {
        const id = await uniquePrefixMatch(index, idOrPrefix);
        [article] = id === undefined ? [] : await index.articles([id]);
      }
      if (!article) return undefined;
      const passages = await index.articlePassages(article.id);
      const spans = passages[0]?.sentences.slice(0, 2) ?? [];
      const opening = spans.length > 0 ? article.text.slice(spans[0]!.start, spans[spans.length - 1]!.end) : article.text.slice(0, 280);
      return { ...citationOf(article), passages: passages.length, dateline: article.dateline, opening };
    },
    requireOutlet: (outlet: string) => requireOutlet(index, outlet),
    async quoteText(articleId: string, start: number, end: number): Promise<string | undefined> {
      return (await articleText(articleId, start, end))?.slice(start, end);
    },
    async context(articleId: string, start: number, end: number): Promise<string | undefined> {
      const text = await articleText(articleId, start, end);
      if (text === undefined) return undefined;
      // The paragraph (blank-line or line-break delimited) that holds the quote.
      const from = text.lastIndexOf('\n', start - 1) + 1;
      const next = text.indexOf('\n', end);
      return text.slice(from, next === -1 ? text.length : next).trim();
    },
    status(): IndexStatus {
      return {
        builtAt: loadedManifest.builtAt,
        articles: loadedManifest.counts.articles,
        passages: loadedManifest.counts.passages,
        model: modelId,
        dimensions: loadedManifest.model.dimensions,
      };
    },
    async refresh(options: RefreshOptions = {}) {
      if (!opts.ingest) throw new Error('this coverage was opened without ingest settings, so it cannot refresh its index');
      return ingest({ ...opts.ingest, ...options, embedder });
    },
    reopen: () => openCoverage({ ...opts, embedder, wordVectors }),
    isLive: () => index.isLive(),
    async close() {
      if (answering > 0) await new Promise<void>((resolve) => (idle = resolve));
      await index.close();
    },
    releaseIndexLock: () => releaseIndexLock(opts.indexDir),
  };
}

/** Coverage options from the configuration. */
export function coverageOptionsFromConfig(config: Config, log?: (message: string) => void): CoverageOptions {
  return {
    indexDir: config.INDEX_DIR,
    store: config.STORE,
    databaseUrl: config.STORE === 'postgres' ? config.DATABASE_URL : undefined,
    sourcesDir: config.SOURCES_DIR,
    modelsDir: config.MODELS_DIR,
    allowRemoteModels: config.ALLOW_REMOTE_MODELS,
    efSearch: config.HNSW_EF_SEARCH,
    ingest: ingestOptionsFromConfig(config),
    log,
  };
}
