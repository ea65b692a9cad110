// The BBC News CSV: every row loads as an article with its row id, a non-empty title and its text untouched, and
// readSourceText gives a row's text back. On the 30-row slice shipped with the tests always, and on the whole corpus
// (../shared/corpora/bbc-news, 2,225 rows) when it is beside the repository.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile, readSourceText } from '../../src/corpus/index.js';
import type { LoadResult } from '../../src/corpus/types.js';
import { BBC_CSV, BBC_SLICE_CSV, BBC_SLICE_ROWS, describeWithShared, type Suite } from '../support/shared-corpus.js';

function describeCorpus(run: Suite, name: string, csv: string, count: number): void {
  run(name, () => {
    const dir = path.dirname(csv);
    const file = path.basename(csv);
    const idOf = (row: number) => `${path.basename(file, '.csv')}-${String(row).padStart(4, '0')}`;
    let result: LoadResult;
    let rows: Array<{ text: string }>;

    beforeAll(async () => {
      // The configured article limit (5 MB) is smaller than the file: it applies to each row, not to the corpus file.
      result = await loadFile(dir, file, { maxBytes: 5_000_000 });
      rows = parse(readFileSync(csv), { columns: true });
    }, 60_000);

    it('loads every row as an article, numbered by row', () => {
      expect(result.skipped).toEqual([]);
      expect(result.articles).toHaveLength(count);
      expect(result.articles[0]?.id).toBe(idOf(1));
      expect(result.articles.at(-1)?.id).toBe(idOf(count));
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
      const row = Math.min(41, count - 1);
      const article = result.articles[row];
      expect(article).toBeDefined();
      if (article) expect(await readSourceText(dir, article)).toBe(rows[row]?.text);
    });
  });
}

describeCorpus(describe, 'the first 30 rows of the BBC News corpus (shipped with the tests)', BBC_SLICE_CSV, BBC_SLICE_ROWS);
describeCorpus(describeWithShared(BBC_CSV), 'the whole BBC News corpus', BBC_CSV, 2225);
