// The vectors a stopped build had computed: read back for the same model and text only, kept in chunks as they come,
// and a damaged chunk is dropped (said, and computed again) rather than trusted.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_DIR, CHUNK_VECTORS, cacheKey, clearVectorCache, packChunk, unpackChunk, VectorCache } from '../../src/index/vector-cache.js';

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function indexDir(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-cache-'));
  roots.push(root);
  return root;
}

const vector = (seed: number, d = 4) => Float32Array.from({ length: d }, (_, i) => Math.sin(seed + i));

describe('VectorCache', () => {
  it('gives back what a previous run kept, for the same model and exact text only', async () => {
    const dir = await indexDir();
    const first = await VectorCache.open(dir, 'Xenova/e5-small-v2 int8', 4);
    first.add('passage: Soldiers seized power.', vector(1));
    first.add('Soldiers seized power.', vector(2));
    await first.flush();

    const again = await VectorCache.open(dir, 'Xenova/e5-small-v2 int8', 4);
    expect(again.size).toBe(2);
    expect(again.get('passage: Soldiers seized power.')).toEqual(vector(1));
    expect(again.get('Soldiers seized power.')).toEqual(vector(2));
    expect(again.get('Soldiers seized power')).toBeUndefined();
    const otherModel = await VectorCache.open(dir, 'Xenova/e5-small-v2 fp32', 4);
    expect(otherModel.get('Soldiers seized power.')).toBeUndefined();
  });

  it('writes a chunk as soon as one is full, without waiting for the end of the run', async () => {
    const dir = await indexDir();
    const cache = await VectorCache.open(dir, 'm', 4);
    for (let i = 0; i < CHUNK_VECTORS + 3; i++) cache.add(`text ${i}`, vector(i));
    // Only the full chunk is on disk before the flush (a kill here would keep it).
    const reader = () => VectorCache.open(dir, 'm', 4);
    let onDisk = 0;
    for (let tries = 0; tries < 100 && onDisk === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      onDisk = (await reader()).size;
    }
    expect(onDisk).toBe(CHUNK_VECTORS);
    await cache.flush();
    expect((await reader()).size).toBe(CHUNK_VECTORS + 3);
  });

  it('drops a damaged chunk and says so, keeping the others', async () => {
    const dir = await indexDir();
    const cache = await VectorCache.open(dir, 'm', 4);
    cache.add('kept', vector(1));
    await cache.flush();
    const bytes = packChunk([{ key: cacheKey('m', 'lost'), vector: vector(2) }], 4);
    await writeFile(path.join(dir, CACHE_DIR, 'zz-damaged.vec'), bytes.subarray(0, bytes.length - 6));
    await writeFile(path.join(dir, CACHE_DIR, 'zz-cut-off.vec.tmp'), 'half a chunk');
    const logs: string[] = [];
    const again = await VectorCache.open(dir, 'm', 4, (m) => logs.push(m));
    expect(again.get('kept')).toEqual(vector(1));
    expect(again.get('lost')).toBeUndefined();
    expect(logs).toEqual([expect.stringMatching(/^dropped the damaged vector cache file .*zz-damaged\.vec \(.*truncated.*\); its vectors will be computed again$/)]);
    expect((await readdir(path.join(dir, CACHE_DIR))).length).toBe(1);

    await clearVectorCache(dir);
    expect((await VectorCache.open(dir, 'm', 4)).size).toBe(0);
  });

  it('refuses a chunk of another width or with vectors that are not numbers', () => {
    const key = cacheKey('m', 't');
    expect(() => unpackChunk(packChunk([{ key, vector: vector(1, 8) }], 8), 4)).toThrow(/8-dimensional vectors where 4/);
    expect(() => unpackChunk(packChunk([{ key, vector: Float32Array.of(1, Number.NaN, 0, 0) }], 4), 4)).toThrow(/not finite/);
    expect(unpackChunk(packChunk([{ key, vector: vector(3) }], 4), 4)).toEqual({ keys: [key], vectors: [vector(3)] });
  });
});
