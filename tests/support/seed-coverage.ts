// Opens the answer API over a real index of the seed articles (offline model, temp folder), and checks quotes against
// the raw article files the way a reader would: the quote is the article text at its offsets and sits in the file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { openCoverage, type CoverageOptions, type LoadedCoverage } from '../../src/answer/coverage.js';
import type { Answer, Citation } from '../../src/answer/types.js';
import type { PassageStore } from '../../src/index/index.js';
import { MODELS_DIR, makeIndexFixture, type IndexFixture } from './index-fixture.js';

/** Seed file names: the NBC News report (no date) and the AFP report carried by UrduPoint (2023-07-27). */
export const NBC_FILE = '000_b9dabca082e516ec.txt';
export const AFP_FILE = '001_f0ef755a6af1d45a.txt';

export interface SeedCoverage {
  fixture: IndexFixture;
  coverage: LoadedCoverage;
  /** The same index opened again with other settings (the loaded model is reused). */
  reopen(extra: Partial<CoverageOptions>): Promise<LoadedCoverage>;
  close(): Promise<void>;
}

export async function openSeedCoverage(): Promise<SeedCoverage> {
  const fixture = await makeIndexFixture();
  await fixture.ingest();
  const open = (extra: Partial<CoverageOptions>) =>
    openCoverage({ indexDir: fixture.indexDir, sourcesDir: fixture.sourcesDir, modelsDir: MODELS_DIR, allowRemoteModels: false, ...extra });
  const coverage = await open({});
  return {
    fixture,
    coverage,
    reopen: (extra) => open({ embedder: coverage.embedder, ...extra }),
    close: async () => {
      await coverage.embedder.dispose();
      await fixture.cleanup();
    },
  };
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Asserts the verbatim guarantee for every quote and corroborating quote of an answer: the text is the cleaned article
 * text at its offsets, and (white space collapsed) occurs in the article's file as it lies in the sources folder.
 * Returns how many quotes were checked.
 */
export async function expectVerbatim(answer: Answer, index: Pick<PassageStore, 'articles'>, sourcesDir: string): Promise<number> {
  const rawFiles = new Map<string, string>();
  const raw = async (c: Citation) => {
    if (!rawFiles.has(c.file)) rawFiles.set(c.file, collapse(await readFile(path.join(sourcesDir, c.file), 'utf8')));
    return rawFiles.get(c.file)!;
  };
  let checked = 0;
  const check = async (q: { text: string; start: number; end: number; source: Citation }) => {
    const [article] = await index.articles([q.source.id]);
    expect(article, `quote cites an unknown article ${q.source.id}`).toBeDefined();
    expect(q.text.length, 'empty quote').toBeGreaterThan(0);
    expect(q.text, `"${q.text}" is not the article text at [${q.start}, ${q.end})`).toBe(article!.text.slice(q.start, q.end));
    expect((await raw(q.source)).includes(collapse(q.text)), `"${q.text}" is not in ${q.source.file}`).toBe(true);
    checked++;
  };
  for (const quote of answer.quotes) {
    await check(quote);
    for (const c of quote.corroboration) await check(c);
  }
  return checked;
}
