// The lexical (BM25) side of the index: a minisearch index over passages, each carrying its article's headline and opening as context.
import MiniSearch, { type SearchOptions, type SearchResult } from 'minisearch';
import { analyze } from './analyzer.js';

/** What the lexical index stores per passage; `id` is the passage's vector label. */
export interface LexicalDocument {
  id: number;
  /** The passage text itself. */
  text: string;
  /** The article's headline and opening sentence: lets "The 63-year-old is one of…" match a question about Niger's coup. */
  context: string;
  outlet: string;
}

export const LEXICAL_FIELDS = ['text', 'context', 'outlet'] as const;

const identity = (term: string): string => term;

// Terms are produced by our own analyzer so that index, query and evidence features all agree.
const options = {
  fields: [...LEXICAL_FIELDS],
  storeFields: [],
  tokenize: analyze,
  processTerm: identity,
  searchOptions: { tokenize: analyze, processTerm: identity },
};

export type LexicalIndex = MiniSearch<LexicalDocument>;
export type { SearchOptions as LexicalSearchOptions, SearchResult as LexicalHit };

export function buildLexicalIndex(documents: LexicalDocument[]): LexicalIndex {
  const index = new MiniSearch<LexicalDocument>(options);
  index.addAll(documents);
  return index;
}

/** buildLexicalIndex for large builds: adds the documents in chunks, yielding to the event loop between them. */
export async function buildLexicalIndexInSlices(documents: LexicalDocument[]): Promise<LexicalIndex> {
  const index = new MiniSearch<LexicalDocument>(options);
  await index.addAllAsync(documents, { chunkSize: 100 });
  return index;
}

export function serializeLexicalIndex(index: LexicalIndex): string {
  return JSON.stringify(index);
}

export function loadLexicalIndex(json: string): LexicalIndex {
  return MiniSearch.loadJSON<LexicalDocument>(json, options);
}

/** loadLexicalIndex for large indexes: rebuilds the term tree in chunks, yielding to the event loop between them. */
export function loadLexicalIndexInSlices(json: string): Promise<LexicalIndex> {
  return MiniSearch.loadJSONAsync<LexicalDocument>(json, options);
}
