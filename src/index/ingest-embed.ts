// Ingestion, embedding: the passages and vectors of a build. Unchanged articles keep theirs from the live build; new and
// changed ones are chunked into passages, tagged (in worker threads when there are many) and embedded with their
// sentences, in one pass of the model.
import { performance } from 'node:perf_hooks';
import type { Article } from '../corpus/index.js';
import type { Embedder } from '../embedding/index.js';
import { slicedPause } from '../event-loop.js';
import { buildPassages, tagText, taggingWorkersFor, TaggingPool, type Passage, type SentenceTag, type Span } from '../text/index.js';
import type { IngestOptions } from './ingest.js';
import { passageContext, type IndexData } from './store.js';

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

/** What embedding produced: every passage in build order, with its vector row and its sentences' vector rows. */
export interface EmbeddedArticles {
  passages: Passage[];
  /** Row-major passage vectors, one row per passage. */
  vectors: Float32Array;
  /** Row-major sentence vectors, rows named by each passage's `sentenceRows`. */
  sentenceVectors: Float32Array;
  embeddedPassages: number;
  embeddedSentences: number;
  /** Seconds spent inside the embedding model. */
  embedSeconds: number;
}

/** Passages and vectors for `articles`: those not in `fresh` are reused from `reusable`, the rest built and embedded. */
export async function embedArticles(
  articles: Article[],
  { fresh, reusable, embedder, opts }: { fresh: Set<string>; reusable: IndexData | null; embedder: Embedder; opts: IngestOptions },
): Promise<EmbeddedArticles> {
  let pool: TaggingPool | null = null;
  const tagged: Array<Promise<void>> = [];
  try {
    // Reuse the passages and vectors of unchanged articles; chunk and embed the rest.
    const dimensions = embedder.dimensions;
    const passages: Passage[] = [];
    const rows: Array<Float32Array | null> = [];
    const toEmbed: Array<{ slot: number; text: string }> = [];
    const reusedRows = new Map<string, number[]>();
    // Sentence vectors: one row per unique sentence (passages overlap), reused rows copied, new ones embedded.
    const sentenceRows: Array<Float32Array | null> = [];
    const sentencesToEmbed: Array<{ slot: number; text: string }> = [];
    reusable?.passages.forEach((p, i) => {
      const list = reusedRows.get(p.articleId) ?? [];
      list.push(i);
      reusedRows.set(p.articleId, list);
    });
    // Chunking and tagging are synchronous: yield every few tens of milliseconds so a bot refreshing in-process keeps answering.
    const pause = slicedPause();
    // Tagging runs in worker threads while this thread embeds: each article's tags arrive as a promise, awaited once
    // every passage is embedded.
    const workers = opts.taggingWorkers ?? taggingWorkersFor(fresh.size);
    if (workers > 0) pool = TaggingPool.open(workers);
    const tag = (text: string, spans: Span[]) => (pool ? pool.tag(text, spans) : Promise.resolve(tagText(text, spans)));
    let tagsDone = 0;
    let embedDone = false;
    for (const article of articles) {
      await pause();
      if (!fresh.has(article.id) && reusable) {
        const renumbered = new Map<number, number>();
        for (const i of reusedRows.get(article.id) ?? []) {
          const old = reusable.passages[i]!;
          const newRows = old.sentenceRows!.map((r) => {
            let row = renumbered.get(r);
            if (row === undefined) {
              row = sentenceRows.length;
              renumbered.set(r, row);
              sentenceRows.push(reusable!.sentenceVectors.subarray(r * dimensions, (r + 1) * dimensions));
            }
            return row;
          });
          passages.push({ ...old, sentenceRows: newRows });
          rows.push(reusable.vectors.subarray(i * dimensions, (i + 1) * dimensions));
        }
        continue;
      }
      const built = buildPassages(article.id, article.text, {
        maxTokens: opts.passageTokens,
        overlapSentences: opts.overlapSentences,
        countTokens: (s) => embedder.countTokens(s),
      });
      const first = passages.length;
      const rowOfSentence = new Map<number, number>();
      for (const passage of built) {
        toEmbed.push({ slot: rows.length, text: contextualText(article, passage) });
        const rowsOfPassage = passage.sentences.map((s) => {
          let row = rowOfSentence.get(s.start);
          if (row === undefined) {
            row = sentenceRows.length;
            rowOfSentence.set(s.start, row);
            sentenceRows.push(null);
            sentencesToEmbed.push({ slot: row, text: sentenceText(article, s) });
          }
          return row;
        });
        passages.push({ ...passage, sentenceRows: rowsOfPassage });
        rows.push(null);
      }
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
    // Passages and sentences are embedded in one pass, so progress counts all the work the model does.
    const texts = [...toEmbed.map((e) => e.text), ...sentencesToEmbed.map((e) => e.text)];
    const embedded = await embedder.embedPassages(texts, {
      onProgress: (done, total) => opts.onProgress?.({ stage: 'embed', done, total }),
    });
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    toEmbed.forEach((e, i) => (rows[e.slot] = embedded[i]!));
    sentencesToEmbed.forEach((e, i) => (sentenceRows[e.slot] = embedded[toEmbed.length + i]!));
    embedDone = true;
    await Promise.all(tagged);

    const vectors = new Float32Array(passages.length * dimensions);
    rows.forEach((row, i) => vectors.set(row!, i * dimensions));
    const sentenceVectors = new Float32Array(sentenceRows.length * dimensions);
    sentenceRows.forEach((row, i) => sentenceVectors.set(row!, i * dimensions));
    return { passages, vectors, sentenceVectors, embeddedPassages: toEmbed.length, embeddedSentences: sentencesToEmbed.length, embedSeconds };
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
