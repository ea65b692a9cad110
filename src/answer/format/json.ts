// JSON formatter: the Answer as is, plus `answer_span` offsets (relative to each quote) where a span is emphasised.
import type { Answer } from '../types.js';

export function formatJson(answer: Answer): string {
  return JSON.stringify({
    ...answer,
    quotes: answer.quotes.map(({ answerSpan, ...q }) => ({ ...q, answer_span: answerSpan ?? null })),
  });
}
