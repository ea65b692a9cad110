// Sentence tagging, data: what the libraries' results mean here, and the small rules on top of them (tables, not code).
import type { TagKind } from '../tags.js';
import type { Token } from './tokens.js';

/** wink-eng-lite-web-model entity types and the tag each one gives; ORDINAL ('third'), URL, EMAIL… answer no question type. */
export const WINK_KINDS: Readonly<Record<string, TagKind>> = {
  DATE: 'date',
  TIME: 'time',
  CARDINAL: 'number',
  PERCENT: 'number',
  MONEY: 'money',
  DURATION: 'duration',
};

// wink calls 'since 2020' and 'since Wednesday' durations; without a unit they name a point in time.
export const DURATION_UNITS = new Set(
  'second seconds minute minutes hour hours day days week weeks fortnight fortnights month months year years decade decades century centuries millennium night nights weekend weekends season seasons term terms'.split(
    ' ',
  ),
);

export const YEAR = /^(?:1[5-9]|20)\d\d$/;
export const YEAR_PREPOSITIONS = new Set(['in', 'for', 'since', 'by', 'until', 'till', 'from', 'before', 'after', 'during', 'of', 'to', 'between', 'and']);

export const MERIDIEMS = ['a.m.', 'p.m.', 'a.m', 'p.m', 'am', 'pm'];
export const TIME_ZONES = ['gmt', 'bst', 'utc', 'et', 'est', 'edt', 'ct', 'cst', 'cdt', 'pt', 'pst', 'pdt', 'cet', 'cest', 'wat', 'eat', 'ist', 'jst'];
export const MAGNITUDES = ['m', 'bn', 'mn', 'k', 'tn', 'million', 'billion', 'trillion', 'thousand'];
export const CURRENCY_SYMBOLS = ['$', '£', '€', '¥', '₹', '₦'];

/** One token of a value rule: its lower-case text, part of speech or wink entity type must be one of those listed. */
export interface TokenTest {
  words?: readonly string[];
  pos?: readonly string[];
  /** Matches a whole wink entity of one of these types starting at this token. */
  entity?: readonly string[];
  optional?: boolean;
}

export interface ValueRule {
  kind: TagKind;
  sequence: readonly TokenTest[];
}

/**
 * Values wink splits or misses. A rule's match replaces the wink values it overlaps ('63' CARDINAL + 'year' DURATION
 * becomes one age). wink's own custom-entity learning would express these, but in wink-eng-lite-web-model 1.8.1 only
 * the first winkNLP instance of a process can learn (its meta model is re-stringified on every load), and the corpus
 * module creates its own instance.
 */
export const VALUE_RULES: readonly ValueRule[] = [
  // '63-year-old', 'two 17-year-olds'
  { kind: 'age', sequence: [{ pos: ['NUM'] }, { words: ['-'] }, { words: ['year', 'years'] }, { words: ['-'] }, { words: ['old', 'olds'] }] },
  // '63 years old'
  { kind: 'age', sequence: [{ pos: ['NUM'] }, { words: ['year', 'years'] }, { words: ['old'] }] },
  // 'aged 63'
  { kind: 'age', sequence: [{ words: ['aged'] }, { pos: ['NUM'] }] },
  // '6.30 a.m.', '1.30 a.m. ET': wink tags the number alone as a cardinal.
  { kind: 'time', sequence: [{ pos: ['NUM'] }, { words: MERIDIEMS }, { words: TIME_ZONES, optional: true }] },
  { kind: 'time', sequence: [{ entity: ['TIME'] }, { words: TIME_ZONES }] },
  // '$5.2m': wink's MONEY stops before the magnitude.
  { kind: 'money', sequence: [{ entity: ['MONEY'] }, { words: MAGNITUDES }] },
  // '£4bn': wink sees only the cardinal '4'.
  { kind: 'money', sequence: [{ words: CURRENCY_SYMBOLS }, { pos: ['NUM'] }, { words: MAGNITUDES, optional: true }] },
];

/** Titles that precede a person's name ('Foreign Minister Hassoumi Massoudou'); compromise misses many such names. */
export const PERSON_TITLES = new Set(
  'president minister secretary secretary-general general gen. chancellor senator sen. governor gov. colonel col. major maj. captain capt. lieutenant lt. sergeant sgt. admiral commander king queen prince princess pope mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady judge justice mayor chairman chairwoman chair ambassador envoy representative rep. professor prof. bishop archbishop rev. sheikh emir spokesman spokeswoman spokesperson coach manager boss striker captain chief'.split(
    ' ',
  ),
);

/**
 * Head words of organisation names: a capitalised run ending in one ('the Defence and Security Forces', 'Presidential
 * Guard', 'the Economic Community of West African States') is an organisation.
 */
export const ORGANISATION_HEADS = new Set(
  'union council forces force command guard party army navy assembly commission committee bank agency ministry department office organisation organization community court parliament congress senate corporation corp group association federation league club institute university college school front movement alliance coalition authority board bureau service services police foundation fund trust society network company airlines airways'.split(
    ' ',
  ),
);

/** Lower-case words allowed inside a capitalised name run ('Party for Democracy and Socialism'). */
export const NAME_CONNECTORS = new Set(['of', 'for', 'and', 'the', '&', 'de', 'du', 'des', 'la', 'le', 'on']);

/** All-capital tokens that are not organisations: time zones, titles, common abbreviations, roman numerals. */
export const NOT_ORGANISATION_ACRONYMS = new Set(
  'AM PM GMT BST UTC ET EST EDT CET CEST TV CEO CFO MP MPS MEP PM OK ID DJ IT AI PC US USA UK UAE DRC GB EU II III IV VI VII VIII IX XI XII'.split(
    ' ',
  ),
);

/** Acronyms of places (compromise's lexicon has 'uk' but reads 'us' as the pronoun, and tags 'U.S.' an organisation). */
export const PLACE_ACRONYMS = new Set(['US', 'USA', 'UK', 'UAE', 'DRC', 'GB']);

/** Words after which a capitalised name is a place: 'in Niamey', 'the capital, Niamey', 'the city of Kano'. */
export const LOCATIVE_PREPOSITIONS = new Set(['in', 'at', 'near', 'outside', 'inside', 'across', 'throughout', 'around', 'via']);
export const PLACE_NOUNS = new Set(['capital', 'city', 'town', 'village', 'province', 'region', 'state', 'district', 'port', 'island']);

/** compromise lexicon tags of people's names. */
export const PERSON_LEXICON_TAGS = new Set(['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'ProperNoun']);

/** compromise lexicon tags that make a word a place. */
export const LEXICON_PLACE_TAGS = new Set(['Country', 'City', 'Region', 'Place', 'Town', 'Continent']);

/** Verbs that attribute a quotation to a speaker ('…,' he said / said X / X said "…" / according to X). */
export const SPEECH_VERBS = new Set(
  ('said says say told tells added adds declared declares announced announces stated states insisted insists warned warns wrote ' +
    'writes tweeted tweets posted claimed claims asked asks replied replies explained explains argued argues noted notes urged ' +
    'urges called calls described describes denounced condemned condemns admitted admits revealed reveals suggested suggests ' +
    'predicted predicts confirmed confirms acknowledged conceded complained recalled agreed responded commented remarked ' +
    'stressed emphasised emphasized maintained reiterated according'
  ).split(
    ' ',
  ),
);

/**
 * Which name tag wins where two overlap (then the longer). Organisation names ending in a head word are the most
 * specific: they contain places and titles ('Military Command of the Niger Armed Forces'). The lexicon's people beat
 * its organisations and places ('State Antony' is no place in 'Secretary of State Antony Blinken'); places found only
 * by context come last.
 */
export const PRIORITY = {
  headedOrganisation: 4,
  lexiconPerson: 3,
  titledPerson: 2,
  lexiconOrganisation: 2,
  lexiconPlace: 1,
  acronym: 1,
  contextPlace: 0,
  surname: 0,
} as const;

/** Parts of speech a speaker's noun phrase is made of (wink's Universal Dependencies tags), and the possessive. */
export const NOUN_PHRASE_POS = new Set(['PROPN', 'NOUN', 'PRON', 'ADJ', 'DET', 'NUM']);
export const inNounPhrase = (t: Token) => NOUN_PHRASE_POS.has(t.pos) || t.lower === "'s" || t.lower === '’s';
