// Numbering of cited articles shared by every formatter: each article gets one marker [n], in order of first citation.
import { formatDay } from '../../wording.js';
import type { Answer, Citation } from '../types.js';

export interface NumberedAnswer {
  /** Cited articles in marker order ([1] is index 0). */
  cited: Citation[];
  markerOf(id: string): number;
}

export function numberCitations(answer: Answer): NumberedAnswer {
  const cited: Citation[] = [];
  const markers = new Map<string, number>();
  const add = (c: Citation) => {
    if (!markers.has(c.id)) {
      cited.push(c);
      markers.set(c.id, cited.length);
    }
  };
  for (const q of answer.quotes) {
    add(q.source);
    q.corroboration.forEach((c) => add(c.source));
  }
  return { cited, markerOf: (id) => markers.get(id) ?? 0 };
}

/** Longest title a Sources line shows: a headline's length (an untitled article is titled by its first sentence). */
export const SHOWN_TITLE_CHARS = 80;

/**
 * A title as a Sources line shows it: cut at a word boundary near SHOWN_TITLE_CHARS with "…". Only the display is cut:
 * the article keeps its whole first sentence as its title, which its sentences are embedded under.
 */
export function shownTitle(title: string): string {
  if (title.length <= SHOWN_TITLE_CHARS) return title;
  const cut = title.slice(0, SHOWN_TITLE_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > SHOWN_TITLE_CHARS / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:–—…-]+$/, '')}…`;
}

/** "NBC News · 2023-07-27 · Title": outlet and date say "unknown" rather than disappear. */
export function citationLine(c: Citation): string {
  return [c.outlet ?? 'Unknown outlet', c.published ? formatDay(c.published) : 'undated', shownTitle(c.title)].join(' · ');
}

export const NO_ANSWER = 'The indexed coverage does not answer this question.';

/** Said instead of NO_ANSWER by an index without articles: nothing could answer, and the user should know why. */
export const EMPTY_INDEX =
  'The index holds no articles yet: add article files to the sources folder and run ingest (`npx coverage-bot ingest`; in Discord, /refresh).';

/** NO_ANSWER, and which of the question's names no indexed article mentions ("None of the indexed articles mentions YouTube."). */
export function noAnswerText(answer: Pick<Answer, 'unmentioned' | 'emptyIndex'>): string {
  if (answer.emptyIndex) return EMPTY_INDEX;
  const names = answer.unmentioned ?? [];
  if (names.length === 0) return NO_ANSWER;
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
  return `${NO_ANSWER} None of the indexed articles mentions ${list}.`;
}
/** Said above the quotes when the evidence is middling: they are the closest coverage, not an answer. */
export const CLOSEST_LABEL = "I'm not sure the coverage answers this — closest passages:";
