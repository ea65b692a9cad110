// Shared test scaffolding for the corpus tests: where the repository, seeds and fixtures are, and throwaway source folders.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const seedsDir = path.join(repoRoot, 'seeds');
export const fixturesDir = path.join(repoRoot, 'tests/corpus/fixtures/sources');

/** The NBC News report and the AFP wire story carried by UrduPoint. */
export const NBC_SEED = '000_b9dabca082e516ec.txt';
export const AFP_SEED = '001_f0ef755a6af1d45a.txt';

/** A file's text the way the cleaned text is compared with it: \n line endings, Unicode NFC. */
export function readNormalized(file: string): string {
  return readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').normalize('NFC');
}

export function paragraphsOf(text: string): string[] {
  return text.split(/\n{2,}/);
}

const madeDirs: string[] = [];

/** An empty temporary folder, removed after the test; with `copyFixtures`, a copy of the fixture sources. */
export function tempSourcesDir(copyFixtures = false): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coverage-bot-corpus-'));
  madeDirs.push(dir);
  if (copyFixtures) cpSync(fixturesDir, dir, { recursive: true });
  return dir;
}

afterEach(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
