// The plain BM25 baseline the evaluation compares against: the question's terms over passage text only, no expansion,
// no context, no dense ranking, no diversity.
import type { IndexData } from '../index/store.js';
import type { Passage } from '../text/types.js';

export function bm25Baseline(index: IndexData, question: string, k: number): Passage[] {
  if (!index.lexical) return [];
  return index.lexical
    .search(question, { fields: ['text'], combineWith: 'OR' })
    .slice(0, k)
    .map((r) => index.passages[r.id as number]!);
}
