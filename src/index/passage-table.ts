// The passages of a build as a binary table (binary.ts): per passage its article, ordinal and span; per sentence its
// span, vector row and tags. A passage's text is not stored: it is its article's text between start and end.
// Columns instead of JSON because the 10× corpus has 65k passages, 450k sentences and over a million tags, and parsing
// and validating those as JSON objects took seconds at every load.
import { z } from 'zod';
import type { Article } from '../corpus/index.js';
import type { Passage, SentenceTag, TagKind } from '../text/index.js';
import { packTables, TableFormatError, unpackTables } from './binary.js';

const TAG_KINDS = ['date', 'time', 'number', 'money', 'duration', 'age', 'person', 'organisation', 'place', 'quotation'] as const satisfies readonly TagKind[];

const headerSchema = z.object({
  format: z.literal('passages'),
  passages: z.number().int().nonnegative(),
  sentences: z.number().int().nonnegative(),
  tags: z.number().int().nonnegative(),
  /** Tag kind k is stored as its position here. */
  kinds: z.array(z.enum(TAG_KINDS)),
  /** Quotation attributions; a tag's attribution column holds its position + 1, or 0 for none. */
  attributions: z.array(z.string()),
});

/** Column order: passages (article, ordinal, start, end, sentences end), sentences (start, end, row, tags end), tags (kind, start, end, attribution). */
const COLUMNS = 13;

/** The table's bytes; `articles` gives each passage's article its position. */
export function packPassages(articles: readonly Article[], passages: readonly Passage[]): Uint8Array {
  const articleIndex = new Map(articles.map((a, i) => [a.id, i]));
  const sentenceCount = passages.reduce((sum, p) => sum + p.sentences.length, 0);
  const tagCount = passages.reduce((sum, p) => sum + (p.sentenceTags ?? []).reduce((s, list) => s + list.length, 0), 0);
  const columns = Array.from({ length: COLUMNS }, (_, i) => new Uint32Array(i < 5 ? passages.length : i < 9 ? sentenceCount : tagCount));
  const [pArticle, pOrdinal, pStart, pEnd, pSentencesEnd, sStart, sEnd, sRow, sTagsEnd, tKind, tStart, tEnd, tAttribution] = columns as [
    Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array,
  ];
  const attributions = new Map<string, number>();
  let s = 0;
  let t = 0;
  passages.forEach((p, i) => {
    const article = articleIndex.get(p.articleId);
    if (article === undefined) throw new Error(`passage ${p.id} belongs to no article of the build`);
    pArticle[i] = article;
    pOrdinal[i] = p.ordinal;
    pStart[i] = p.start;
    pEnd[i] = p.end;
    p.sentences.forEach((span, j) => {
      sStart[s] = span.start;
      sEnd[s] = span.end;
      sRow[s] = p.sentenceRows![j]!;
      for (const tag of p.sentenceTags?.[j] ?? []) {
        const kind = TAG_KINDS.indexOf(tag.kind);
        if (kind < 0) throw new Error(`passage ${p.id} has a tag of unknown kind ${tag.kind}`);
        tKind[t] = kind;
        tStart[t] = tag.start;
        tEnd[t] = tag.end;
        if (tag.attribution !== undefined) {
          if (!attributions.has(tag.attribution)) attributions.set(tag.attribution, attributions.size);
          tAttribution[t] = attributions.get(tag.attribution)! + 1;
        }
        t++;
      }
      sTagsEnd[s++] = t;
    });
    pSentencesEnd[i] = s;
  });
  const header: z.infer<typeof headerSchema> = {
    format: 'passages',
    passages: passages.length,
    sentences: sentenceCount,
    tags: tagCount,
    kinds: [...TAG_KINDS],
    attributions: [...attributions.keys()],
  };
  return packTables(header, columns);
}

/**
 * The passages back from the table's bytes, their text sliced from `articles`. Throws TableFormatError when a value is
 * out of range: a passage outside its article, a vector row past `sentenceRows`, a tag outside its sentence.
 */
export function unpackPassages(bytes: Uint8Array, articles: readonly Article[], sentenceRows: number): Passage[] {
  const { header, columns } = unpackTables(bytes, headerSchema, COLUMNS);
  const expected = [header.passages, header.passages, header.passages, header.passages, header.passages, header.sentences, header.sentences, header.sentences, header.sentences, header.tags, header.tags, header.tags, header.tags];
  if (columns.some((c, i) => c.length !== expected[i])) throw new TableFormatError('its columns do not match its counts');
  const [pArticle, pOrdinal, pStart, pEnd, pSentencesEnd, sStart, sEnd, sRow, sTagsEnd, tKind, tStart, tEnd, tAttribution] = columns as [
    Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array,
  ];
  const passages: Passage[] = new Array(header.passages);
  let s = 0;
  let t = 0;
  for (let i = 0; i < header.passages; i++) {
    const article = articles[pArticle[i]!];
    const start = pStart[i]!;
    const end = pEnd[i]!;
    const sentencesEnd = pSentencesEnd[i]!;
    if (!article || start > end || end > article.text.length || sentencesEnd < s || sentencesEnd > header.sentences) {
      throw new TableFormatError(`passage ${i + 1} does not fit its article`);
    }
    const sentences: Passage['sentences'] = [];
    const sentenceTags: SentenceTag[][] = [];
    const rows: number[] = [];
    for (; s < sentencesEnd; s++) {
      const span = { start: sStart[s]!, end: sEnd[s]! };
      const tagsEnd = sTagsEnd[s]!;
      if (span.start < start || span.end > end || span.start > span.end || sRow[s]! >= sentenceRows || tagsEnd < t || tagsEnd > header.tags) {
        throw new TableFormatError(`sentence ${s + 1} does not fit its passage`);
      }
      const tags: SentenceTag[] = [];
      for (; t < tagsEnd; t++) {
        const kind = header.kinds[tKind[t]!];
        const attribution = tAttribution[t]! > 0 ? header.attributions[tAttribution[t]! - 1] : undefined;
        if (!kind || tStart[t]! > tEnd[t]! || tEnd[t]! > span.end - span.start || (tAttribution[t]! > 0 && attribution === undefined)) {
          throw new TableFormatError(`tag ${t + 1} does not fit its sentence`);
        }
        tags.push(attribution === undefined ? { kind, start: tStart[t]!, end: tEnd[t]! } : { kind, start: tStart[t]!, end: tEnd[t]!, attribution });
      }
      sentences.push(span);
      sentenceTags.push(tags);
      rows.push(sRow[s]!);
    }
    passages[i] = {
      id: `${article.id}#${pOrdinal[i]}`,
      articleId: article.id,
      ordinal: pOrdinal[i]!,
      start,
      end,
      text: article.text.slice(start, end),
      sentences,
      sentenceTags,
      sentenceRows: rows,
    };
  }
  return passages;
}
