// The lexical (BM25) side of the index: postings over passages, each passage carrying its article's headline and opening
// as context, stored as flat columns (binary.ts) so that a 65k-passage index loads in milliseconds.
//
// It scores exactly as minisearch 7 did when it held this index (BM25+ with k 1.2, b 0.7, d 0.5 per field; a field's
// length is its number of distinct terms; a result's score is multiplied by the number of distinct query terms it
// matched; ties keep the order in which passages were first matched) — tests/index/lexical.test.ts checks the two
// agree score for score. minisearch could not stay: its index is a tree of Maps rebuilt from JSON at every load (6 s
// for the 10× corpus), and it had no form that loads without that rebuild.
import { z } from 'zod';
import { slicedPause } from '../event-loop.js';
import { analyze } from './analyzer.js';
import { packTables, TableFormatError, unpackTables } from './binary.js';

export const LEXICAL_FIELDS = ['text', 'context', 'outlet'] as const;
export type LexicalField = (typeof LEXICAL_FIELDS)[number];

/** What the lexical index holds per passage (passage `label` is the document at position `label`). */
export type LexicalDocument = Record<LexicalField, string>;

/** BM25+ parameters (minisearch's defaults, which the retrieval weights were tuned with). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

const FIELD_COUNT = LEXICAL_FIELDS.length;

/** Postings: for term t and field f, documents `docs[offsets[t·F + f] … offsets[t·F + f + 1])`, ascending, with their term frequencies. */
export interface LexicalIndex {
  documentCount: number;
  /** Per field, the mean number of distinct terms. */
  averageFieldLength: number[];
  /** Distinct terms of document d's field f at d·F + f. */
  fieldLengths: Uint32Array;
  terms: string[];
  termIds: Map<string, number>;
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Uint32Array;
}

/** A passage found: its label and BM25 score. */
export interface LexicalHit {
  label: number;
  score: number;
}

/** Indexes `documents` (label = position), yielding to the event loop as it goes (a refresh runs inside the bot). */
export async function buildLexicalIndex(documents: readonly LexicalDocument[]): Promise<LexicalIndex> {
  const pause = slicedPause();
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  // Per (term, field): flat [doc, freq, doc, freq, …] in document order.
  const lists: number[][] = [];
  const fieldLengths = new Uint32Array(documents.length * FIELD_COUNT);
  const averageFieldLength = LEXICAL_FIELDS.map(() => 0);
  for (let doc = 0; doc < documents.length; doc++) {
    await pause();
    for (let f = 0; f < FIELD_COUNT; f++) {
      const tokens = analyze(documents[doc]![LEXICAL_FIELDS[f]!]);
      const counts = new Map<string, number>();
      for (const term of tokens) counts.set(term, (counts.get(term) ?? 0) + 1);
      fieldLengths[doc * FIELD_COUNT + f] = counts.size;
      // The running mean exactly as minisearch kept it, so scores stay identical to the last digit.
      averageFieldLength[f] = (averageFieldLength[f]! * doc + counts.size) / (doc + 1);
      for (const [term, freq] of counts) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = terms.length;
          termIds.set(term, id);
          terms.push(term);
          for (let g = 0; g < FIELD_COUNT; g++) lists.push([]);
        }
        lists[id * FIELD_COUNT + f]!.push(doc, freq);
      }
    }
  }
  const offsets = new Uint32Array(lists.length + 1);
  lists.forEach((list, i) => (offsets[i + 1] = offsets[i]! + list.length / 2));
  const docs = new Uint32Array(offsets[lists.length]!);
  const freqs = new Uint32Array(docs.length);
  lists.forEach((list, i) => {
    for (let j = 0, at = offsets[i]!; j < list.length; j += 2, at++) {
      docs[at] = list[j]!;
      freqs[at] = list[j + 1]!;
    }
  });
  return { documentCount: documents.length, averageFieldLength, fieldLengths, terms, termIds, offsets, docs, freqs };
}

/**
 * BM25 over the fields in `fieldBoosts` (the others are not searched), every hit best first. `query` is analysed as
 * passage text was; `termBoost` multiplies the score of each analysed term (1 when it returns undefined).
 */
export function searchLexical(
  index: LexicalIndex,
  query: string,
  options: {
    fieldBoosts: Partial<Record<LexicalField, number>>;
    termBoost?: (term: string) => number | undefined;
    filter?: (label: number) => boolean;
  },
): LexicalHit[] {
  const n = index.documentCount;
  const fields = LEXICAL_FIELDS.flatMap((field, f) => {
    const boost = options.fieldBoosts[field];
    // A boost of 0 counted as 1 in minisearch; kept so that a tuned setting means what it meant.
    return boost === undefined ? [] : [{ f, boost: boost || 1 }];
  });
  const total = new Float64Array(n);
  const partial = new Float64Array(n);
  // The query term (by position) that last touched each document: tells a term's first touch from the next field's.
  const partialStamp = new Int32Array(n).fill(-1);
  const matchedTerms = new Uint16Array(n);
  const firstSeen: number[] = [];
  const seen = new Uint8Array(n);
  const queryTerms = analyze(query);
  const queried = new Set<string>();
  queryTerms.forEach((term, q) => {
    const id = index.termIds.get(term);
    if (id === undefined) return;
    const termBoost = options.termBoost?.(term) ?? 1;
    // A repeated term adds its score again but is one matched term: it matches the same passages as its first occurrence.
    const firstOccurrence = !queried.has(term);
    queried.add(term);
    const touched: number[] = [];
    for (const { f, boost } of fields) {
      const from = index.offsets[id * FIELD_COUNT + f]!;
      const to = index.offsets[id * FIELD_COUNT + f + 1]!;
      const matching = to - from;
      const idf = Math.log(1 + (n - matching + 0.5) / (matching + 0.5));
      const average = index.averageFieldLength[f]!;
      for (let p = from; p < to; p++) {
        const doc = index.docs[p]!;
        const tf = index.freqs[p]!;
        const length = index.fieldLengths[doc * FIELD_COUNT + f]!;
        const raw = idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / average)));
        const weighted = termBoost * boost * raw;
        if (partialStamp[doc] !== q) {
          partialStamp[doc] = q;
          partial[doc] = weighted;
          touched.push(doc);
        } else {
          partial[doc] = partial[doc]! + weighted;
        }
      }
    }
    for (const doc of touched) {
      if (!seen[doc]) {
        seen[doc] = 1;
        firstSeen.push(doc);
        total[doc] = partial[doc]!;
      } else {
        total[doc] = total[doc]! + partial[doc]!;
      }
      if (firstOccurrence) matchedTerms[doc]!++;
    }
  });
  const hits: LexicalHit[] = [];
  for (const doc of firstSeen) {
    if (options.filter && !options.filter(doc)) continue;
    hits.push({ label: doc, score: total[doc]! * matchedTerms[doc]! });
  }
  // A stable sort: equal scores stay in first-matched order.
  return hits.sort((a, b) => b.score - a.score);
}

/** Term → number of documents whose `field` holds it (terms in no such document left out). */
export function documentFrequencies(index: LexicalIndex, field: LexicalField): Map<string, number> {
  const f = LEXICAL_FIELDS.indexOf(field);
  const df = new Map<string, number>();
  index.terms.forEach((term, t) => {
    const count = index.offsets[t * FIELD_COUNT + f + 1]! - index.offsets[t * FIELD_COUNT + f]!;
    if (count > 0) df.set(term, count);
  });
  return df;
}

const headerSchema = z.object({
  format: z.literal('bm25-postings'),
  fields: z.tuple([z.literal('text'), z.literal('context'), z.literal('outlet')]),
  documentCount: z.number().int().nonnegative(),
  averageFieldLength: z.array(z.number().nonnegative()).length(FIELD_COUNT),
  terms: z.array(z.string().min(1)),
});

export function serializeLexicalIndex(index: LexicalIndex): Uint8Array {
  const header: z.infer<typeof headerSchema> = {
    format: 'bm25-postings',
    fields: [...LEXICAL_FIELDS],
    documentCount: index.documentCount,
    averageFieldLength: index.averageFieldLength,
    terms: index.terms,
  };
  return packTables(header, [index.fieldLengths, index.offsets, index.docs, index.freqs]);
}

/** The index back from its bytes; throws TableFormatError when they are not a consistent index. */
export function loadLexicalIndex(bytes: Uint8Array): LexicalIndex {
  const { header, columns } = unpackTables(bytes, headerSchema, 4);
  const [fieldLengths, offsets, docs, freqs] = columns as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const { documentCount, terms } = header;
  const termIds = new Map(terms.map((term, i) => [term, i]));
  if (termIds.size !== terms.length) throw new TableFormatError('a term is listed twice');
  if (fieldLengths.length !== documentCount * FIELD_COUNT) throw new TableFormatError('the field lengths do not match the document count');
  if (offsets.length !== terms.length * FIELD_COUNT + 1 || offsets[0] !== 0 || offsets.at(-1) !== docs.length || freqs.length !== docs.length) {
    throw new TableFormatError('the posting offsets do not match the postings');
  }
  // Every posting list ascending and in range: searching trusts these bounds.
  for (let list = 0; list + 1 < offsets.length; list++) {
    const from = offsets[list]!;
    const to = offsets[list + 1]!;
    if (to < from) throw new TableFormatError('the posting offsets are not ascending');
    for (let p = from; p < to; p++) {
      if (docs[p]! >= documentCount || (p > from && docs[p]! <= docs[p - 1]!) || freqs[p] === 0) {
        throw new TableFormatError(`posting list ${list} is out of order or out of range`);
      }
    }
  }
  return { documentCount, averageFieldLength: header.averageFieldLength, fieldLengths, terms, termIds, offsets, docs, freqs };
}
