// The exception list: decides whether a sentence break proposed by the segmenter is a false one (after an abbreviation, or before a lower-case continuation) and must be re-joined.
import { MAX_WORD_CHARS } from './long-tokens.js';

// Titles precede a name, so a break right after one is always wrong ("Air Force Col. Maj. Amadou Abdramane").
const TITLES = new Set([
  'Mr', 'Mrs', 'Ms', 'Messrs', 'Dr', 'Prof', 'Sen', 'Rep', 'Gov', 'Rev', 'Hon', 'Pres', 'Amb',
  'Col', 'Maj', 'Gen', 'Lt', 'Capt', 'Cmdr', 'Cdr', 'Adm', 'Brig', 'Sgt', 'Cpl', 'Pvt', 'Supt', 'Insp', 'Det',
]);

// Abbreviations that can also end a sentence ("fled to the U.S. The talks...", "presenters Ant and Dec. She won").
// A break after one is re-joined unless what follows reads like the start of a new sentence.
const AMBIGUOUS = new Set([
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
  'St', 'Mt', 'Ft', 'Inc', 'Ltd', 'Co', 'Corp', 'Bros', 'Jr', 'Sr', 'etc', 'approx', 'est',
]);

// Initials and dotted initialisms: "J.", "U.S.", "U.N.", "a.m.", "p.m.", "e.g.".
const INITIALISM = /^(?:\p{L}\.)+$/u;

// Closed-class words that open most news sentences (the commonest sentence-initial words of the BBC corpus, minus names).
// After an ambiguous abbreviation one of these means a new sentence; a name or number ("U.S. Army", "Jan. 5") does not.
const SENTENCE_OPENERS = new Set(
  (
    'The A An This That These Those There Here It He She They We I You His Her Its Their Our My Your ' +
    'But And Or So Yet Still Now Then Also However Meanwhile Instead Indeed Even Only Just Not No ' +
    'In On At For With By From To Of Under Over After Before During Since Until Despite Although Though ' +
    'While When Where What Who Why How If As Once Both All Some Many Most More Other Another Each Every ' +
    'Any Such Much One Two Three Last Next Earlier Later Former Following According Among About Besides Yes Well'
  ).split(' '),
);

const OPENING_QUOTE = /^["“‘'«]/u;
const LEADING_PUNCTUATION = /^[\p{Ps}\p{Pi}"'«]+/u;
const TRAILING_PUNCTUATION = /[^\p{L}\p{N}]+$/u;
const CONTRACTION = /['’](?:s|m|re|ve|d|ll)$/u;

// An abbreviation is a short word: only this much of the text next to a break is read, because searching a long run
// for its last word is quadratic in the run's length (a pasted 1 MB blob froze sentence splitting).
const TOKEN_WINDOW = MAX_WORD_CHARS + 1;

function lastToken(text: string): string {
  const trimmed = text.trimEnd().slice(-TOKEN_WINDOW);
  const at = trimmed.search(/\S+$/);
  return at < 0 ? '' : trimmed.slice(at).replace(LEADING_PUNCTUATION, '');
}

function firstToken(text: string): string {
  return /^\S+/.exec(text.trimStart().slice(0, TOKEN_WINDOW))?.[0] ?? '';
}

function opensSentence(next: string): boolean {
  if (OPENING_QUOTE.test(next)) return true;
  const word = firstToken(next).replace(LEADING_PUNCTUATION, '').replace(TRAILING_PUNCTUATION, '').replace(CONTRACTION, '');
  return SENTENCE_OPENERS.has(word);
}

/**
 * Whether a proposed break between `before` (the text up to the break) and `after` (the text from it) is false.
 * Re-joins: a lower-case continuation ('"Why?" he asked', "forces... in order to"); any break after a title;
 * "No." before a number; and a break after a month, initial or initialism unless the next word opens a sentence.
 */
export function isFalseBreak(before: string, after: string): boolean {
  const next = after.trimStart();
  const nextWord = firstToken(next);
  // All lower case, so brand names such as "iPod" or "eBay" can still open a sentence.
  if (/^\p{Ll}/u.test(nextWord) && !/\p{Lu}/u.test(nextWord)) return true;

  const token = lastToken(before);
  if (!token.endsWith('.')) return false;
  const stem = token.slice(0, -1);
  if (TITLES.has(stem)) return true;
  if (stem === 'No' || stem === 'Nos') return /^\d/.test(next);
  if (AMBIGUOUS.has(stem) || INITIALISM.test(token)) return !opensSentence(next);
  return false;
}
