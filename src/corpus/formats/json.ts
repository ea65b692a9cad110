// JSON articles: a .json file holds one article object or an array of them; .ndjson/.jsonl hold one object a line.
// Each record is validated with zod; a bad record is reported and the others load.
import { z } from 'zod';
import { ArticleFileError } from '../errors.js';
import { describeSchemaError, metadataFields, toGivenMetadata } from '../metadata.js';
import type { ParsedSourceFile, SourceFormat, SourceRecord } from './source-format.js';

const articleRecordSchema = z
  .object(
    {
      ...metadataFields,
      text: z
        .string({
          error: (issue) =>
            issue.input === undefined ? 'missing: every article needs its body in a "text" field' : 'must be a string',
        })
        .refine((text) => text.trim() !== '', 'is empty: every article needs its body in a "text" field'),
    },
    { error: 'expected an object with a "text" field' },
  )
  .transform((fields) => ({ text: fields.text, given: toGivenMetadata(fields) }));

function parseRecord(value: unknown, key: string | null, location: string | null): SourceRecord | string {
  const parsed = articleRecordSchema.safeParse(value);
  return parsed.success ? { key, location, ...parsed.data } : describeSchemaError(parsed.error);
}

/** JSON.parse's message plus the line and column, which is what an editor can jump to. */
function describeJsonError(error: unknown, content: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position) return message;
  const before = content.slice(0, Number(position[1])).split('\n');
  return `${message} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

export const jsonFormat: SourceFormat = {
  holds: 'many',
  parse(content, file) {
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new ArticleFileError(file, `not valid JSON: ${describeJsonError(error, content)}`, { cause: error });
    }
    if (!Array.isArray(value)) {
      const record = parseRecord(value, null, null);
      if (typeof record === 'string') throw new ArticleFileError(file, `invalid article: ${record}`);
      return { records: [record], rejected: [] };
    }
    const result: ParsedSourceFile = { records: [], rejected: [] };
    value.forEach((item, index) => {
      const location = `record ${index + 1}`;
      const record = parseRecord(item, String(index + 1), location);
      if (typeof record === 'string') result.rejected.push({ location, reason: record });
      else result.records.push(record);
    });
    return result;
  },
};

export const ndjsonFormat: SourceFormat = {
  holds: 'many',
  parse(content) {
    const result: ParsedSourceFile = { records: [], rejected: [] };
    let recordNumber = 0;
    content.split('\n').forEach((line, index) => {
      if (!line.trim()) return;
      // Numbered among non-blank lines, so a blank line added later does not change the other articles' ids.
      recordNumber++;
      const location = `line ${index + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        result.rejected.push({ location, reason: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      const record = parseRecord(value, String(recordNumber), location);
      if (typeof record === 'string') result.rejected.push({ location, reason: record });
      else result.records.push(record);
    });
    return result;
  },
};
