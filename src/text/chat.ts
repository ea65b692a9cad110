// Questions as people type them in chat ("whos the pres of niger", "r the borders open", "how many us troops"): the
// shorthand spelled out, so that the lexical features, the question-type rules and the model all read the same words a
// carefully typed question would give them. The question shown back to the user is never rewritten.

/**
 * Chat shorthand and the words it stands for. Only forms with one reading in a question about the news: "pm" (prime
 * minister or afternoon) and "mil" (military or million) are left alone.
 */
const SHORTHAND: Readonly<Record<string, string>> = {
  r: 'are',
  u: 'you',
  ur: 'your',
  y: 'why',
  wat: 'what',
  wut: 'what',
  wht: 'what',
  whats: 'what is',
  wats: 'what is',
  whos: 'who is',
  wheres: 'where is',
  whens: 'when is',
  hows: 'how is',
  whys: 'why is',
  hw: 'how',
  abt: 'about',
  bc: 'because',
  cuz: 'because',
  b4: 'before',
  ppl: 'people',
  govt: 'government',
  gov: 'government',
  pres: 'president',
  prez: 'president',
  intl: 'international',
  yr: 'year',
  yrs: 'years',
  thru: 'through',
  pls: 'please',
  plz: 'please',
  dont: "don't",
  doesnt: "doesn't",
  didnt: "didn't",
  isnt: "isn't",
  wasnt: "wasn't",
  arent: "aren't",
  werent: "weren't",
  cant: "can't",
  wont: "won't",
  hasnt: "hasn't",
  havent: "haven't",
};

/**
 * Words after which a lower-case "us" is the pronoun ("tell us", "for us"); anywhere else in a question about the news
 * it names the United States ("how many us soldiers", "what did the us say").
 */
const BEFORE_PRONOUN_US = new Set([
  'tell', 'told', 'let', 'lets', 'give', 'gave', 'show', 'showed', 'help', 'helped', 'send', 'sent', 'for', 'to', 'with',
  'of', 'about', 'among', 'between', 'like', 'against', 'from', 'by', 'on', 'at', 'upon', 'behind', 'near', 'without',
]);

/**
 * The question with chat shorthand spelled out and a lower-case "us" that names the country written "US". Words are
 * replaced whole and only when lower case (a capitalised "U" or "Pres" is left as typed); everything else is kept.
 *
 * @example
 * expandChatShorthand('whos the pres of niger') // 'who is the president of niger'
 * expandChatShorthand('how many us soldiers r in niger') // 'how many US soldiers are in niger'
 * expandChatShorthand('can you tell us who leads') // unchanged
 */
export function expandChatShorthand(question: string): string {
  let previous = '';
  return question.replace(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu, (word) => {
    const before = previous;
    previous = word.toLowerCase();
    if (word === 'us') return BEFORE_PRONOUN_US.has(before) ? word : 'US';
    if (word !== word.toLowerCase()) return word;
    return SHORTHAND[word] ?? word;
  });
}
