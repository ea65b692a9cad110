// The bound on token length every word-level tool works within. The Porter2 stemmer is quadratic in a word's length
// (a 40,000-letter word: about 20 s), wink-nlp's e-mail pattern backtracks over long symbol runs, and several regular
// expressions are quadratic in the run they scan, so one pasted blob could freeze ingest and every later `ask`. No
// word of news text is anywhere near this long (the longest English words are about 45 letters), so a longer run is
// noise to every word-level step: it is kept in the text and in quotes, but not stemmed, tagged or analysed whole.

/** The longest run of non-space characters read as a word; longer runs are not stemmed, and the tagger skips them. */
export const MAX_WORD_CHARS = 64;

const LONG_RUN = new RegExp(`\\S{${MAX_WORD_CHARS + 1},}`, 'g');

/**
 * `text` with every run of more than MAX_WORD_CHARS non-space characters replaced by as many spaces: the same length,
 * so every offset into it is an offset into `text`. Linear in the text's length.
 */
export function blankLongRuns(text: string): string {
  return text.replace(LONG_RUN, (run) => ' '.repeat(run.length));
}

/** `text` without its runs of more than MAX_WORD_CHARS non-space characters (each becomes one space), for a model's input. */
export function dropLongRuns(text: string): string {
  return text.replace(LONG_RUN, ' ');
}
