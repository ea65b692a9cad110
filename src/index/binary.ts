// The binary container of the index's large tables (passages, BM25 postings): a zod-checked JSON header followed by
// unsigned 32-bit columns, so that loading is a view over the file's bytes instead of parsing and validating
// hundreds of thousands of JSON objects (the 10× corpus spent most of its load time there).
//
// Layout: "CBT1", u32 header length, header JSON (UTF-8), zero padding to a multiple of 4, u32 column count, then per
// column its u32 length and its values. Little-endian, as every platform Node runs on.
import { z } from 'zod';

const MAGIC = 'CBT1';

/** Why a table file could not be read (the caller turns it into an IndexLoadError naming the file). */
export class TableFormatError extends Error {}

/** The file's bytes: the header, then the columns. */
export function packTables(header: unknown, columns: readonly Uint32Array[]): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = align4(8 + json.byteLength);
  const total = headerEnd + 4 + columns.reduce((sum, c) => sum + 4 + c.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  view.setUint32(4, json.byteLength, true);
  out.set(json, 8);
  let at = headerEnd;
  view.setUint32(at, columns.length, true);
  at += 4;
  for (const column of columns) {
    view.setUint32(at, column.length, true);
    at += 4;
    out.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), at);
    at += column.byteLength;
  }
  return out;
}

/**
 * The header (checked against `schema`) and `columnCount` columns of a packed file. The columns share one aligned
 * copy of the bytes; each is a view into it.
 */
export function unpackTables<T>(bytes: Uint8Array, schema: z.ZodType<T>, columnCount: number): { header: T; columns: Uint32Array[] } {
  if (bytes.byteLength < 8 || Buffer.from(bytes.subarray(0, 4)).toString('ascii') !== MAGIC) {
    throw new TableFormatError('it is not a coverage-bot table file');
  }
  // One copy into a fresh buffer: the file's bytes may not start on a 4-byte boundary.
  const aligned = new Uint8Array(bytes);
  const view = new DataView(aligned.buffer);
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > aligned.byteLength) throw new TableFormatError('its header is truncated');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(aligned.buffer, 8, headerLength).toString('utf8'));
  } catch (error) {
    throw new TableFormatError(`its header is not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TableFormatError(`its header is malformed (${issue?.path.join('.')}: ${issue?.message})`);
  }
  let at = align4(8 + headerLength);
  const count = at + 4 <= aligned.byteLength ? view.getUint32(at, true) : -1;
  if (count !== columnCount) throw new TableFormatError(`it holds ${count} columns where ${columnCount} were expected`);
  at += 4;
  const columns: Uint32Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = at + 4 <= aligned.byteLength ? view.getUint32(at, true) : -1;
    at += 4;
    if (length < 0 || at + length * 4 > aligned.byteLength) throw new TableFormatError(`column ${i + 1} is truncated`);
    columns.push(new Uint32Array(aligned.buffer, at, length));
    at += length * 4;
  }
  if (at !== aligned.byteLength) throw new TableFormatError('it has bytes past its last column');
  return { header: parsed.data, columns };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
