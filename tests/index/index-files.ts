// What the index tests look at on disk and in a loaded index: the live pointer, the build folders, a passage's vector.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexData } from '../../src/index/store.js';
import { searchLexical } from '../../src/index/lexical.js';

export const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The raw text of `current.json`: which build is live. */
export function readPointer(indexDir: string): Promise<string> {
  return readFile(path.join(indexDir, 'current.json'), 'utf8');
}

/** Names of the build folders under `builds/`, sorted. */
export async function listBuilds(indexDir: string): Promise<string[]> {
  return (await readdir(path.join(indexDir, 'builds'))).sort();
}

/** The live build's folder, as `current.json` names it. */
export async function liveBuildDir(indexDir: string): Promise<string> {
  const { build } = JSON.parse(await readPointer(indexDir)) as { build: string };
  return path.join(indexDir, 'builds', build);
}

/** The stored vector of one passage, by passage id ("article#ordinal"). */
/** The stored vectors of a passage's sentences, in sentence order. */
export function sentenceVectorsOf(index: IndexData, passageId: string): Float32Array[] {
  const passage = index.passages.find((p) => p.id === passageId);
  if (!passage) throw new Error(`no passage ${passageId} in the index`);
  const d = index.manifest.model.dimensions;
  return passage.sentenceRows!.map((row) => index.sentenceVectors.slice(row * d, (row + 1) * d));
}

export function vectorOf(index: IndexData, passageId: string): Float32Array {
  const row = index.passages.findIndex((p) => p.id === passageId);
  if (row < 0) throw new Error(`no passage ${passageId} in the index`);
  const d = index.manifest.model.dimensions;
  return index.vectors.slice(row * d, (row + 1) * d);
}

/** Ids of the articles whose passages a lexical query finds. */
export function lexicalArticles(index: IndexData, query: string): Set<string> {
  const hits = searchLexical(index.lexical!, query, { fieldBoosts: { text: 1, context: 1, outlet: 1 } });
  return new Set(hits.map((hit) => index.passages[hit.label]!.articleId));
}
