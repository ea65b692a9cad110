// Metadata helpers: dates normalised to ISO or null, ids from file names, outlet names from domains, fallback titles.
import { describe, expect, it } from 'vitest';
import { articleId, buildArticle, normalizePublished, outletFromDomain, titleFromText, type ArticleFields } from '../../src/corpus/metadata.js';

const article: ArticleFields = { id: 'a', title: 'T', outlet: null, published: null, byline: null, dateline: null, url: null, file: 'a.txt', text: 'The junta met.' };

describe('normalizePublished', () => {
  it.each([
    ['2023-07-27', '2023-07-27'],
    ['27th Jul, 2023', '2023-07-27'],
    ['27 July 2023', '2023-07-27'],
    ['July 27, 2023', '2023-07-27'],
    ['Sept. 2, 2023', '2023-09-02'],
    ['2023-07-27T10:15:00+01:00', '2023-07-27T10:15:00+01:00'],
    ['2023-07-27 10:15', '2023-07-27T10:15'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizePublished(input)).toBe(expected);
  });

  it('reads the Date objects YAML makes of bare dates, keeping a time when there is one', () => {
    expect(normalizePublished(new Date('2023-07-27T00:00:00Z'))).toBe('2023-07-27');
    expect(normalizePublished(new Date('2023-07-27T08:30:00Z'))).toBe('2023-07-27T08:30:00.000Z');
  });

  it.each(['2023-02-30', '31st Jun, 2023', 'yesterday', '07/27/2023', '', 20230727, null, new Date('invalid')])(
    'gives null for %s rather than guessing',
    (input) => {
      expect(normalizePublished(input)).toBeNull();
    },
  );
});

describe('articleId', () => {
  it('is the lowercased path without extension, unsafe characters as "-"', () => {
    expect(articleId('000_b9dabca082e516ec.txt', null)).toBe('000_b9dabca082e516ec');
    expect(articleId('News/Niger Coup (AFP).md', null)).toBe('news-niger-coup-afp');
    expect(articleId('Café Reports.html', null)).toBe('cafe-reports');
  });

  it('keeps letters and digits of every script, so names without Latin letters stay apart', () => {
    const ids = ['статья.txt', '新闻.txt', 'άρθρο.txt', 'مقالة.txt', '뉴스.md', 'समाचार.txt', 'Статья 2.txt'].map((f) => articleId(f, null));
    expect(ids).toEqual(['статья', '新闻', 'άρθρο', 'مقالة', '뉴스', 'समाचार', 'статья-2']);
    expect(new Set(ids).size).toBe(ids.length);
    // Latin letters still lose their accents, as before: ids of existing indexes do not change.
    expect(articleId('Sécurité Niamey.txt', null)).toBe('securite-niamey');
    // Only punctuation and symbols: there is nothing to keep.
    expect(articleId('★★.txt', null)).toBe('article');
  });

  it('adds the record key for multi-article files', () => {
    expect(articleId('bbc-news.csv', '0001')).toBe('bbc-news-0001');
    expect(articleId('feed.ndjson', '3')).toBe('feed-3');
  });
});

describe('outletFromDomain', () => {
  it('names known news sites and keeps the bare domain of others', () => {
    expect(outletFromDomain('Nbcnews.com')).toBe('NBC News');
    expect(outletFromDomain('www.theguardian.com')).toBe('The Guardian');
    expect(outletFromDomain('edition.cnn.com')).toBe('CNN');
    expect(outletFromDomain('www.Sahel-Info.example')).toBe('sahel-info.example');
  });
});

describe('titleFromText', () => {
  it('is the first sentence, not fooled by abbreviations', () => {
    expect(titleFromText('Meanwhile, U.S. forces in Niger were confined to base. Officials said more.', null)).toBe(
      'Meanwhile, U.S. forces in Niger were confined to base.',
    );
  });

  it('leaves out the dateline', () => {
    expect(titleFromText('WASHINGTON (AP) — The Pentagon paused training. It said more.', 'WASHINGTON')).toBe('The Pentagon paused training.');
  });

  it('keeps only the text of masked links, even where the cut falls inside one', () => {
    expect(titleFromText('Read [the junta’s statement](https://example.com/a_(b)) on TV.', null)).toBe('Read the junta’s statement on TV.');
    const long = `The junta read [its statement](https://example.com/${'x'.repeat(100)}) on television on Wednesday evening.`;
    expect(titleFromText(long, null)).toBe('The junta read its statement on television on Wednesday evening.');
    expect(buildArticle({ ...article, title: '[Coup in Niger](https://example.com/coup) live' }).title).toBe('Coup in Niger live');
  });

  it('cuts a very long first sentence at a word boundary', () => {
    const title = titleFromText(`${'word '.repeat(80)}end.`, null);
    expect(title.length).toBeLessThanOrEqual(201);
    expect(title).toMatch(/^word( word)+…$/);
  });
});
