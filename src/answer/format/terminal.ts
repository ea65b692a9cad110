// Terminal formatter: quotes as quotations with numbered markers, then the list of sources (outlet · date · title · link).
// Everything from an article is printed through printableText: a terminal would obey escape sequences in it.
import { printableText } from '../../printable.js';
import type { Answer } from '../types.js';
import { CLOSEST_LABEL, citationLine, noAnswerText, numberCitations } from './citations.js';

export interface TerminalStyle {
  /** Wraps the span that answers the question (bold on a terminal). */
  emphasis(text: string): string;
}

export const PLAIN: TerminalStyle = { emphasis: (t) => t };
export const ANSI: TerminalStyle = { emphasis: (t) => `\u001b[1m${t}\u001b[22m` };

export function formatTerminal(answer: Answer, style: TerminalStyle = PLAIN): string {
  if (answer.quotes.length === 0) {
    const lines = [noAnswerText(answer)];
    if (answer.sources.length > 0) {
      lines.push('Closest articles:');
      for (const s of answer.sources) lines.push(`  - ${citationLine(s)}${s.url ? ` · ${s.url}` : ''}`);
    }
    return printableText(lines.join('\n'));
  }
  const { cited, markerOf } = numberCitations(answer);
  const lines: string[] = answer.outcome === 'closest' ? [CLOSEST_LABEL] : [];
  for (const q of answer.quotes) {
    // Each piece cleaned on its own: the emphasis around the answer span is this formatter's own escape sequence.
    const text = q.answerSpan
      ? printableText(q.text.slice(0, q.answerSpan.start)) +
        style.emphasis(printableText(q.text.slice(q.answerSpan.start, q.answerSpan.end))) +
        printableText(q.text.slice(q.answerSpan.end))
      : printableText(q.text);
    lines.push(`“${text}” [${markerOf(q.source.id)}]`);
    if (q.corroboration.length > 0) {
      const others = q.corroboration.map((c) => `${printableText(c.source.outlet ?? c.source.title)} [${markerOf(c.source.id)}]`);
      lines.push(`    also reported by ${others.join(', ')}`);
    }
  }
  lines.push('', 'Sources:');
  cited.forEach((c, i) => lines.push(printableText(`[${i + 1}] ${citationLine(c)}${c.url ? ` · ${c.url}` : ''}`)));
  return lines.join('\n');
}
