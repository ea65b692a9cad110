// The BBC News CSV (../shared/corpora/bbc-news): 2,225 rows load as 2,225 articles with row ids, non-empty titles and
// their text untouched, and readSourceText gives a row's text back.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile, readSourceText } from '../../src/corpus/index.js';
import type { LoadResult } from '../../src/corpus/types.js';
import { bbcCsv } from './sources.js';

describe('the BBC News corpus', () => {
  const dir = path.dirname(bbcCsv);
  const file = path.basename(bbcCsv);
  let result: LoadResult;
  let rows: Array<{ text: string }>;

  beforeAll(async () => {
    // The configured article limit (5 MB) is smaller than the file: it applies to each row, not to the corpus file.
    result = await loadFile(dir, file, { maxBytes: 5_000_000 });
    rows = parse(readFileSync(bbcCsv), { columns: true });
  }, 60_000);

  it('loads every row as an article, numbered by row', () => {
    expect(result.skipped).toEqual([]);
    expect(result.articles).toHaveLength(2225);
    expect(result.articles[0]?.id).toBe('bbc-news-0001');
    expect(result.articles.at(-1)?.id).toBe('bbc-news-2225');
  });

  it('titles each article with the opening of its text', () => {
    for (const article of result.articles) {
      expect(article.title.trim()).not.toBe('');
      expect(article.title.length).toBeLessThanOrEqual(201);
    }
    expect(result.articles[0]?.title).toBe(
      'Sella wants Michalak recall Former France centre Philippe Sella believes coach Bernard Laporte must recall Frederic Michalak to give his side any chance of beating Ireland.',
    );
  });

  it('keeps every row text as it is and guesses no metadata the file does not give', () => {
    result.articles.forEach((article, index) => {
      expect(article.text).toBe(rows[index]?.text.trim());
      expect(article).toMatchObject({ outlet: null, published: null, url: null });
    });
  });

  it('reads a row back as its source text', async () => {
    const article = result.articles[41];
    expect(article).toBeDefined();
    if (article) expect(await readSourceText(dir, article)).toBe(rows[41]?.text);
  });
});
