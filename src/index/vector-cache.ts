// The vectors a build has computed so far, kept in the index folder (`cache/`) so that a first build stopped part-way
// (Ctrl-C, a crash, a reboot) resumes where it was instead of embedding everything again: with a transformer model the
// embedding is nearly all of a build's minutes. Each vector is filed under the sha256 of the model id and the exact
// text the model read, so a vector is only ever reused for the same text under the same model. Chunks are written as
// batches finish (a kill loses at most one chunk's worth), each atomically (a temp file renamed), and read back checked;
// a damaged chunk is dropped, never trusted. A committed build holds its own vectors, so the cache is cleared then.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { packTables, TableFormatError, unpackTables } from './binary.js';

export const CACHE_DIR = 'cache';
const CHUNK_EXTENSION = '.vec';
/** Vectors per chunk file: 512 × 384 dimensions is 0.8 MB, about 10 s of a transformer's work on 2 cores. */
export const CHUNK_VECTORS = 512;
const KEY_WORDS = 8; // a sha256 as 8 u32

const chunkHeaderSchema = z.object({
  format: z.literal('coverage-bot vector cache'),
  version: z.literal(1),
  dimensions: z.number().int().positive(),
  count: z.number().int().nonnegative(),
});

/** The cache key of `text` as read by `model`: sha256 over both, so equal texts under another model never match. */
export function cacheKey(model: string, text: string): string {
  return createHash('sha256').update(model).update('\0').update(text).digest('hex');
}

/** Errors that mean the disk or a file size limit is full: the build's own write fails with the same, and says so. */
const OUT_OF_ROOM: ReadonlySet<string> = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

export class VectorCache {
  private readonly vectors = new Map<string, Float32Array>();
  private pending: Array<{ key: string; vector: Float32Array }> = [];
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  private constructor(
    private readonly dir: string,
    private readonly model: string,
    private readonly dimensions: number,
    private readonly log: (message: string) => void,
  ) {}

  /** The cache of `indexDir` for `model`, with every readable chunk loaded; unreadable ones are reported and removed. */
  static async open(indexDir: string, model: string, dimensions: number, log: (message: string) => void = () => {}): Promise<VectorCache> {
    const cache = new VectorCache(path.join(indexDir, CACHE_DIR), model, dimensions, log);
    await cache.load();
    return cache;
  }

  /** Vectors read back from earlier runs. */
  get size(): number {
    return this.vectors.size;
  }

  get(text: string): Float32Array | undefined {
    return this.vectors.get(cacheKey(this.model, text));
  }

  /**
   * Keeps `vector` for `text` on disk, with the next full chunk (or `flush`). Not held in memory past its write: the
   * build that computed it has it, and a whole corpus's vectors twice over would raise a 10× build's peak memory.
   */
  add(text: string, vector: Float32Array): void {
    const key = cacheKey(this.model, text);
    if (this.vectors.has(key)) return;
    this.pending.push({ key, vector });
    if (this.pending.length >= CHUNK_VECTORS) this.writeChunk();
  }

  /** Writes what is pending and waits for every write so far. */
  async flush(): Promise<void> {
    if (this.pending.length > 0) this.writeChunk();
    await this.writing;
  }

  private writeChunk(): void {
    const entries = this.pending;
    this.pending = [];
    // One write at a time, in order; a failure (a full disk) only costs resumability, so it is said once, not thrown:
    // the build itself reports a lack of room when it writes the index.
    this.writing = this.writing.then(async () => {
      if (this.failed) return;
      try {
        await mkdir(this.dir, { recursive: true });
        const name = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
        const file = path.join(this.dir, name + CHUNK_EXTENSION);
        await writeFile(`${file}.tmp`, packChunk(entries, this.dimensions));
        await rename(`${file}.tmp`, file);
      } catch (error) {
        this.failed = true;
        // A lack of room is said once, in one line, by the build when it writes the index; anything else is said here.
        if (!OUT_OF_ROOM.has((error as NodeJS.ErrnoException).code ?? '')) {
          this.log(`could not keep computed vectors in ${this.dir} (${(error as Error).message}); a stopped build would start again`);
        }
      }
    });
  }

  private async load(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return; // no cache yet
    }
    for (const name of names.sort()) {
      const file = path.join(this.dir, name);
      if (!name.endsWith(CHUNK_EXTENSION)) {
        // A chunk whose write was cut off before its rename.
        if (name.endsWith(`${CHUNK_EXTENSION}.tmp`)) await rm(file, { force: true });
        continue;
      }
      try {
        const { keys, vectors } = unpackChunk(await readFile(file), this.dimensions);
        keys.forEach((key, i) => this.vectors.set(key, vectors[i]!));
      } catch (error) {
        if (!(error instanceof TableFormatError)) throw error;
        this.log(`dropped the damaged vector cache file ${file} (${error.message}); its vectors will be computed again`);
        await rm(file, { force: true });
      }
    }
  }
}

/** Removes the cache of `indexDir` (a committed build holds its vectors itself). */
export async function clearVectorCache(indexDir: string): Promise<void> {
  await rm(path.join(indexDir, CACHE_DIR), { recursive: true, force: true });
}

/** A chunk's bytes: the keys as 8 u32 each, then the vectors' float bits, in the index's table container. */
export function packChunk(entries: ReadonlyArray<{ key: string; vector: Float32Array }>, dimensions: number): Uint8Array {
  const keys = new Uint32Array(entries.length * KEY_WORDS);
  const floats = new Float32Array(entries.length * dimensions);
  entries.forEach(({ key, vector }, i) => {
    const bytes = Buffer.from(key, 'hex');
    for (let w = 0; w < KEY_WORDS; w++) keys[i * KEY_WORDS + w] = bytes.readUInt32LE(w * 4);
    floats.set(vector, i * dimensions);
  });
  const header: z.infer<typeof chunkHeaderSchema> = { format: 'coverage-bot vector cache', version: 1, dimensions, count: entries.length };
  return packTables(header, [keys, new Uint32Array(floats.buffer)]);
}

/** The keys and vectors of a chunk, checked: its header, its column lengths and its width must all agree. */
export function unpackChunk(bytes: Uint8Array, dimensions: number): { keys: string[]; vectors: Float32Array[] } {
  const { header, columns } = unpackTables(bytes, chunkHeaderSchema, 2);
  const [keyWords, bits] = columns as [Uint32Array, Uint32Array];
  if (header.dimensions !== dimensions) {
    throw new TableFormatError(`it holds ${header.dimensions}-dimensional vectors where ${dimensions} were expected`);
  }
  if (keyWords.length !== header.count * KEY_WORDS || bits.length !== header.count * dimensions) {
    throw new TableFormatError(`its columns do not hold the ${header.count} vectors its header says`);
  }
  const floats = new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  const keys: string[] = [];
  const vectors: Float32Array[] = [];
  const keyBytes = Buffer.from(keyWords.buffer, keyWords.byteOffset, keyWords.byteLength);
  for (let i = 0; i < header.count; i++) {
    keys.push(keyBytes.subarray(i * KEY_WORDS * 4, (i + 1) * KEY_WORDS * 4).toString('hex'));
    const v = floats.subarray(i * dimensions, (i + 1) * dimensions);
    if (!v.every(Number.isFinite)) throw new TableFormatError(`vector ${i + 1} is not finite`);
    vectors.push(v);
  }
  return { keys, vectors };
}
