// Ingestion, embedding: the passages and vectors of new and changed articles (unchanged ones stay in the store as
// they are). They are chunked into passages, tagged (in worker threads when there are many) and embedded with their
// sentences, in one pass of the model that runs each distinct text once, keeps what it computes for a resumed build
// (vector-cache.ts), and runs no passage at all when passage vectors come from their sentences.
import { performance } from 'node:perf_hooks';
import type { Article } from '../corpus/index.js';
import { fallbackVector, type Embedder } from '../embedding/index.js';
import { slicedPause } from '../event-loop.js';
import { buildPassages, tagText, taggingWorkersFor, TaggingPool, type Passage, type SentenceTag, type Span } from '../text/index.js';
import { passageVectorsFor } from './ingest-changes.js';
import type { IngestOptions } from './ingest.js';
import type { StoredArticle } from './passage-store.js';
import { passageContext } from './store.js';
import { VectorCache } from './vector-cache.js';

/** The text a passage is embedded as: its article's headline and opening give it the context it may lack on its own. */
export function contextualText(article: Article, passage: Passage): string {
  const context = passageContext(article);
  return context.includes(passage.text) ? passage.text : `${context}\n${passage.text}`;
}

/**
 * The text a sentence is embedded as: under its article's headline. Measured against the sentence alone (cross-validated
 * sentence choice on the development questions, docs/evaluation.md): the headline lets the vector match questions that
 * name the story and ask a detail in one breath.
 */
export function sentenceText(article: Article, span: Span): string {
  const sentence = article.text.slice(span.start, span.end);
  return sentence.startsWith(article.title) ? sentence : `${article.title}\n${sentence}`;
}

/** What embedding produced: each article with its passages and their vectors, in the order given. */
export interface EmbeddedArticles {
  articles: StoredArticle[];
  /** Passage texts the model ran on (none when passage vectors come from their sentences). */
  embeddedPassages: number;
  /** Sentence texts the model ran on: each distinct text once, short sentences and vectors kept from a stopped build not counted. */
  embeddedSentences: number;
  /** Vectors read back from the cache of a build that was stopped before it finished. */
  cachedVectors: number;
  /** Sentences too short to embed, which took a neighbour's vector. */
  shortSentences: number;
  /** Seconds spent inside the embedding model. */
  embedSeconds: number;
}

/** Passages and vectors for `articles`, built and embedded. */
export async function embedArticles(
  articles: Article[],
  { embedder, opts }: { embedder: Embedder; opts: IngestOptions },
): Promise<EmbeddedArticles> {
  let pool: TaggingPool | null = null;
  const tagged: Array<Promise<void>> = [];
  try {
    const dimensions = embedder.dimensions;
    const passages: Passage[] = [];
    const rows: Array<Float32Array | null> = [];
    const toEmbed: Array<{ slot: number; text: string }> = [];
    // Where each article's passages and sentence rows start (they are contiguous, in article order).
    const firstOf: Array<{ passage: number; sentence: number }> = [];
    // Sentence vectors: one row per unique sentence (passages overlap), reused rows copied, new ones embedded.
    const sentenceRows: Array<Float32Array | null> = [];
    const sentencesToEmbed: Array<{ slot: number; text: string }> = [];
    // A sentence of one or two words ("Why?", "He refused.") says nothing a vector can match on its own (under the
    // headline, its vector is the headline's): it takes its neighbour's vector instead of a model run.
    const shortRows = new Map<number, number>();
    const byModel = passageVectorsFor(opts) === 'model';
    // Passages whose vector is the mean of their sentences' vectors (passageVectors 'sentences').
    const fromSentences: number[] = [];
    // Chunking and tagging are synchronous: yield every few tens of milliseconds so a bot refreshing in-process keeps answering.
    const pause = slicedPause();
    // Tagging runs in worker threads while this thread embeds: each article's tags arrive as a promise, awaited once
    // every passage is embedded.
    const workers = opts.taggingWorkers ?? taggingWorkersFor(articles.length);
    if (workers > 0) pool = TaggingPool.open(workers);
    const tag = (text: string, spans: Span[]) => (pool ? pool.tag(text, spans) : Promise.resolve(tagText(text, spans)));
    let tagsDone = 0;
    let embedDone = false;
    for (const article of articles) {
      await pause();
      firstOf.push({ passage: passages.length, sentence: sentenceRows.length });
      const built = buildPassages(article.id, article.text, {
        maxTokens: opts.passageTokens,
        overlapSentences: opts.overlapSentences,
        countTokens: (s) => embedder.countTokens(s),
      });
      const first = passages.length;
      const rowOfSentence = new Map<number, number>();
      // The article's sentences in order, each with its row and whether it is too short to embed.
      const inOrder: Array<{ row: number; short: boolean }> = [];
      for (const passage of built) {
        if (byModel) toEmbed.push({ slot: rows.length, text: contextualText(article, passage) });
        else fromSentences.push(rows.length);
        const rowsOfPassage = passage.sentences.map((s) => {
          let row = rowOfSentence.get(s.start);
          if (row === undefined) {
            row = sentenceRows.length;
            rowOfSentence.set(s.start, row);
            sentenceRows.push(null);
            sentencesToEmbed.push({ slot: row, text: sentenceText(article, s) });
            inOrder.push({ row, short: wordCount(article.text, s) < MIN_EMBEDDED_WORDS });
          }
          return row;
        });
        passages.push({ ...passage, sentenceRows: rowsOfPassage });
        rows.push(null);
      }
      for (const [row, neighbour] of neighbourRows(inOrder)) shortRows.set(row, neighbour);
      const articleTagged = tagPassages(built, (spans) => tag(article.text, spans)).then((withTags) => {
        // Only the tags arrive: the passage keeps its sentence-vector rows.
        withTags.forEach((p, i) => (passages[first + i] = { ...passages[first + i]!, sentenceTags: p.sentenceTags }));
        tagsDone++;
        if (embedDone) opts.onProgress?.({ stage: 'tag', done: tagsDone, total: tagged.length });
      });
      // A failed worker rejects while this thread is still embedding: the rejection is reported by the Promise.all
      // below, not as an unhandled one that would end the process.
      articleTagged.catch(() => {});
      tagged.push(articleTagged);
    }

    const embedStarted = performance.now();
    const run = await embedUnique(
      [...toEmbed.map((e) => e.text), ...sentencesToEmbed.filter((e) => !shortRows.has(e.slot)).map((e) => e.text)],
      toEmbed.length,
      { embedder, opts },
    );
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    let at = 0;
    for (const e of toEmbed) rows[e.slot] = run.vectors[at++]!;
    for (const e of sentencesToEmbed) if (!shortRows.has(e.slot)) sentenceRows[e.slot] = run.vectors[at++]!;
    for (const [row, neighbour] of shortRows) sentenceRows[row] = sentenceRows[neighbour]!;
    for (const slot of fromSentences) rows[slot] = meanOfSentences(passages[slot]!.sentenceRows!, sentenceRows, shortRows, dimensions);
    embedDone = true;
    await Promise.all(tagged);

    const table = (from: readonly (Float32Array | null)[]) => {
      const out = new Float32Array(from.length * dimensions);
      from.forEach((row, i) => out.set(row!, i * dimensions));
      return out;
    };
    const stored = articles.map((article, i): StoredArticle => {
      const start = firstOf[i]!;
      const end = firstOf[i + 1] ?? { passage: passages.length, sentence: sentenceRows.length };
      return {
        article,
        // Sentence rows are the article's own, from 0.
        passages: passages.slice(start.passage, end.passage).map((p) => ({ ...p, sentenceRows: p.sentenceRows!.map((r) => r - start.sentence) })),
        passageVectors: table(rows.slice(start.passage, end.passage)),
        sentenceVectors: table(sentenceRows.slice(start.sentence, end.sentence)),
      };
    });
    return {
      articles: stored,
      embeddedPassages: run.passages,
      embeddedSentences: run.sentences,
      cachedVectors: run.cached,
      shortSentences: shortRows.size,
      embedSeconds,
    };
  } finally {
    // Every tagging promise settles before the pool goes (none left rejected and unobserved).
    await Promise.allSettled(tagged);
    await pool?.close();
  }
}

/** Tags every sentence of an article once (passages overlap) and hands each passage its sentences' tags. */
async function tagPassages(passages: Passage[], tag: (sentences: Span[]) => Promise<SentenceTag[][]>): Promise<Passage[]> {
  const spans = new Map<number, Span>();
  for (const p of passages) for (const s of p.sentences) spans.set(s.start, s);
  const unique = [...spans.values()];
  const tags = await tag(unique);
  const byStart = new Map(unique.map((s, i) => [s.start, tags[i]!]));
  return passages.map((p) => ({ ...p, sentenceTags: p.sentences.map((s) => byStart.get(s.start) ?? []) }));
}

/** Sentences with fewer words than this are not embedded (they take a neighbour's vector). */
export const MIN_EMBEDDED_WORDS = 3;

function wordCount(text: string, span: Span): number {
  return text.slice(span.start, span.end).split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * For each short sentence of an article (in order), the row of the nearest sentence before it that is embedded, else
 * the nearest after it. An article whose every sentence is short has them all embedded (nothing to borrow from).
 */
function neighbourRows(sentences: ReadonlyArray<{ row: number; short: boolean }>): Map<number, number> {
  const out = new Map<number, number>();
  if (!sentences.some((s) => !s.short)) return out;
  let before: number | undefined;
  const waiting: number[] = [];
  for (const s of sentences) {
    if (!s.short) {
      for (const row of waiting) out.set(row, s.row);
      waiting.length = 0;
      before = s.row;
    } else if (before !== undefined) out.set(s.row, before);
    else waiting.push(s.row);
  }
  return out;
}

/**
 * A passage's vector as the normalised mean of its sentences' vectors (the borrowed vectors of short sentences left
 * out, unless nothing else is there): the sentences are embedded anyway, so this saves a second model run over the
 * same words, about half of a transformer build.
 */
export function meanOfSentences(
  rows: readonly number[],
  sentenceRows: ReadonlyArray<Float32Array | null>,
  shortRows: ReadonlyMap<number, number>,
  dimensions: number,
): Float32Array {
  const own = rows.filter((r) => !shortRows.has(r));
  const mean = new Float32Array(dimensions);
  for (const r of own.length > 0 ? own : rows) {
    const v = sentenceRows[r]!;
    for (let k = 0; k < dimensions; k++) mean[k]! += v[k]!;
  }
  let norm = 0;
  for (let k = 0; k < dimensions; k++) norm += mean[k]! * mean[k]!;
  if (norm === 0 || !Number.isFinite(norm)) return fallbackVector(dimensions);
  norm = Math.sqrt(norm);
  for (let k = 0; k < dimensions; k++) mean[k]! /= norm;
  return mean;
}

/**
 * Vectors for `texts` (the first `passageCount` of them passages, the rest sentences): each distinct text is embedded
 * once (the same sentence under the same headline recurs in syndicated and updated copies), vectors kept from a build
 * that was stopped are read back instead of computed, and what is computed is kept as it goes.
 */
async function embedUnique(
  texts: readonly string[],
  passageCount: number,
  { embedder, opts }: { embedder: Embedder; opts: IngestOptions },
): Promise<{ vectors: Float32Array[]; passages: number; sentences: number; cached: number }> {
  const log = opts.log ?? (() => {});
  const cache = await VectorCache.open(opts.indexDir, embedder.cacheId, embedder.dimensions, log);
  const slotOf = new Map<string, number>();
  const distinct: string[] = [];
  const known: Array<Float32Array | undefined> = [];
  let passageSlots = 0;
  const slots = texts.map((text, i) => {
    if (i === passageCount) passageSlots = distinct.length;
    let slot = slotOf.get(text);
    if (slot === undefined) {
      slot = distinct.length;
      slotOf.set(text, slot);
      distinct.push(text);
      known.push(cache.get(text));
    }
    return slot;
  });
  const missing = distinct.flatMap((_, slot) => (known[slot] ? [] : [slot]));
  const cached = distinct.length - missing.length;
  if (cached > 0) log(`resuming a build that was stopped: ${cached} of ${distinct.length} vectors were already computed`);
  const missingTexts = missing.map((slot) => distinct[slot]!);
  if (passageCount === texts.length) passageSlots = distinct.length;
  // Slots are handed out in order, passages first: a sentence reading exactly as a passage counts as the passage.
  const passages = missing.filter((slot) => slot < passageSlots).length;
  opts.onEmbedTexts?.({ passages: missingTexts.slice(0, passages), sentences: missingTexts.slice(passages) });
  try {
    const embedded = await embedder.embedPassages(missingTexts, {
      batchSize: embedder.settings.batchSize,
      workers: opts.embeddingWorkers,
      onBatch: (indices, vectors) => indices.forEach((i, j) => cache.add(missingTexts[i]!, vectors[j]!)),
      onProgress: (done, total, fraction) => opts.onProgress?.({ stage: 'embed', done, total, fraction }),
    });
    missing.forEach((slot, i) => (known[slot] = embedded[i]!));
  } finally {
    // Also when embedding fails or is interrupted: what was computed is there for the next run.
    await cache.flush();
  }
  return { vectors: slots.map((slot) => known[slot]!), passages, sentences: missing.length - passages, cached };
}
