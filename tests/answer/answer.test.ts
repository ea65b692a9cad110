// The answer API on a real index of the seed articles: questions the coverage answers (new paraphrases, not the dev set),
// questions it does not, outlet and date filters, corroboration across outlets, and whatever chat users type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestionError, stripChatMarkup } from '../../src/answer/answer.js';
import { unmentionedNames } from '../../src/answer/focus.js';
import { formatTerminal } from '../../src/answer/format/terminal.js';
import type { Answer } from '../../src/answer/types.js';
import { AFP_FILE, NBC_FILE, expectVerbatim, openSeedCoverage, type SeedCoverage } from '../support/seed-coverage.js';

let seed: SeedCoverage;
const ask = (question: string, options?: Parameters<SeedCoverage['coverage']['answer']>[1]) => seed.coverage.answer(question, options);
const verbatim = (answer: Answer) => expectVerbatim(answer, seed.coverage.index, seed.fixture.sourcesDir);

beforeAll(async () => {
  seed = await openSeedCoverage();
});
afterAll(() => seed?.close());

describe('questions the seed coverage answers', () => {
  const cases: Array<[question: string, expected: string]> = [
    ['How many U.S. troops are in Niger?', '1,100'],
    ['Who is the armed forces chief?', 'Abdou Sidikou Issa'],
    ['What did Antonio Guterres say?', 'condemn'],
    ['What aircraft did France land at the airport in Niamey?', 'A400'],
    ['Which neighbouring president came to mediate?', 'Patrice Talon'],
    ['What flags were some supporters of the coup holding?', 'Russian flags'],
    ['How old is Bazoum?', '63-year-old'],
    ['Who was Bazoum right-hand man to?', 'Mahamadou Issoufou'],
    ['How many coups has Niger experienced since independence?', 'four coups'],
    ['Who speaks for the National Council for the Safeguarding of the Country?', 'Amadou Abdramane'],
    ['Who fired warning shots?', 'Presidential Guard'],
  ];
  // Shown as an answer or, when the calibrated confidence is middling, as the closest coverage under its label: either
  // way the reader sees the quote (the share answered outright is in the cross-validated figures of docs/evaluation.md).
  it.each(cases)('%s → a top-3 quote holds "%s"', async (question, expected) => {
    const answer = await ask(question);
    expect(answer.outcome).not.toBe('not-covered');
    const top = answer.quotes.slice(0, 3).map((q) => q.text);
    expect(top.some((t) => t.includes(expected)), `top quotes: ${JSON.stringify(top)}`).toBe(true);
    await verbatim(answer);
  });

  // The seeds write "the European Union"; the question's acronym, plain or dotted, must find that sentence first.
  it.each(['What did the EU say about Niger?', 'What did the E.U. say about Niger?'])('%s → quotes the European Union first', async (question) => {
    const answer = await ask(question);
    expect(answer.outcome).not.toBe('not-covered');
    expect(answer.quotes[0]?.text).toContain('the European Union said Niger was');
  });

  // Threshold 0 where what is tested is the quotes and citations, not whether the fitted decision is sure enough.
  it('cites each quoted article once, with its outlet, in the sources', async () => {
    const answer = await ask('When was Bazoum elected?', { threshold: 0 });
    const cited = new Set(answer.quotes.flatMap((q) => [q.source.id, ...q.corroboration.map((c) => c.source.id)]));
    expect(new Set(answer.sources.map((s) => s.id))).toEqual(cited);
    expect(answer.sources).toHaveLength(cited.size);
    for (const s of answer.sources) expect(s.outlet).toMatch(/NBC News|UrduPoint/);
  });

  it('returns at most k quotes', async () => {
    const one = await ask('When was Bazoum elected?', { k: 1, threshold: 0 });
    expect(one.answered).toBe(true);
    expect(one.quotes).toHaveLength(1);
  });
});

describe('how far a quote reaches', () => {
  /** How many of its article's sentences a quote spans. */
  const sentencesIn = async (quote: Answer['quotes'][number]) => {
    const passages = await seed.coverage.index.articlePassages(quote.source.id);
    const starts = new Set(passages.flatMap((p) => p.sentences.map((s) => s.start)));
    return [...starts].filter((start) => start >= quote.start && start < quote.end).length;
  };

  it('quotes only the sentence when it holds the kind of value asked for (a number for "how many")', async () => {
    const answer = await ask('How many U.S. troops are in Niger?');
    expect(answer.quotes[0]!.text).toContain('1,100');
    expect(await sentencesIn(answer.quotes[0]!)).toBe(1);
  });

  it('adds the following sentence when the best one only restates the matter: the detail usually comes next', async () => {
    const answer = await ask('What did the army urge?');
    const first = answer.quotes[0]!;
    expect(first.text.startsWith('The army urged the controlling force')).toBe(true);
    expect(await sentencesIn(first)).toBe(2);
    // Never a sentence twice: a continuation is not quoted again on its own.
    const texts = answer.quotes.map((q) => q.text);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) expect(texts[i]!.includes(texts[j]!)).toBe(false);
    await verbatim(answer);
  });
});

describe('questions the seed coverage does not answer', () => {
  it("says which of the question's names no indexed article mentions", async () => {
    const answer = await ask('How much did Google pay when it bought YouTube?');
    expect(answer.outcome).toBe('not-covered');
    expect(answer.unmentioned).toEqual(['Google', 'YouTube']);
    expect(formatTerminal(answer)).toContain('None of the indexed articles mentions Google or YouTube.');
  });

  it('names a name of several words whole, not the one word no article has', async () => {
    const answer = await ask('Who won the World Cup?');
    expect(answer.outcome).toBe('not-covered');
    expect(answer.unmentioned).toEqual(['World Cup']);
    expect(formatTerminal(answer)).toContain('None of the indexed articles mentions World Cup.\n');
  });

  it('does not call a name unmentioned when the coverage has it in another form', () => {
    const indexed = (term: string) => seed.coverage.index.termStats.df.has(term);
    // The seeds say "Nigerien" and "Niamey", never "YouTube".
    expect(unmentionedNames(['Nigeriens', 'Niamey', 'YouTube'], indexed)).toEqual(['YouTube']);
  });

  // The seeds spell it out ("In Brussels, the European Union said…"); users write "EU" or "E.U.".
  it('does not call an acronym unmentioned when a candidate article spells it out', async () => {
    const answer = await ask('What did the EU say about the weather in Paris?');
    expect(answer.outcome).toBe('not-covered');
    expect(answer.unmentioned).toEqual(['Paris']);
  });

  const offTopic = [
    'How do I make a lasagne?',
    'What is the price of bitcoin?',
    'How do I reset my router password?',
    'Who won the Champions League final?',
    // Teasers for other stories on the NBC page, removed at ingestion: their words must not make them answerable.
    'What did Donald Trump ask the Supreme Court?',
    'What happened to the Wisconsin surgeon on the hike?',
  ];
  it.each(offTopic)('%s → not answered, no quotes, a few closest articles', async (question) => {
    const answer = await ask(question);
    expect(answer.answered).toBe(false);
    expect(answer.quotes).toEqual([]);
    expect(answer.sources.length).toBeLessThanOrEqual(3);
    const text = formatTerminal(answer);
    expect(text).toContain('does not answer');
    expect(text).not.toContain('“');
  });
});

describe('filters', () => {
  const question = 'What did the coup leaders decide?';

  it('--outlet keeps quotes, corroborations and sources to that outlet (case-insensitive)', async () => {
    for (const outlet of ['NBC', 'nbc news']) {
      const answer = await ask(question, { outlet });
      expect(answer.outcome).not.toBe('not-covered');
      expect(answer.quotes[0]!.text).toContain('put an end to the regime');
      const outlets = answer.quotes.flatMap((q) => [q.source.outlet, ...q.corroboration.map((c) => c.source.outlet)]);
      expect(new Set(outlets)).toEqual(new Set(['NBC News']));
      expect(answer.sources.map((s) => s.file)).toEqual([NBC_FILE]);
    }
  });

  it('since/until leave out undated articles and apply inclusively to the dated one (2023-07-27)', async () => {
    for (const options of [{ since: '2023-07-01' }, { until: '2023-07-27' }, { since: '2023-07-27', until: '2023-07-27' }]) {
      const answer = await ask(question, options);
      // Quotes shown (answered or the closest coverage: how sure the fitted decision is belongs to the tuning files).
      expect(answer.outcome, JSON.stringify(options)).not.toBe('not-covered');
      expect(answer.quotes.length, JSON.stringify(options)).toBeGreaterThan(0);
      const files = answer.quotes.flatMap((q) => [q.source.file, ...q.corroboration.map((c) => c.source.file)]);
      expect(new Set(files), JSON.stringify(options)).toEqual(new Set([AFP_FILE]));
    }
  });

  // (An outlet no article comes from is refused outright: tests/answer/coverage.test.ts.)
  it.each([{ since: '2023-07-28' }, { until: '2023-07-26' }, { outlet: 'NBC', since: '2000-01-01' }])(
    'a filter nothing matches (%o) → not answered, nothing cited',
    async (options) => {
      const answer = await ask(question, options);
      expect(answer.answered).toBe(false);
      expect(answer.quotes).toEqual([]);
      expect(answer.sources).toEqual([]);
    },
  );
});

describe('corroboration', () => {
  it('attaches the other outlet’s report of the same fact to the quote, and the terminal says "also reported by"', async () => {
    // Both outlets report the army command's statement: NBC paraphrases it, AFP quotes it. Threshold 0: what is tested
    // is the corroboration, not whether the fitted decision is sure enough to call it an answer.
    const answer = await ask('Which declaration did the army subscribe to?', { threshold: 0 });
    expect(answer.answered).toBe(true);
    const quote = answer.quotes.find((q) => q.corroboration.length > 0);
    expect(quote, JSON.stringify(answer.quotes.map((q) => q.text))).toBeDefined();
    expect(quote!.text).toContain('avoid a deadly confrontation');
    for (const c of quote!.corroboration) {
      expect(c.source.outlet).not.toBe(quote!.source.outlet);
      expect(c.text).toContain('avoid a deadly confrontation');
    }
    await verbatim(answer);
    const other = quote!.corroboration[0]!.source.outlet!;
    expect(formatTerminal(answer)).toMatch(new RegExp(`^ {4}also reported by ${other} \\[\\d\\]$`, 'm'));
  });
});

describe('what chat users type', () => {
  it.each(['', '   \n\t ', '<@123> <#456> @everyone', '***'])('%j → QuestionError saying the question is empty', async (question) => {
    await expect(ask(question)).rejects.toThrow(QuestionError);
    await expect(ask(question)).rejects.toThrow(/question is empty/);
  });

  it('reads a 10,000-character question up to the model’s limit and answers it', async () => {
    const repeated = 'Who is the armed forces chief? '.repeat(400).slice(0, 9_960);
    // Words past the model's limit are dropped; read, they would count as unmatched question terms.
    const tail = ' Wisconsin surgeon lasagne bitcoin';
    const long = await ask(repeated + tail, { threshold: 0 });
    expect(long.question.length).toBeGreaterThanOrEqual(9_900);
    expect(long.answered).toBe(true);
    expect(long.evidence?.termShare).toBe(1);
    expect(long.quotes.some((q) => q.text.includes('Abdou Sidikou Issa'))).toBe(true);
    const short = await ask(`Who is the armed forces chief?${tail}`, { threshold: 0 });
    expect(short.evidence!.termShare).toBeLessThan(0.5);
    await verbatim(long);
  });

  it('answers a question wrapped in Markdown, mentions and emoji as it answers the plain question', async () => {
    const plain = await ask('Who is the armed forces chief?', { threshold: 0 });
    const decorated = await ask('**Who** is the _armed forces_ chief? <@123> <@!456> <:niger:789012> @everyone @here 🇳🇪🔥 https://example.com/x', { threshold: 0 });
    expect(decorated.answered).toBe(true);
    expect(decorated.quotes.map((q) => q.text)).toEqual(plain.quotes.map((q) => q.text));
    expect(decorated.question).toBe('Who is the armed forces chief? 🇳🇪🔥');
  });

  // Each once turned an answered question into a hedge or a decline: the question is normalised (NFKC, format
  // characters dropped) before anything reads it.
  it.each([
    ['a leading zero-width space', '\u200bWho is the armed forces chief?', 'Who is the armed forces chief?'],
    ['a right-to-left override', '\u202eWho is the armed forces chief?', 'Who is the armed forces chief?'],
    ['a soft hyphen', 'Who is the armed for\u00adces chief?', 'Who is the armed forces chief?'],
    ['the "ﬂ" ligature', 'What ﬂags were some supporters of the coup holding?', 'What flags were some supporters of the coup holding?'],
    ['fullwidth letters', 'Ｗｈｏ is the armed forces ｃｈｉｅｆ?', 'Who is the armed forces chief?'],
  ])('answers a question with %s as it answers the plain one', async (_label, question, plainQuestion) => {
    const plain = await ask(plainQuestion);
    const odd = await ask(question);
    expect(odd.outcome).toBe(plain.outcome);
    expect(odd.quotes.map((q) => q.text)).toEqual(plain.quotes.map((q) => q.text));
  });

  it.each([
    ['Spanish', '¿Quién es el presidente de Níger?'],
    ['Russian', 'Кто президент Нигера?'],
    ['Chinese', '尼日尔的总统是谁？'],
    ['one 10,000-character word', 'x'.repeat(10_000)],
    ['emoji only', '🇳🇪🔥💥'],
    ['code', 'SELECT * FROM passages; --'],
    ['unbalanced quotes', '"unbalanced “quotes'],
  ])('%s → an answer or a no-answer, never an error', async (_label, question) => {
    const answer = await ask(question);
    expect(answer.quotes.length > 0).toBe(answer.outcome !== 'not-covered');
    expect(formatTerminal(answer).length).toBeGreaterThan(0);
    await verbatim(answer);
  });
});

describe('stripChatMarkup', () => {
  it('removes mentions, custom emoji, @everyone/@here, links and Markdown markers, keeping the words', () => {
    expect(stripChatMarkup('<@!123> **Who** leads `the` ~~coup~~ now? <a:wave:42> @here see https://x.test/a?b=1 > quoted || spoiler ||')).toBe(
      'Who leads the coup now? see quoted spoiler',
    );
  });
});
