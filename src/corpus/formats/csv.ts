// CSV corpora: one article per row, body in a "text" column; title, url, outlet, published, byline and dateline
// columns are used when present. Ids are the file stem plus the zero-padded row number (bbc-news-0001).
import { createRequire } from 'node:module';
import { ArticleFileError } from '../errors.js';
import { describeSchemaError, givenMetadataSchema, type GivenMetadata } from '../metadata.js';
import type { RejectedRecord, SourceFormat } from './source-format.js';

// csv-parse loads on the first CSV file, not in every command that might read one. Its parser and error class come
// from the same (CommonJS) build, so `instanceof CsvError` holds for what `parse` throws.
const require = createRequire(import.meta.url);
const csvParse = (): typeof import('csv-parse/sync') => require('csv-parse/sync') as typeof import('csv-parse/sync');

// Row numbers are padded to at least four digits so ids sort in row order and stay put as a corpus grows past 999 rows.
const MIN_ROW_DIGITS = 4;

interface NumberedRow {
  row: number;
  location: string;
  text: string;
  given: GivenMetadata;
}

export const csvFormat: SourceFormat = {
  holds: 'many',
  parse(content, file) {
    const { parse, CsvError } = csvParse();
    const rows: NumberedRow[] = [];
    const rejected: RejectedRecord[] = [];
    let rowNumber = 0;
    let header: string[] = [];
    try {
      parse(content, {
        bom: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        columns: (names: string[]) => {
          header = names.map((name) => name.trim().toLowerCase());
          if (!header.includes('text')) {
            throw new ArticleFileError(file, `the CSV has no "text" column (its header is: ${names.join(', ')})`);
          }
          return header;
        },
        on_record: (record: Record<string, string>, context) => {
          rowNumber++;
          const location = `row ${rowNumber} (line ${context.lines})`;
          const text = record.text ?? '';
          if (!text.trim()) {
            rejected.push({ location, reason: 'the "text" cell is empty' });
            return null;
          }
          const given = givenMetadataSchema.safeParse(record);
          if (!given.success) rejected.push({ location, reason: describeSchemaError(given.error) });
          else rows.push({ row: rowNumber, location, text, given: given.data });
          // Rows are collected here, in order with the skipped ones; the parser's own array is not needed.
          return null;
        },
        on_skip: (error) => {
          rowNumber++;
          rejected.push({ location: `row ${rowNumber} (line ${error?.lines ?? '?'})`, reason: `not valid CSV: ${error?.message ?? 'unreadable row'}` });
          return undefined;
        },
      });
    } catch (error) {
      if (error instanceof ArticleFileError) throw error;
      if (error instanceof CsvError) throw new ArticleFileError(file, `not valid CSV: ${error.message}`, { cause: error });
      throw error;
    }
    if (!header.length) throw new ArticleFileError(file, 'the CSV has no header row (it needs at least a "text" column)');
    const digits = Math.max(MIN_ROW_DIGITS, String(rowNumber).length);
    return {
      records: rows.map(({ row, location, text, given }) => ({ key: String(row).padStart(digits, '0'), location, text, given })),
      rejected,
    };
  },
};
