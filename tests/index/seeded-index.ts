// Copies of one seeds index, built once per test file: each test gets its own sources and index folders to change,
// without embedding the seeds again.
import { cp } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';

/** Registers the hooks; the returned function gives a fresh copy (removed after the test). */
export function useSeededIndexes(): () => Promise<IndexFixture> {
  let template: IndexFixture;
  const copies: IndexFixture[] = [];
  beforeAll(async () => {
    template = await makeIndexFixture();
    await template.ingest();
  });
  afterEach(async () => {
    for (const fx of copies.splice(0)) await fx.cleanup();
  });
  afterAll(() => template.cleanup());
  return async () => {
    const fx = await makeIndexFixture({ withSeeds: false });
    copies.push(fx);
    await cp(template.sourcesDir, fx.sourcesDir, { recursive: true });
    await cp(template.indexDir, fx.indexDir, { recursive: true });
    return fx;
  };
}
