// Hand-made answers for formatter tests: a quote covering its own text, cited to a given source.
import type { Citation, Quote } from '../../src/answer/types.js';

export const quote = (text: string, source: Citation, extra: Partial<Quote> = {}): Quote => ({
  text,
  start: 0,
  end: text.length,
  score: 1,
  passageId: `${source.id}#0`,
  source,
  corroboration: [],
  ...extra,
});
