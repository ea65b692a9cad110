// One form for text a person types: a question copied from a web page or a PDF carries invisible characters (a
// zero-width space, a right-to-left override, a soft hyphen) and compatibility forms (the "ﬂ" ligature, fullwidth
// letters) that look like plain text but split or change its words, so the same question was answered or declined.

// Unicode format characters: invisible, they only steer rendering (zero-width spaces and joiners, bidi controls, soft hyphens).
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/**
 * `text` in NFKC (ligatures and fullwidth forms as plain letters) without format characters. Articles lose their format
 * characters at load (src/corpus/clean.ts) but keep their compatibility forms, since quotes are printed from them; the
 * analyzer folds those forms when it compares words.
 */
export function normalizeQuestion(text: string): string {
  return text.normalize('NFKC').replace(FORMAT_CHARACTERS, '');
}
