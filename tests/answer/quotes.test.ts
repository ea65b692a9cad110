// Quote choice (src/answer/quotes.ts) on hand-made fixtures: three short made-up reports of the Niger coup, worded
// after the seed articles (seeds/000_….txt, NBC News; seeds/001_….txt, AFP via UrduPoint) but cut down to a few
// sentences each, so every rule shows on sentences one can read. Scores are set by hand (scoring is sentences.ts's job);
// terms, term shares, answer-type matches and tags are computed as the answer path computes them. Every span asked
// about reads back as it stands unless a test says otherwise (the file check itself is verify.test.ts's).
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/corpus/index.js';
import { classifyQuestion } from '../../src/answer/answer-type.js';
import { chooseQuotes, corroborates, type ChosenQuote, type SpanCheck } from '../../src/answer/quotes.js';
import { weightedTermShare, type ArticleSentence, type ScoredSentence } from '../../src/answer/sentences.js';
import { typeMatchScore } from '../../src/answer/type-match.js';
import { analyze } from '../../src/index/index.js';
import type { AnalyzedQuery } from '../../src/retrieval/index.js';
import { splitSentences } from '../../src/text/sentences.js';
import { tagSentence } from '../../src/text/tags.js';

function article(id: string, outlet: string, text: string): Article {
  return { id, title: id, outlet, published: null, byline: null, dateline: null, url: null, file: `${id}.txt`, contentHash: id, text };
}

const NBC = article(
  'nbc',
  'NBC News',
  'The junta issued a statement on Wednesday. Colonel Amadou Abdramane read it on national television.\n\n' +
    'The U.S. has troops in Niger. About 1,100 of them are stationed at three outposts.\n\n' +
    'The army urged calm. It asked soldiers to return to their barracks.\n\n' +
    'U.S. troops in Niger were confined to their bases.',
);
const AFP = article(
  'afp',
  'AFP',
  'Some 1,100 U.S. troops are in Niger. The coup leaders closed the borders.\n\n' +
    'France and the U.S., allies of Niger with troops and bases in the Sahel, voiced support for Bazoum after the coup.\n\n' +
    'U.S. troops are still in Niger, the Pentagon said.',
);
// The NBC opening again, with a paragraph break between its two sentences.
const WIRE = article('wire', 'Wire', 'The junta issued a statement on Wednesday.\n\nColonel Amadou Abdramane read it on national television.');

const SENTENCES = new Map<string, ArticleSentence[]>(
  [NBC, AFP, WIRE].map((a) => [
    a.id,
    splitSentences(a.text).map((span) => ({ span, row: -1, tags: tagSentence(a.text.slice(span.start, span.end)), passageId: `${a.id}#0` })),
  ]),
);

const COLONEL = "Which colonel read the junta's statement on television?";
const TROOPS = 'How many U.S. troops are in Niger?';

/** Every term weighs the same (no IDF), so shares are counts: "3 of the question's 5 terms". */
const idfOf = () => 1;

function queryOf(question: string): AnalyzedQuery {
  const terms = analyze(question);
  return { question, terms, variants: new Map(), weighted: terms.map((term) => ({ term, weight: 1, source: term })) };
}

/** The sentence of `a` opening with `opening`, as a candidate for `question` scored `score`. */
function candidate(question: string, a: Article, opening: string, score: number): ScoredSentence {
  const sentences = SENTENCES.get(a.id)!;
  const at = sentences.findIndex((s) => a.text.startsWith(opening, s.span.start));
  const sentence = sentences[at];
  if (!sentence) throw new Error(`no sentence of ${a.id} opens with: ${opening}`);
  const text = a.text.slice(sentence.span.start, sentence.span.end);
  const terms = new Set(analyze(text));
  const asked = classifyQuestion(question);
  const typeMatch = asked.type === 'other' ? 0 : typeMatchScore(asked.type, sentence.tags, text, question, asked.subject, asked.granularity);
  return { article: a, sentence, at, text, terms, typeMatch, termShare: weightedTermShare(queryOf(question), terms, idfOf), dense: 0, features: [], score };
}

/**
 * The quotes chosen for `question` from candidates given best first as [article, opening, score]. `fails`: the spans
 * that do not read back as in the file; `checks` receives every span asked about.
 */
function choose(
  question: string,
  candidates: Array<[Article, string, number]>,
  options: { k?: number; fails?: (check: SpanCheck) => boolean; checks?: SpanCheck[] } = {},
): ChosenQuote[] {
  const sentences = candidates.map(([a, opening, score]) => candidate(question, a, opening, score));
  const choice = chooseQuotes(sentences, {
    query: queryOf(question),
    question,
    questionClass: classifyQuestion(question),
    k: options.k ?? 3,
    idfOf,
    sentencesByArticle: SENTENCES,
  });
  let step = choice.next();
  while (!step.done) {
    const check = step.value;
    options.checks?.push(check);
    step = choice.next(options.fails?.(check) ? null : check.article.text.slice(check.start, check.end));
  }
  return step.value;
}

describe('how far a quote reaches', () => {
  it('a quote that starts mid-thought ("read it") takes in the sentence before it, which holds the rest of the question', () => {
    const [quote] = choose(COLONEL, [[NBC, 'Colonel Amadou', 0.9]]);
    expect(quote!.text).toBe('The junta issued a statement on Wednesday. Colonel Amadou Abdramane read it on national television.');
    expect(quote!.start).toBe(0);
  });

  it('marks the asked value where it stands in the longer quote, not where it stood in its sentence', () => {
    const [quote] = choose(COLONEL, [[NBC, 'Colonel Amadou', 0.9]]);
    expect(quote!.text.slice(quote!.answerSpan!.start, quote!.answerSpan!.end)).toBe('Amadou Abdramane');
  });

  it('never takes in a sentence across a paragraph break', () => {
    const [quote] = choose(COLONEL, [[WIRE, 'Colonel Amadou', 0.9]]);
    expect(quote!.text).toBe('Colonel Amadou Abdramane read it on national television.');
  });

  it('joins the next sentence to one that holds no value of the kind asked for: the detail usually comes next', () => {
    const [quote] = choose(TROOPS, [[NBC, 'The U.S. has troops', 0.9]]);
    expect(quote!.text).toBe('The U.S. has troops in Niger. About 1,100 of them are stationed at three outposts.');
  });

  it('quotes a sentence that holds the value asked for on its own', () => {
    const [quote] = choose(TROOPS, [[AFP, 'Some 1,100', 0.9]]);
    expect(quote!.text).toBe('Some 1,100 U.S. troops are in Niger.');
  });

  it('never quotes a sentence twice: the one taken in is not quoted again on its own', () => {
    const quotes = choose(TROOPS, [
      [NBC, 'The U.S. has troops', 0.9],
      [NBC, 'About 1,100', 0.8],
    ]);
    expect(quotes.map((q) => q.text)).toEqual(['The U.S. has troops in Niger. About 1,100 of them are stationed at three outposts.']);
  });

  it('quotes the sentence alone when the two together do not read as in the file (a caption cleaning removed between them)', () => {
    const checks: SpanCheck[] = [];
    const [quote] = choose(COLONEL, [[NBC, 'Colonel Amadou', 0.9]], { fails: (c) => c.start === 0, checks });
    expect(quote!.text).toBe('Colonel Amadou Abdramane read it on national television.');
    expect(quote!.text.slice(quote!.answerSpan!.start, quote!.answerSpan!.end)).toBe('Amadou Abdramane');
    // That failure is expected, so it says nothing about the file.
    expect(checks.map((c) => c.expected)).toEqual([true, false]);
  });
});

describe('which sentences are quoted', () => {
  it('does not show a further quote well below the best one (under 30 % of its score)', () => {
    const below = choose(COLONEL, [
      [NBC, 'Colonel Amadou', 0.9],
      [NBC, 'The army urged', 0.2],
    ]);
    expect(below).toHaveLength(1);
    const above = choose(COLONEL, [
      [NBC, 'Colonel Amadou', 0.9],
      [NBC, 'The army urged', 0.3],
    ]);
    expect(above.map((q) => q.text)).toEqual([
      'The junta issued a statement on Wednesday. Colonel Amadou Abdramane read it on national television.',
      'The army urged calm. It asked soldiers to return to their barracks.',
    ]);
  });

  it('shows at most k quotes', () => {
    const candidates: Array<[Article, string, number]> = [
      [NBC, 'Colonel Amadou', 0.9],
      [NBC, 'The army urged', 0.8],
      [AFP, 'The coup leaders', 0.7],
    ];
    expect(choose(COLONEL, candidates, { k: 2 })).toHaveLength(2);
    expect(choose(COLONEL, candidates, { k: 3 })).toHaveLength(3);
  });

  it('does not show a sentence that no longer reads as in its file; the next one is quoted instead', () => {
    const quotes = choose(
      TROOPS,
      [
        [AFP, 'Some 1,100', 0.9],
        [NBC, 'The U.S. has troops', 0.5],
      ],
      { fails: (c) => c.article === AFP },
    );
    expect(quotes.map((q) => [q.article.id, q.text])).toEqual([
      ['nbc', 'The U.S. has troops in Niger. About 1,100 of them are stationed at three outposts.'],
    ]);
  });
});

describe('corroboration', () => {
  it('attaches the same fact reported by another outlet to the quote instead of quoting it again', () => {
    const quotes = choose(TROOPS, [
      [NBC, 'The U.S. has troops', 0.9],
      [AFP, 'Some 1,100', 0.8],
      [NBC, 'About 1,100', 0.5],
    ]);
    expect(quotes).toHaveLength(1);
    expect(quotes[0]!.article.id).toBe('nbc');
    expect(quotes[0]!.corroboration.map((c) => [c.article.id, c.text])).toEqual([['afp', 'Some 1,100 U.S. troops are in Niger.']]);
  });

  it('attaches another outlet’s report even when it scored too low to be quoted', () => {
    const [quote] = choose(TROOPS, [
      [NBC, 'The U.S. has troops', 0.9],
      [AFP, 'Some 1,100', 0.1],
    ]);
    expect(quote!.corroboration.map((c) => c.text)).toEqual(['Some 1,100 U.S. troops are in Niger.']);
  });

  it('is another outlet sharing most of the quote’s words, both ways — not the same outlet, nor a sentence on other matters', () => {
    const quote = candidate(TROOPS, NBC, 'The U.S. has troops', 0.9);
    const of = (a: Article, opening: string) => candidate(TROOPS, a, opening, 0.5);
    expect(corroborates(NBC, quote.terms, of(AFP, 'Some 1,100'), idfOf)).toBe(true);
    // NBC's own sentence on the troops is no second report, and AFP's sentence on the borders is another fact.
    const own = of(NBC, 'U.S. troops in Niger');
    expect(['us', 'troop', 'niger'].every((t) => own.terms.has(t))).toBe(true);
    expect(corroborates(NBC, quote.terms, own, idfOf)).toBe(false);
    expect(corroborates(NBC, quote.terms, of(AFP, 'The coup leaders'), idfOf)).toBe(false);
    // A long sentence holding the quote's words (U.S., troops, Niger) in passing is not the same fact.
    const passing = of(AFP, 'France and the U.S.');
    expect(['us', 'troop', 'niger'].every((t) => passing.terms.has(t))).toBe(true);
    expect(corroborates(NBC, quote.terms, passing, idfOf)).toBe(false);
  });

  it('attaches one report per article', () => {
    const [quote] = choose(TROOPS, [
      [NBC, 'The U.S. has troops', 0.9],
      [AFP, 'Some 1,100', 0.8],
      [AFP, 'U.S. troops are still', 0.7],
    ]);
    expect(quote!.corroboration).toHaveLength(1);
  });
});
