// Cleaning of an article body: drops whole lines and paragraphs that are not the article (teasers for other stories,
// photo captions and credits, source and byline lines, a leading wire stamp) and reads metadata from them. It never
// rewrites inside a sentence: every sentence left in the cleaned text is found character for character in the source,
// because quotes are later checked against the source verbatim.
import { normalizePublished, outletFromDomain } from './metadata.js';

export interface CleanedText {
  /** Kept paragraphs, each trimmed, separated by a blank line. */
  text: string;
  /** A headline line removed from the top of the text, if there was one. */
  headline: string | null;
  outlet: string | null;
  published: string | null;
  byline: string | null;
  dateline: string | null;
}

export interface CleanOptions {
  /** A title the file declares: a first paragraph repeating it is the headline, not body text. */
  knownTitle?: string | null;
}

interface SourceLine {
  text: string;
  paragraph: number;
}

/**
 * Line endings as \n, Unicode in NFC and no format characters (\p{Cf}: zero-width spaces, bidi controls, soft hyphens):
 * the form both the cleaned text and the source text are compared in. Format characters are invisible but split words
 * ("Ni\u00adger" read as "Ni" and "ger"), so a question typed plainly missed the article; questions lose them too
 * (src/text/normalize.ts). Compatibility forms ("ﬂ", fullwidth letters) stay: quotes are printed from this text.
 */
export function normalizeSourceText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').replace(/\p{Cf}/gu, '');
}

export function cleanArticleText(source: string, options: CleanOptions = {}): CleanedText {
  const found: Omit<CleanedText, 'text' | 'headline'> = { outlet: null, published: null, byline: null, dateline: null };
  const stamped = splitLines(normalizeSourceText(source));
  stripWireStamp(stamped, found);
  const lines = withoutSubheads(stamped);

  const kept: SourceLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as SourceLine;
    const text = line.text.trim();
    if (TEASER_BLOCK_MARKER.test(text)) break;
    if (TEASER_HEADING.test(text) && lines.slice(i + 1).every((next) => isTeaserLine(next.text))) break;
    if (isTeaserLink(text)) continue;

    const sourceLine = readSourceLine(text);
    if (sourceLine) {
      found.outlet ??= sourceLine.outlet;
      continue;
    }
    const credit = photoCredit(text);
    if (credit !== null) {
      // The alt text an image carries is repeated just above its caption, in the same paragraph.
      const description = text.slice(0, text.length - credit.length);
      while (kept.length && kept.at(-1)?.paragraph === line.paragraph && isSameDescription(description, kept.at(-1)?.text ?? '')) {
        kept.pop();
      }
      continue;
    }
    const byline = bylineOf(text);
    if (byline) {
      found.byline ??= byline;
      continue;
    }
    kept.push(line);
  }

  const paragraphs = joinParagraphs(kept);
  const headline = takeHeadline(paragraphs, options.knownTitle ?? null);
  found.dateline ??= datelineOf(paragraphs[0] ?? '');
  return { text: paragraphs.join('\n\n'), headline, ...found };
}

function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  text.split(/\n(?:[^\S\n]*\n)+/).forEach((paragraph, index) => {
    for (const line of paragraph.split('\n')) if (line.trim()) lines.push({ text: line, paragraph: index });
  });
  return lines;
}

// AFP's run-in subheads: "- Coup-prone - The landlocked state…" opening a line, or "…governance." - Condemnation - The
// parties…" after a sentence. One to five words between " - " marks, then a capitalised sentence. Words are bounded so
// the pattern cannot backtrack far on a long line.
const INLINE_SUBHEAD =
  /(?:^\s*|(?<=[.!?…]["”’')\]]*)\s+)-\s+\p{Lu}[\p{L}\p{M}'’-]{0,40}(?:\s+[\p{L}\p{M}'’-]{1,40}){0,4}\s+-\s+(?=["“‘]?\p{Lu})/gu;

// "- Best actor - Richard Griffiths for The History Boys - Best actress - …": a run-in list of labels and entries
// (an awards list), where the label is content. A subhead's section opens with a sentence, which ends before any
// further " - Label - ".
const LIST_LABEL = /\s-\s+\p{Lu}[\p{L}\p{M}'’-]{0,40}(?:\s+[\p{L}\p{M}'’-]{1,40}){0,4}\s+-\s/u;
const SENTENCE_STOP = /[.!?…]/u;

/** Whether the text from `from` is an entry of a run-in list: another label comes before its first sentence ends. */
function isListItem(text: string, from: number): boolean {
  const rest = text.slice(from, from + 1000);
  const stop = rest.search(SENTENCE_STOP);
  const label = rest.search(LIST_LABEL);
  return label >= 0 && (stop < 0 || label < stop);
}

/**
 * The lines with their inline subheads removed: the text after a subhead starts a new paragraph, as the section it
 * heads does, so the subhead never ends up inside a quote. Only whole stretches of the line are kept, never rewritten.
 */
function withoutSubheads(lines: SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  let paragraph = -1;
  let previous: number | undefined;
  for (const line of lines) {
    if (line.paragraph !== previous) paragraph++;
    previous = line.paragraph;
    let at = 0;
    for (const match of line.text.matchAll(INLINE_SUBHEAD)) {
      if (isListItem(line.text, match.index + match[0].length)) continue;
      const before = line.text.slice(at, match.index);
      if (before.trim()) out.push({ text: before, paragraph });
      paragraph++;
      at = match.index + match[0].length;
    }
    const rest = line.text.slice(at);
    if (rest.trim()) out.push({ text: rest, paragraph });
  }
  return out;
}

function joinParagraphs(lines: SourceLine[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  let currentIndex = -1;
  for (const line of lines) {
    if (line.paragraph !== currentIndex && current.length) {
      paragraphs.push(current.join('\n').trim());
      current = [];
    }
    currentIndex = line.paragraph;
    current.push(line.text);
  }
  if (current.length) paragraphs.push(current.join('\n').trim());
  return paragraphs.filter(Boolean);
}

// "date 2023-07-27 Niamey, (UrduPoint / Pakistan Point News - 27th Jul, 2023 ) :" opening a wire story re-published by
// an aggregator. The place, the site and the date are metadata; the article starts after the colon. Of a
// "Site / Sub-brand" pair the outlet is the site ("UrduPoint").
const WIRE_STAMP = /^\s*(?:date\s+(\d{4}-\d{2}-\d{2})\s+)?([^\n():]{1,60}?),?\s*\(\s*([^()\n]{2,80}?)\s+[-–—]\s+([^()\n]{4,30}?)\s*\)\s*:\s*/u;
const DATE_STAMP = /^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)/u;
// A stamp is short. The patterns above backtrack over a long run of spaces (10,000 took 12 s), so they read only the
// line's opening: each match starts at the line's start, so its length is still the length to cut.
const STAMP_WINDOW = 400;

function stripWireStamp(lines: SourceLine[], found: Omit<CleanedText, 'text' | 'headline'>): void {
  const first = lines[0];
  if (!first) return;
  const opening = first.text.slice(0, STAMP_WINDOW);
  const stamp = WIRE_STAMP.exec(opening);
  const stampDate = stamp ? (normalizePublished(stamp[1]) ?? normalizePublished(stamp[4])) : null;
  if (stamp && stampDate) {
    found.published = stampDate;
    found.dateline = stamp[2]?.trim().replace(/,$/, '') || null;
    found.outlet = stamp[3]?.split(/\s+\/\s+/)[0]?.trim() || null;
    first.text = first.text.slice(stamp[0].length);
  } else {
    const dateOnly = DATE_STAMP.exec(opening);
    const date = dateOnly ? normalizePublished(dateOnly[1]) : null;
    if (!dateOnly || !date) return;
    found.published = date;
    first.text = first.text.slice(dateOnly[0].length);
  }
  if (!first.text.trim()) lines.shift();
}

// "You May Also Like" always heads teasers for other stories; everything after it goes.
const TEASER_BLOCK_MARKER = /^(?:you (?:may|might) also like|recommended for you|more stories you may like|you may be interested in)\s*:?$/i;
// Weaker headings go only when every line after them looks like a teaser (a headline or a clipped snippet), since an
// article may well have a paragraph that starts with "Related".
const TEASER_HEADING =
  /^(?:related(?:\s+(?:articles?|stories|coverage|content|news|reading|links|topics))?|read (?:more|next)|more from\b.{1,60}|more (?:stories|news|coverage)|see also|also read|recommended(?:\s+(?:stories|reading|articles))?|most (?:read|popular|viewed)|trending(?: now)?|top stories|latest (?:news|stories))\s*:?$/i;
// "Read more: Niger's junta names a prime minister" — a link to another story, not a sentence of this one.
const TEASER_LINK = /^(?:read more|read next|related|see also|also read|more from\b.{1,60}?)\s*:\s*\S.{0,200}$/i;
const SENTENCE_END = /[.!?…]["'”’)\]]*$/u;
const CLIPPED = /(?:…|\.\.\.)$/u;

function isTeaserLine(line: string): boolean {
  const text = line.trim();
  return text.length <= 250 && (!SENTENCE_END.test(text) || CLIPPED.test(text));
}

function isTeaserLink(text: string): boolean {
  return TEASER_LINK.test(text) && !SENTENCE_END.test(text);
}

// "Source: | This article originally belongs to Nbcnews.com", "This article originally appeared on reuters.com".
const ORIGIN_LINE =
  /^(?:source\s*:\s*\|?\s*)?this article (?:originally )?(?:belongs to|appeared (?:on|in)|was (?:originally )?published (?:on|in|by))\s+(.{2,80}?)\.?$/iu;
// "Source: nbcnews.com". A "Source: <name>" line is more often a chart's data source than the outlet, so only a
// domain counts.
const SOURCE_DOMAIN_LINE = /^source\s*:\s*\|?\s*(\S+?)\.?$/iu;
const DOMAIN = /^(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:\/\S*)?$/i;

/** The outlet a line naming the article's origin gives (null if it names none clearly); null if it is no such line. */
function readSourceLine(text: string): { outlet: string | null } | null {
  if (text.length > 120) return null;
  const origin = ORIGIN_LINE.exec(text)?.[1]?.trim();
  const domain = DOMAIN.exec(origin ?? SOURCE_DOMAIN_LINE.exec(text)?.[1] ?? '')?.[1];
  if (domain) return { outlet: outletFromDomain(domain) };
  return origin ? { outlet: /^\p{Lu}/u.test(origin) ? origin : null } : null;
}

// Photo agencies as they appear at the end of captions ("… AFP – Getty Images file", "Jane Doe / Reuters").
const PHOTO_AGENCIES = [
  'AFP', 'Getty Images', 'Getty', 'Reuters', 'AP Photo', 'AP', 'The Associated Press', 'Associated Press', 'EPA-EFE',
  'EPA', 'EFE', 'Anadolu Agency', 'Anadolu', 'Bloomberg', 'Shutterstock', 'Xinhua', 'Sipa USA', 'Sipa', 'NurPhoto',
  'SOPA Images', 'LightRocket', 'Alamy', 'PA Images', 'PA Wire', 'PA', 'dpa', 'picture alliance', 'ANP', 'Kyodo',
  'Yonhap', 'TASS', 'Sputnik', 'WireImage', 'Corbis', 'Pool', 'ZUMA Press', 'ZUMA Wire', 'Redux', 'Polaris', 'Abaca',
  'Imago', 'KCNA', 'Sygma', 'Bettmann',
];
const AGENCY = `(?:${[...PHOTO_AGENCIES]
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|')})`;
const NAME = String.raw`\p{Lu}[\p{L}\p{M}'’.-]+`;
const FILE_PHOTO = String.raw`(?:\s+(?:file|File|FILE))?`;
// The credit must stand apart from the words before it; "2022.Issouf Sanogo" is how scraped captions glue them.
const CREDIT_START = String.raw`(?<=^|[\s.,;:()])`;
// The credit is the tail of the line: agencies joined by "/", "–", "via"…, maybe after a photographer's name.
const AGENCY_CREDIT = new RegExp(
  String.raw`${CREDIT_START}(?:(?:${NAME}\s+){0,3}${NAME}\s*\/\s*)?\(?${AGENCY}(?:\s*(?:[/–—-]|via|&|,)\s*${AGENCY})*${FILE_PHOTO}\)?$`,
  'u',
);
// A photographer credited to an outlet not in the list: "Jane Doe / The New York Times".
const PHOTOGRAPHER_CREDIT = new RegExp(
  String.raw`${CREDIT_START}(?:${NAME}\s+){1,3}\/\s${NAME}(?:\s+${NAME}){0,4}${FILE_PHOTO}$`,
  'u',
);
// AP style: "(AP Photo/Sam Mednick)".
const AGENCY_PHOTO_CREDIT = new RegExp(String.raw`${CREDIT_START}\(?${AGENCY}\s+Photos?\s*\/\s*${NAME}(?:\s+${NAME}){0,3}\)?$`, 'u');
// A credit on a line of its own: "Photo: Jane Doe/Reuters", "(Photo by Jane Doe)".
const CREDIT_LINE = /^\(?\s*(?:photo(?:graph)?s?|image|picture|pic|credit|photo credit|illustration)\s*(?:by\b|:)\s*[^.!?]{1,80}\)?$/iu;

// A credit is a few names long. The patterns above try every start in a line and backtrack over long runs of name
// characters ("A.A.A.…"), quadratic in the line's length, so they read only its tail, from a word start.
const CREDIT_WINDOW = 240;

/** The credit at the end of a caption line (what follows the description), or null when the line is not a caption. */
function photoCredit(text: string): string | null {
  if (text.length <= CREDIT_WINDOW && CREDIT_LINE.test(text)) return text;
  // Credits never end a sentence; a line that does ("…, she told Reuters.") is article text.
  if (SENTENCE_END.test(text)) return null;
  let tail = text;
  if (text.length > CREDIT_WINDOW) {
    const wordStart = text.slice(-CREDIT_WINDOW).search(/\s\S/);
    if (wordStart < 0) return null;
    tail = text.slice(text.length - CREDIT_WINDOW + wordStart + 1);
  }
  return (AGENCY_CREDIT.exec(tail) ?? AGENCY_PHOTO_CREDIT.exec(tail) ?? PHOTOGRAPHER_CREDIT.exec(tail))?.[0] ?? null;
}

function words(text: string): string[] {
  return text.toLowerCase().replace(/’/g, "'").match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** Whether `candidate` carries (most of) the caption's description: the alt text printed above a caption. */
function isSameDescription(description: string, candidate: string): boolean {
  const captionWords = new Set(words(description));
  if (captionWords.size < 3) return false;
  const candidateWords = new Set(words(candidate));
  let shared = 0;
  for (const word of captionWords) if (candidateWords.has(word)) shared++;
  return shared / captionWords.size >= 0.6;
}

const BY_LINE = /^[Bb][Yy]\s+(\p{Lu}.{1,118})$/u;
const PERSON = String.raw`(?!(?:The|A|An|He|She|They|It|We|I|This|That|These|Those)\b)${NAME}(?:\s+${NAME})+`;
// "Mosheh Gains and Courtney Kube reported from Niamey, and Patrick Smith from London."
const REPORTED_FROM = new RegExp(
  String.raw`^${PERSON}(?:(?:,\s*|,?\s+and\s+)${PERSON})*,?\s+(?:reported|contributed(?:\s+reporting)?|wrote)\s+(?:from|to this (?:report|story|article)|reporting)\b.*\.$`,
  'u',
);
const REPORTING_BY = /^\(?(?:additional\s+)?reporting by\b.{2,300}\)?$/iu;

/** The byline a line states, or null. "By X" lines give the names; other forms are kept as written. */
function bylineOf(text: string): string | null {
  if (text.length > 300) return null;
  const by = BY_LINE.exec(text);
  if (by?.[1] && text.length <= 120 && !SENTENCE_END.test(text) && text.split(/\s+/).length <= 14) return by[1].trim();
  if (REPORTED_FROM.test(text) || REPORTING_BY.test(text)) return text;
  return null;
}

const MARKDOWN_HEADING = /^#{1,6}\s+/;

/** Removes and returns a headline at the top: the declared title repeated, a Markdown heading, or a short line
 *  without final punctuation followed by the body. */
function takeHeadline(paragraphs: string[], knownTitle: string | null): string | null {
  const first = paragraphs[0];
  if (first === undefined || paragraphs.length < 2 || first.includes('\n')) return null;
  const headline = first.replace(MARKDOWN_HEADING, '').trim();
  const repeatsTitle = knownTitle !== null && collapse(headline) === collapse(knownTitle);
  const looksLikeHeadline =
    MARKDOWN_HEADING.test(first) || (first.length <= 200 && /\p{L}/u.test(first) && !/[.!?:;,…]["'”’)\]]*$/u.test(first));
  if (!repeatsTitle && !looksLikeHeadline) return null;
  paragraphs.shift();
  return headline;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

// "NIAMEY, Niger — ", "WASHINGTON (AP) — ": a place in capitals opening the first paragraph, then a sentence (which
// tells it from "ECOWAS — the regional bloc — said…"). The text stays as it is; only the place is recorded.
const DATELINE =
  /^(\p{Lu}[\p{Lu}\p{M} .'’-]*\p{Lu}\.?(?:,\s*\p{Lu}[\p{L}\p{M}.'’-]*(?:\s+\p{Lu}[\p{L}\p{M}.'’-]*){0,3})?)\s*(?:\([^()\n]{1,40}\)\s*)?(?:—|–|--| - )\s*(?=[\p{Lu}"“‘'])/u;

function datelineOf(paragraph: string): string | null {
  // A dateline is short; bounding what the pattern reads bounds its backtracking.
  return DATELINE.exec(paragraph.slice(0, STAMP_WINDOW))?.[1]?.trim() ?? null;
}
