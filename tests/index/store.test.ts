// Index persistence: a written build loads back exactly, and every kind of damage is caught at load with a message that
// says how to rebuild, never half-loaded.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_SCHEMA_VERSION } from '../../src/index/manifest.js';
import { IndexLoadError, loadIndex, writeIndex, type IndexData } from '../../src/index/store.js';
import { loadLexicalIndex, searchLexical } from '../../src/index/lexical.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { listBuilds, liveBuildDir, readPointer, vectorOf } from './index-files.js';

const NBC = '000_b9dabca082e516ec';
const AFP = '001_f0ef755a6af1d45a';

let fx: IndexFixture;
let index: IndexData;
const scratch: string[] = [];

beforeAll(async () => {
  fx = await makeIndexFixture();
  await fx.ingest();
  index = await loadIndex(fx.indexDir);
});

afterAll(async () => {
  await fx.cleanup();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

/** A copy of the seeds index, damaged by `damage` (given the copy's live build folder and index folder). */
async function damagedCopy(damage: (buildDir: string, indexDir: string) => Promise<void>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-store-'));
  scratch.push(root);
  const indexDir = path.join(root, 'index');
  await cp(fx.indexDir, indexDir, { recursive: true });
  await damage(await liveBuildDir(indexDir), indexDir);
  return indexDir;
}

async function loadError(indexDir: string): Promise<IndexLoadError> {
  const error = await loadIndex(indexDir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexLoadError);
  const loadErr = error as IndexLoadError;
  // Every load error tells the user what to run; an index that never existed is built, not "rebuilt".
  expect(loadErr.message).toContain(loadErr.kind === 'missing' ? 'Build it with `npx coverage-bot ingest`.' : 'Rebuild it with `npx coverage-bot ingest`');
  return loadErr;
}

async function editManifest(buildDir: string, edit: (manifest: Record<string, unknown>) => void): Promise<void> {
  const file = path.join(buildDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  await writeFile(file, JSON.stringify(manifest));
}

describe('a loaded index', () => {
  it('holds every seed article and its passages, each passage a verbatim span of its article', () => {
    expect(index.articles.map((a) => a.id)).toEqual([NBC, AFP]);
    expect(index.manifest.counts).toEqual({
      articles: 2,
      passages: index.passages.length,
      sentences: new Set(index.passages.flatMap((p) => p.sentences.map((s) => `${p.articleId}:${s.start}`))).size,
    });
    expect(index.passages.length).toBeGreaterThanOrEqual(4);
    for (const p of index.passages) {
      const article = index.articleById.get(p.articleId)!;
      expect(p.text).toBe(article.text.slice(p.start, p.end));
      expect(p.text.length).toBeGreaterThan(0);
    }
    expect(index.vectors.length).toBe(index.passages.length * index.manifest.model.dimensions);
  });

  it('finds a passage by its own vector and by its words', () => {
    for (const p of index.passages) {
      const [hit] = index.vectorIndex!.search(vectorOf(index, p.id), 1);
      expect(index.passages[hit!.label]!.id).toBe(p.id);
      expect(hit!.similarity).toBeCloseTo(1, 4);
    }
    const hits = searchLexical(index.lexical!, '1,100 troops', { fieldBoosts: { text: 1, context: 1, outlet: 1 } });
    expect(index.passages[hits[0]!.label]!.text).toContain('1,100 troops');
  });

  it('keeps the passage frequency of terms for IDF', () => {
    expect(index.termStats.passages).toBe(index.passages.length);
    const withBazoum = index.passages.filter((p) => /Bazoum/.test(p.text)).length;
    expect(index.termStats.df.get('bazoum')).toBe(withBazoum);
  });
});

describe('loading a damaged or missing index', () => {
  it('reports a missing index folder as missing', async () => {
    const error = await loadError(path.join(fx.root, 'no-such-index'));
    expect(error.kind).toBe('missing');
    expect(error.message).toMatch(/^No index found in .*no-such-index\./);
  });

  it('detects a truncated vector file', async () => {
    const dir = await damagedCopy((build) => truncate(path.join(build, 'vectors.f32'), 1000));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('vectors.f32 is truncated or corrupt');
  });

  it('detects a garbled passages file', async () => {
    const dir = await damagedCopy(async (build) => {
      const file = path.join(build, 'passages.bin');
      const bytes = await readFile(file);
      bytes.fill('#'.charCodeAt(0), 10, 60);
      await writeFile(file, bytes);
    });
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('passages.bin is truncated or corrupt');
  });

  /** A copy whose `file` holds `change(its bytes)`, with the manifest's size and checksum made to match. */
  const rewrittenFile = (file: string, change: (bytes: Uint8Array) => Uint8Array) =>
    damagedCopy(async (build) => {
      const bytes = change(new Uint8Array(await readFile(path.join(build, file))));
      await writeFile(path.join(build, file), bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await editManifest(build, (m) => ((m.files as Record<string, unknown>)[file] = { bytes: bytes.byteLength, sha256 }));
    });
  /** The same, changing the file's words as unsigned 32-bit integers. */
  const rewrittenTable = (file: string, change: (words: Uint32Array) => void) =>
    rewrittenFile(file, (bytes) => {
      change(new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4)));
      return bytes;
    });

  it('still refuses a passages table whose values are out of range, even with a matching checksum', async () => {
    // The last column is the tags' attributions: an index past the attribution list names nobody.
    const dir = await rewrittenTable('passages.bin', (words) => (words[words.length - 1] = 0xffff));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/passages\.bin is malformed: tag \d+ does not fit its sentence/);
    expect(error.message).toContain('Rebuild it with `npx coverage-bot ingest`');
  });

  it('still refuses a truncated passages table with a matching checksum', async () => {
    const dir = await rewrittenFile('passages.bin', (bytes) => bytes.subarray(0, 200));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/passages\.bin is malformed: (its header is truncated|column \d+ is truncated|it holds)/);
  });

  it('still refuses BM25 postings that point past the last passage, even with a matching checksum', async () => {
    // The last column is the term frequencies, the one before it (past its length word) the documents.
    const dir = await rewrittenFile('lexical.bin', (bytes) => {
      const postings = loadLexicalIndex(bytes).docs.length;
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      words[words.length - postings - 2] = 1_000_000; // the last posting's document
      return bytes;
    });
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/lexical\.bin is malformed: posting list \d+ is out of order or out of range/);
  });

  it('detects a removed vector graph', async () => {
    const dir = await damagedCopy((build) => rm(path.join(build, 'hnsw.bin')));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('hnsw.bin is missing');
  });

  it('refuses an index of another schema version as incompatible', async () => {
    const dir = await damagedCopy((build) => editManifest(build, (m) => (m.schemaVersion = INDEX_SCHEMA_VERSION + 1)));
    const error = await loadError(dir);
    expect(error.kind).toBe('incompatible');
    expect(error.message).toContain(`has schema version ${INDEX_SCHEMA_VERSION + 1}; this version of coverage-bot reads version ${INDEX_SCHEMA_VERSION}`);
  });

  it('says which file is damaged, in one line, without echoing what the file holds', async () => {
    let manifest = '';
    const dir = await damagedCopy(async (build) => {
      manifest = path.join(build, 'manifest.json');
      await writeFile(manifest, 'garbage\nsecond line of garbage\n');
    });
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('garbage');
    expect(error.reason).toBe(`The index file ${manifest} is damaged (not valid JSON).`);
  });

  it('detects a garbage pointer file', async () => {
    const dir = await damagedCopy((_build, indexDir) => writeFile(path.join(indexDir, 'current.json'), '\u0000\u0000garbage'));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('current.json is damaged (not valid JSON)');
  });

  it('detects a pointer to a build that is gone', async () => {
    const dir = await damagedCopy((build) => rm(build, { recursive: true }));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain('has no manifest');
  });

  it('detects a manifest that is not an index manifest', async () => {
    const dir = await damagedCopy((build) => editManifest(build, (m) => delete m.model));
    const error = await loadError(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/manifest\.json is damaged \(model: /);
  });
});

describe('writeIndex', () => {
  it('replaces the live build and removes the previous one', async () => {
    const dir = await damagedCopy(async () => {});
    const before = await listBuilds(dir);
    const written = await writeIndex(dir, {
      articles: index.articles,
      passages: index.passages,
      vectors: index.vectors,
      sentenceVectors: index.sentenceVectors,
      model: index.manifest.model,
      passageSettings: index.manifest.passages,
      hnsw: index.manifest.hnsw,
    });
    const after = await listBuilds(dir);
    expect(after).toEqual([path.basename(written.dir)]);
    expect(after).not.toEqual(before);
    const reloaded = await loadIndex(dir);
    expect(reloaded.passages).toEqual(index.passages);
    expect(reloaded.vectors).toEqual(index.vectors);
  });

  it('leaves the old index live and no partial build behind when a build fails', async () => {
    const dir = await damagedCopy(async () => {});
    const pointer = await readPointer(dir);
    const builds = await listBuilds(dir);
    const d = index.manifest.model.dimensions;
    await expect(
      writeIndex(dir, {
        articles: index.articles,
        passages: index.passages,
        // One vector short of the passage table.
        vectors: index.vectors.subarray(0, index.vectors.length - d),
        sentenceVectors: index.sentenceVectors,
        model: index.manifest.model,
        passageSettings: index.manifest.passages,
        hnsw: index.manifest.hnsw,
      }),
    ).rejects.toThrow(/vector table holds/);
    expect(await readPointer(dir)).toBe(pointer);
    expect(await listBuilds(dir)).toEqual(builds);
    expect((await loadIndex(dir)).passages).toHaveLength(index.passages.length);
  });
});
