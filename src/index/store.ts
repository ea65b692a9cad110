// Index persistence: each build is written into its own directory and made live by atomically replacing `current.json`,
// so an error or a kill at any point leaves the previous index intact and loadable.
import { UserError } from '../errors.js';
import { slicedPause } from '../event-loop.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Article } from '../corpus/index.js';
import type { Passage } from '../text/index.js';
import { readIfPresent } from './access.js';
import { TableFormatError } from './binary.js';
import { buildLexicalIndex, loadLexicalIndex, serializeLexicalIndex, type LexicalIndex } from './lexical.js';
import {
  INDEX_SCHEMA_VERSION,
  articlesFileSchema,
  currentPointerSchema,
  indexManifestSchema,
  termsFileSchema,
  type IndexManifest,
} from './manifest.js';
import { packPassages, unpackPassages } from './passage-table.js';
import { termStatsOf, type TermStats } from './term-stats.js';
import { VectorIndex, type HnswSettings } from './vector.js';

/** The command that builds the default index; front ends name the folders the user gave (`withIngestCommand`). */
export const INGEST_COMMAND = 'npx coverage-bot ingest';

/** The index could not be loaded; the message says why and the command that builds (or rebuilds) it. */
export class IndexLoadError extends UserError {
  constructor(
    /** What is wrong, without the hint. */
    readonly reason: string,
    readonly kind: 'missing' | 'corrupt' | 'incompatible',
    ingestCommand = INGEST_COMMAND,
  ) {
    // An index that was never built is built, not "rebuilt".
    super(
      kind === 'missing'
        ? `${reason} Build it with \`${ingestCommand}\`.`
        : `${reason} Rebuild it with \`${ingestCommand}\` (add \`--full\` to start from scratch).`,
    );
  }

  /** The same error, its hint naming the exact command to run (with the folders the user gave). */
  withIngestCommand(command: string): IndexLoadError {
    return new IndexLoadError(this.reason, this.kind, command);
  }
}

const FILES = {
  manifest: 'manifest.json',
  articles: 'articles.json',
  passages: 'passages.bin',
  vectors: 'vectors.f32',
  sentenceVectors: 'sentences.f32',
  graph: 'hnsw.bin',
  lexical: 'lexical.bin',
  terms: 'terms.json',
} as const;

const POINTER = 'current.json';
const BUILDS = 'builds';

/** A loaded index: everything retrieval needs, in memory. Passage i has vector row i and label i. */
export interface IndexData {
  manifest: IndexManifest;
  articles: Article[];
  articleById: Map<string, Article>;
  passages: Passage[];
  /** Row-major passage vectors, `manifest.model.dimensions` wide. */
  vectors: Float32Array;
  /** Row-major sentence vectors (each unique sentence embedded alone), rows named by `Passage.sentenceRows`. */
  sentenceVectors: Float32Array;
  /** Null when loaded with `withSearch: false` (ingest only reuses passages and vectors). */
  vectorIndex: VectorIndex | null;
  lexical: LexicalIndex | null;
  /** Passage frequency of every analysed term: the IDF behind evidence features and query expansion filters. */
  termStats: TermStats;
  /** The build directory the data came from. */
  dir: string;
}

/** What a new build is made of. */
export interface BuildContents {
  articles: Article[];
  passages: Passage[];
  vectors: Float32Array;
  /** Every passage's `sentenceRows` point into this table. */
  sentenceVectors: Float32Array;
  model: { id: string; requested: string; dimensions: number };
  passageSettings: { maxTokens: number; overlapSentences: number; vectors: 'model' | 'sentences' };
  hnsw: HnswSettings;
  /** Runs once the build is written, before it is made live; a throw abandons the build (the ingest lock was lost). */
  beforeCommit?: () => Promise<void>;
  /** The sources folder the articles were read from (recorded absolute). */
  sourcesDir?: string;
}

/** The headline and opening sentence a passage is indexed with, so that it is found for questions about its story. */
export function passageContext(article: Article): string {
  const opening = article.text.slice(0, 300).split(/(?<=[.!?]["”’]?)\s/)[0] ?? '';
  return opening.startsWith(article.title) ? opening : `${article.title}\n${opening}`;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes `file` through a temporary file and a rename, so a reader sees the old content or the new, never a part. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

function buildName(): string {
  const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\..+/, '');
  return `build-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Writes a complete build into a fresh directory, then switches `current.json` to it and removes older builds. */
export async function writeIndex(indexDir: string, contents: BuildContents): Promise<IndexData> {
  const name = buildName();
  const dir = path.join(indexDir, BUILDS, name);
  await mkdir(dir, { recursive: true });
  let data: IndexData;
  try {
    data = await writeBuild(dir, contents);
    await contents.beforeCommit?.();
  } catch (error) {
    // A failed build must not keep its partial files: on a full disk they would only make the next attempt fail too.
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  await writeAtomic(path.join(indexDir, POINTER), JSON.stringify({ build: name }));
  await removeOtherBuilds(indexDir, name);
  return data;
}

/** Writes every file of a build into `dir`, the manifest last. */
async function writeBuild(dir: string, contents: BuildContents): Promise<IndexData> {
  const labels = new Map<string, number>(contents.passages.map((p, i) => [p.id, i]));
  if (labels.size !== contents.passages.length) throw new Error('duplicate passage ids in build');
  const { dimensions } = contents.model;
  if (contents.vectors.length !== contents.passages.length * dimensions) {
    throw new Error(`vector table holds ${contents.vectors.length / dimensions} rows for ${contents.passages.length} passages`);
  }
  const sentenceCount = contents.sentenceVectors.length / dimensions;
  for (const p of contents.passages) {
    if (p.sentenceRows?.length !== p.sentences.length || p.sentenceRows.some((r) => r >= sentenceCount)) {
      throw new Error(`passage ${p.id} has no sentence-vector row for every sentence`);
    }
  }

  const articleById = new Map(contents.articles.map((a) => [a.id, a]));
  const vectorIndex = await VectorIndex.build(contents.vectors, dimensions, contents.hnsw);
  const lexical = await buildLexicalIndex(
    contents.passages.map((p) => {
      const article = articleById.get(p.articleId)!;
      return { text: p.text, context: passageContext(article), outlet: article.outlet ?? '' };
    }),
  );

  const termStats = await termStatsOf(contents.passages, lexical);
  const payloads: Record<string, string | Uint8Array> = {
    [FILES.terms]: JSON.stringify({ passages: termStats.passages, df: Object.fromEntries(termStats.df), vocabulary: termStats.vocabulary }),
    [FILES.articles]: JSON.stringify(contents.articles),
    [FILES.passages]: packPassages(contents.articles, contents.passages),
    [FILES.vectors]: new Uint8Array(contents.vectors.buffer, contents.vectors.byteOffset, contents.vectors.byteLength),
    [FILES.sentenceVectors]: new Uint8Array(
      contents.sentenceVectors.buffer,
      contents.sentenceVectors.byteOffset,
      contents.sentenceVectors.byteLength,
    ),
    [FILES.lexical]: serializeLexicalIndex(lexical),
  };
  const files: IndexManifest['files'] = {};
  for (const [file, data] of Object.entries(payloads)) {
    await writeFile(path.join(dir, file), data);
    files[file] = { bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, sha256: sha256(data) };
  }
  const graphFile = path.join(dir, FILES.graph);
  vectorIndex.write(graphFile);
  const graphBytes = await readFile(graphFile);
  files[FILES.graph] = { bytes: graphBytes.byteLength, sha256: sha256(graphBytes) };

  const manifest: IndexManifest = {
    schemaVersion: INDEX_SCHEMA_VERSION,
    builtAt: new Date().toISOString(),
    model: contents.model,
    passages: contents.passageSettings,
    hnsw: contents.hnsw,
    counts: { articles: contents.articles.length, passages: contents.passages.length, sentences: sentenceCount },
    ...(contents.sourcesDir ? { sourcesDir: path.resolve(contents.sourcesDir) } : {}),
    articles: Object.fromEntries(contents.articles.map((a) => [a.id, a.contentHash])),
    files,
  };
  // The manifest goes last: a build directory without one is incomplete by construction.
  await writeFile(path.join(dir, FILES.manifest), JSON.stringify(manifest, null, 2));
  return {
    manifest,
    articles: contents.articles,
    articleById,
    passages: contents.passages,
    vectors: contents.vectors,
    sentenceVectors: contents.sentenceVectors,
    vectorIndex,
    lexical,
    termStats,
    dir,
  };
}

/** Deletes builds other than the live one (earlier builds, and leftovers of killed ones). */
async function removeOtherBuilds(indexDir: string, keep: string): Promise<void> {
  const buildsDir = path.join(indexDir, BUILDS);
  for (const entry of await readdir(buildsDir).catch(() => [] as string[])) {
    if (entry !== keep) await rm(path.join(buildsDir, entry), { recursive: true, force: true });
  }
  // Temporary pointer files of killed writers.
  for (const entry of await readdir(indexDir).catch(() => [] as string[])) {
    if (entry.startsWith(`${POINTER}.`) && entry.endsWith('.tmp')) await rm(path.join(indexDir, entry), { force: true });
  }
}

/**
 * Removes the build folders that killed ingests left behind; run under the ingest lock, so that none is being written.
 * Nothing is removed while the live build cannot be read: a leftover may then be the only copy of the user's articles.
 */
export async function removeLeftoverBuilds(indexDir: string): Promise<void> {
  try {
    const live = await currentBuildDir(indexDir);
    if (!live || !(await readManifest(indexDir))) return;
    await removeOtherBuilds(indexDir, path.basename(live));
  } catch (error) {
    if (!(error instanceof IndexLoadError)) throw error;
  }
}

/** `text`, the content of `file`, parsed and checked; a damaged file is named, its content never echoed (it may be anything). */
function parseJson<T>(text: string, schema: z.ZodType<T>, file: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IndexLoadError(`The index file ${file} is damaged (not valid JSON).`, 'corrupt');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = `${issue?.path.join('.')}: ${issue?.message}`.replace(/\s+/g, ' ');
    throw new IndexLoadError(`The index file ${file} is damaged (${detail}).`, 'corrupt');
  }
  return parsed.data;
}

/** `read()` of a binary table file, its format errors reported as a corrupt index naming the file. */
function readTable<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TableFormatError) throw new IndexLoadError(`The index file ${file} is malformed: ${error.message}.`, 'corrupt');
    throw error;
  }
}

/** The live build's directory, or null when no index has been built. */
export async function currentBuildDir(indexDir: string): Promise<string | null> {
  const pointerFile = path.join(indexDir, POINTER);
  const text = await readIfPresent(pointerFile, () => readFile(pointerFile, 'utf8'));
  if (text === null) return null;
  const pointer = parseJson(text, currentPointerSchema, pointerFile);
  return path.join(indexDir, BUILDS, pointer.build);
}

/** The live manifest, or null when there is no index. Throws IndexLoadError when it is unreadable. */
export async function readManifest(indexDir: string): Promise<IndexManifest | null> {
  const dir = await currentBuildDir(indexDir);
  if (!dir) return null;
  const file = path.join(dir, FILES.manifest);
  const text = await readIfPresent(file, () => readFile(file, 'utf8'));
  if (text === null) throw new IndexLoadError(`The index in ${indexDir} has no manifest.`, 'corrupt');
  // The version is checked before the shape, so an index of another version says "incompatible", not "corrupt".
  const { schemaVersion } = parseJson(text, z.object({ schemaVersion: z.number().int() }), file);
  if (schemaVersion !== INDEX_SCHEMA_VERSION) {
    throw new IndexLoadError(
      `The index in ${indexDir} has schema version ${schemaVersion}; this version of coverage-bot reads version ${INDEX_SCHEMA_VERSION}.`,
      'incompatible',
    );
  }
  return parseJson(text, indexManifestSchema, file);
}

/** A float32 view of a file's bytes: no copy when they start on a 4-byte boundary (a large file's own buffer does). */
function floatView(bytes: Buffer): Float32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

async function readVerified(dir: string, file: string, manifest: IndexManifest): Promise<Buffer> {
  const expected = manifest.files[file];
  if (!expected) throw new IndexLoadError(`The index manifest does not list ${file}.`, 'corrupt');
  const data = await readIfPresent(path.join(dir, file), () => readFile(path.join(dir, file)));
  if (data === null) throw new IndexLoadError(`The index file ${file} is missing.`, 'corrupt');
  if (data.byteLength !== expected.bytes || sha256(data) !== expected.sha256) {
    throw new IndexLoadError(`The index file ${file} is truncated or corrupt (checksum mismatch).`, 'corrupt');
  }
  return data;
}

/** Checks that every data file of the live build is present and matches the manifest's size and checksum. */
export async function verifyIndexFiles(indexDir: string, manifest: IndexManifest): Promise<void> {
  const dir = await currentBuildDir(indexDir);
  if (!dir) throw new IndexLoadError(`No index found in ${path.resolve(indexDir)}.`, 'missing');
  for (const file of Object.values(FILES)) if (file !== FILES.manifest) await readVerified(dir, file, manifest);
}

/** Loads and validates the live index. Throws IndexLoadError (with how to rebuild) when it is missing, corrupt or incompatible. */
export async function loadIndex(
  indexDir: string,
  opts: { efSearch?: number; withSearch?: boolean } = {},
): Promise<IndexData> {
  const withSearch = opts.withSearch ?? true;
  const manifest = await readManifest(indexDir);
  if (!manifest) throw new IndexLoadError(`No index found in ${path.resolve(indexDir)}.`, 'missing');
  const dir = (await currentBuildDir(indexDir))!;
  const [articlesRaw, passagesRaw, vectorsRaw, sentenceVectorsRaw, lexicalRaw, , termsRaw] = await Promise.all([
    readVerified(dir, FILES.articles, manifest),
    readVerified(dir, FILES.passages, manifest),
    readVerified(dir, FILES.vectors, manifest),
    readVerified(dir, FILES.sentenceVectors, manifest),
    withSearch ? readVerified(dir, FILES.lexical, manifest) : Buffer.alloc(0),
    withSearch ? readVerified(dir, FILES.graph, manifest) : Buffer.alloc(0),
    readVerified(dir, FILES.terms, manifest),
  ]);
  // Each step below takes a few hundred milliseconds on a large index: yield between them, so a bot loading a
  // refreshed index keeps acknowledging interactions.
  const pause = slicedPause();
  const terms = parseJson(termsRaw.toString('utf8'), termsFileSchema, path.join(dir, FILES.terms));
  await pause();
  const termStats: TermStats = { passages: terms.passages, df: new Map(Object.entries(terms.df)), vocabulary: terms.vocabulary };
  const articles = parseJson(articlesRaw.toString('utf8'), articlesFileSchema, path.join(dir, FILES.articles));
  await pause();
  const articleById = new Map(articles.map((a) => [a.id, a]));
  const passages = readTable(FILES.passages, () => unpackPassages(passagesRaw, articles, manifest.counts.sentences));
  await pause();
  const { dimensions } = manifest.model;
  const vectors = floatView(vectorsRaw);
  const sentenceVectors = floatView(sentenceVectorsRaw);
  if (
    vectorsRaw.byteLength % 4 !== 0 ||
    sentenceVectorsRaw.byteLength % 4 !== 0 ||
    vectors.length !== passages.length * dimensions ||
    articles.length !== manifest.counts.articles ||
    sentenceVectors.length !== manifest.counts.sentences * dimensions
  ) {
    throw new IndexLoadError('The index files disagree with the manifest counts.', 'corrupt');
  }
  if (!withSearch) {
    return { manifest, articles, articleById, passages, vectors, sentenceVectors, vectorIndex: null, lexical: null, termStats, dir };
  }
  await pause();
  let vectorIndex: VectorIndex;
  try {
    vectorIndex = VectorIndex.read(path.join(dir, FILES.graph), dimensions, opts.efSearch ?? manifest.hnsw.efSearch);
  } catch (error) {
    throw new IndexLoadError(`The vector index could not be read (${(error as Error).message}).`, 'corrupt');
  }
  if (vectorIndex.size !== passages.length) throw new IndexLoadError('The vector index size does not match the passages.', 'corrupt');
  await pause();
  const lexical = readTable(FILES.lexical, () => loadLexicalIndex(lexicalRaw));
  if (lexical.documentCount !== passages.length) throw new IndexLoadError('The lexical index size does not match the passages.', 'corrupt');
  return { manifest, articles, articleById, passages, vectors, sentenceVectors, vectorIndex, lexical, termStats, dir };
}

/**
 * Records another sources folder in the live manifest, rewritten atomically in place: for a folder that moved with
 * the same articles, which needs no new build.
 */
export async function recordSourcesDir(indexDir: string, sourcesDir: string): Promise<void> {
  const dir = await currentBuildDir(indexDir);
  const manifest = await readManifest(indexDir);
  if (!dir || !manifest) throw new IndexLoadError(`No index found in ${path.resolve(indexDir)}.`, 'missing');
  await writeAtomic(path.join(dir, FILES.manifest), JSON.stringify({ ...manifest, sourcesDir: path.resolve(sourcesDir) }, null, 2));
}

/**
 * Why (a sentence) the index in `indexDir` cannot be loaded when there is one to lose (an unreadable pointer or live
 * manifest, or complete builds that no pointer names); null when it loads or nothing was ever built there.
 */
export async function unreadableIndexReason(indexDir: string): Promise<string | null> {
  try {
    if (await readManifest(indexDir)) return null;
  } catch (error) {
    if (error instanceof IndexLoadError) return error.reason;
    throw error;
  }
  const builds = await readdir(path.join(indexDir, BUILDS)).catch(() => [] as string[]);
  const complete = builds.some((build) => existsSync(path.join(indexDir, BUILDS, build, FILES.manifest)));
  return complete ? `The index in ${path.resolve(indexDir)} has builds but no ${POINTER}.` : null;
}

/** Total bytes of the live build on disk (for benchmarks and /status). */
export async function indexSizeOnDisk(indexDir: string): Promise<number> {
  const dir = await currentBuildDir(indexDir);
  if (!dir) return 0;
  let total = 0;
  for (const entry of await readdir(dir)) total += (await stat(path.join(dir, entry))).size;
  return total;
}
