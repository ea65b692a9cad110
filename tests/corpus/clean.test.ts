// Cleaning: the two real seed articles come out without teasers, captions, source and byline lines, with their
// metadata found, and with every remaining paragraph exactly as in the file; generic cases for each rule.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanArticleText } from '../../src/corpus/clean.js';
import { loadFile } from '../../src/corpus/index.js';
import type { Article } from '../../src/corpus/types.js';
import { AFP_SEED, NBC_SEED, paragraphsOf, readNormalized, seedsDir } from './sources.js';

async function loadSeed(file: string): Promise<Article> {
  const { articles, skipped } = await loadFile(seedsDir, file);
  expect(skipped).toEqual([]);
  expect(articles).toHaveLength(1);
  return articles[0] as Article;
}

describe('the NBC News seed', () => {
  let article: Article;
  let original: string;
  beforeAll(async () => {
    article = await loadSeed(NBC_SEED);
    original = readNormalized(path.join(seedsDir, NBC_SEED));
  });

  it('loses the "You May Also Like" teasers for other stories', () => {
    for (const teaser of ['You May Also Like', 'Wisconsin surgeon', 'Biden says his administration', 'Trump urges Supreme Court', 'Kyrsten Sinema']) {
      expect(article.text).not.toContain(teaser);
    }
  });

  it('loses both lines of each photo caption', () => {
    for (const caption of ['Smoke billows', 'Getty Images', 'Issouf Sanogo', 'attends a meeting with United Nations', 'at the presidential palace in Niamey in 2022']) {
      expect(article.text).not.toContain(caption);
    }
  });

  it('turns the source line into the outlet NBC News', () => {
    expect(article.text).not.toContain('Source: |');
    expect(article.text).not.toContain('Nbcnews.com');
    expect(article.outlet).toBe('NBC News');
  });

  it('moves the byline sentence out of the text into the metadata', () => {
    expect(article.byline).toBe('Mosheh Gains and Courtney Kube reported from Niamey, and Patrick Smith from London.');
    expect(article.text).not.toContain('reported from Niamey');
  });

  it('records the dateline and leaves the opening sentence whole', () => {
    expect(article.dateline).toBe('NIAMEY, Niger');
    expect(article.text.startsWith('NIAMEY, Niger — The army in the west African nation of Niger said Thursday')).toBe(true);
  });

  it('has no publication date: the only date was in a removed caption', () => {
    expect(article.published).toBeNull();
  });

  it('is titled by its first sentence, without the dateline', () => {
    expect(article.title).toBe(
      'The army in the west African nation of Niger said Thursday it would offer no resistance to the forces that seized power in an armed coup this week.',
    );
  });

  it('keeps every article paragraph, each verbatim from the file', () => {
    const paragraphs = paragraphsOf(article.text);
    expect(paragraphs).toHaveLength(11);
    for (const paragraph of paragraphs) expect(original).toContain(paragraph);
    expect(paragraphs.at(-1)).toBe(
      'Antonio Guterres, secretary-general of the United Nations, said on X, the social network formerly known as Twitter: “I condemn in the strongest terms any effort to seize power by force and to undermine democratic governance, peace & stability in Niger.”',
    );
    // Typographic apostrophes and quotes stay as the outlet wrote them.
    expect(article.text).toContain('the West’s fight');
  });
});

describe('the AFP seed carried by UrduPoint', () => {
  let article: Article;
  let original: string;
  beforeAll(async () => {
    article = await loadSeed(AFP_SEED);
    original = readNormalized(path.join(seedsDir, AFP_SEED));
  });

  it('reads the leading stamp into metadata: outlet, date and place', () => {
    expect(article.outlet).toBe('UrduPoint');
    expect(article.published).toBe('2023-07-27');
    expect(article.dateline).toBe('Niamey');
  });

  it('starts the text where the article starts', () => {
    expect(article.text.startsWith("Niger's armed forces chief on Thursday declared his support")).toBe(true);
    expect(article.text).not.toContain('UrduPoint');
    expect(article.text).not.toContain('date 2023-07-27');
  });

  it('keeps all 24 paragraphs, each verbatim from the file, the one run into a subhead split at it', () => {
    const paragraphs = paragraphsOf(article.text);
    expect(paragraphs).toHaveLength(25);
    for (const paragraph of paragraphs) expect(original).toContain(paragraph);
    expect(paragraphs.at(-1)).toBe("But an attempted coup took place just days before Bazoum's inauguration, according to a security source at the time.");
  });

  it('drops the inline subheads ("- Coup-prone - ", "- Condemnation - "), keeping the sentences they open', () => {
    expect(article.text).not.toMatch(/Coup-prone|Condemnation/);
    expect(paragraphsOf(article.text)).toContain(
      'The landlocked state is one of the poorest and most unstable countries in the world, experiencing four coups since gaining independence from France in 1960, as well as numerous other attempts -- including two previously against Bazoum.',
    );
    expect(article.text).toContain('poor economic and social governance."\n\nThe parties in Niger\'s ruling coalition denounced');
  });

  it('has no byline, since the story gives none', () => {
    expect(article.byline).toBeNull();
  });
});

describe('cleanArticleText', () => {
  it('drops captions whatever the agency, with their alt-text line, and keeps sentences that mention an agency', () => {
    const source = [
      'Protesters marched through the capital on Friday.',
      'Crowds gather outside the parliament in Niamey.\nCrowds gather outside the parliament building in Niamey on Friday. Jane Roe / Reuters',
      'Soldiers stand guard at the airport. (AP Photo/Sam Mednick)',
      'The junta closed the airport.\nPhoto: John Doe/EPA-EFE',
      'Riot police near the French embassy. Marc Dupont / The New York Times',
      'A spokesman for the officers spoke to Reuters.',
      'The statement was confirmed by a diplomat, according to AFP.',
    ].join('\n\n');
    const { text } = cleanArticleText(source);
    expect(text).toBe(
      [
        'Protesters marched through the capital on Friday.',
        'The junta closed the airport.',
        'A spokesman for the officers spoke to Reuters.',
        'The statement was confirmed by a diplomat, according to AFP.',
      ].join('\n\n'),
    );
  });

  it('keeps an article line that shares a paragraph with a caption but does not repeat it', () => {
    const source = 'The president was last seen on Wednesday.\nSoldiers outside the presidential palace. AFP – Getty Images';
    expect(cleanArticleText(source).text).toBe('The president was last seen on Wednesday.');
  });

  it('cuts everything after "You May Also Like", even paragraphs that look like news', () => {
    const source = 'The army backed the coup.\n\nYou May Also Like:\n\nA full sentence about another story.\n\nAnother one.';
    expect(cleanArticleText(source).text).toBe('The army backed the coup.');
  });

  it('cuts a trailing "Related" block of teaser lines but keeps article paragraphs after a "Related" line', () => {
    const teasers = 'The army backed the coup.\n\nRelated\n\nMali junta delays elections\n\nBurkina Faso suspends a broadcaster after…';
    expect(cleanArticleText(teasers).text).toBe('The army backed the coup.');

    const article = 'The army backed the coup.\n\nRelated\n\nThe United States said it was monitoring the situation.';
    expect(cleanArticleText(article).text).toBe(article);
  });

  it('drops "Read more:" link lines', () => {
    const source = 'The army backed the coup.\n\nRead more: Who are Niger’s new rulers\n\nThe borders were closed.';
    expect(cleanArticleText(source).text).toBe('The army backed the coup.\n\nThe borders were closed.');
  });

  it('names the outlet from a source line, using the bare domain for a site it does not know', () => {
    expect(cleanArticleText('Text.\n\nSource: | This article originally belongs to Reuters.com').outlet).toBe('Reuters');
    const unknown = cleanArticleText('Text.\n\nThis article originally appeared on www.sahel-news.example');
    expect(unknown.outlet).toBe('sahel-news.example');
    expect(unknown.text).toBe('Text.');
  });

  it('takes no outlet from a data source line', () => {
    const cleaned = cleanArticleText('Uranium output fell.\n\nSource: World Nuclear Association');
    expect(cleaned.outlet).toBeNull();
    expect(cleaned.text).toContain('Source: World Nuclear Association');
  });

  it('records a dateline only when a sentence follows it', () => {
    expect(cleanArticleText('LONDON, England — The talks ended.').dateline).toBe('LONDON, England');
    expect(cleanArticleText('ECOWAS — the regional bloc — met on Sunday.').dateline).toBeNull();
  });

  it('keeps a sentence that merely starts with "Source:"', () => {
    const source = 'Source: the ministry said the count was not final.';
    const cleaned = cleanArticleText(`The army backed the coup.\n\n${source}`);
    expect(cleaned.text).toContain(source);
    expect(cleaned.outlet).toBeNull();
  });

  it('moves "By" lines and reporting credits into the byline', () => {
    expect(cleanArticleText('By Jane Roe and John Doe\n\nThe army backed the coup.')).toMatchObject({
      byline: 'Jane Roe and John Doe',
      text: 'The army backed the coup.',
    });
    expect(cleanArticleText('The army backed the coup.\n\n(Reporting by Jane Roe; Editing by John Doe)')).toMatchObject({
      byline: '(Reporting by Jane Roe; Editing by John Doe)',
      text: 'The army backed the coup.',
    });
    expect(cleanArticleText('The army backed the coup.\n\nJane Roe contributed to this report.').byline).toBe(
      'Jane Roe contributed to this report.',
    );
  });

  it('does not mistake news sentences for bylines', () => {
    const source = 'By Thursday the junta had closed the borders.\n\nThe ministry reported from the capital that all was calm.';
    expect(cleanArticleText(source)).toMatchObject({ text: source, byline: null });
  });

  it('takes a short first line without a final full stop as the headline', () => {
    expect(cleanArticleText('Niger junta closes borders\n\nThe junta closed the borders.')).toMatchObject({
      headline: 'Niger junta closes borders',
      text: 'The junta closed the borders.',
    });
    const noHeadline = 'The junta closed the borders.\n\nTrade stopped.';
    expect(cleanArticleText(noHeadline)).toMatchObject({ headline: null, text: noHeadline });
  });

  it('drops a wire subhead only between " - " marks before a capitalised sentence', () => {
    expect(cleanArticleText('The army moved in.\n\n- Sanctions - The bloc closed its borders.').text).toBe('The army moved in.\n\nThe bloc closed its borders.');
    expect(cleanArticleText('Troops fired. - Curfew - Shops shut early.').text).toBe('Troops fired.\n\nShops shut early.');
    // A list item and a clause set off by dashes are text.
    const kept = [
      '- The government should resign.',
      'Niger - a landlocked state - is poor.',
      'The vote was 12 - 3 - After that, talks began.',
      // A run-in awards list: the labels are content.
      'The awards date from 1976. - Best lighting design - His Dark Materials at the Olivier - Best sound design - The Woman in White at the Palace',
    ];
    for (const text of kept) expect(cleanArticleText(text).text).toBe(text);
  });

  it('reads a bare "date" stamp as the publication date and ignores an impossible one', () => {
    expect(cleanArticleText('date 2023-07-27 The junta closed the borders.')).toMatchObject({
      published: '2023-07-27',
      text: 'The junta closed the borders.',
    });
    expect(cleanArticleText('date 2023-02-30 The junta closed the borders.').published).toBeNull();
  });

  it('normalises line endings and Unicode but keeps typographic quotes', () => {
    const decomposed = 'Cafe\u0301 owners said “business is slow.”\r\n\r\nThe junta’s curfew began.';
    const { text } = cleanArticleText(decomposed);
    expect(text).toBe('Café owners said “business is slow.”\n\nThe junta’s curfew began.');
    expect(text).toBe(text.normalize('NFC'));
  });

  it('cleans pasted blobs in moments, still finding a credit at the end of a long caption line', () => {
    // Each took from seconds to hours: the stamp, dateline and credit patterns backtracked over the whole line.
    const blobs = [`${' '.repeat(100_000)}x\n\nThe junta closed the borders.`, `${'A.'.repeat(500_000)}B more`, `NIAMEY${'A'.repeat(1_000_000)}`];
    for (const blob of blobs) {
      const started = performance.now();
      cleanArticleText(blob);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    const caption = `${'Protesters gather in the capital with flags. '.repeat(20)}Issouf Sanogo / AFP`;
    expect(cleanArticleText(`${caption}\n\nThe junta closed the borders.`).text).toBe('The junta closed the borders.');
  });

  it('drops invisible format characters, which split words, and keeps compatibility forms as written', () => {
    const { text } = cleanArticleText('The \u200bjunta ﬂed Ni\u00adger\u202e on Monday.\n\nIt took 5 km².');
    expect(text).toBe('The junta ﬂed Niger on Monday.\n\nIt took 5 km².');
  });
});
