// openCoverage reads the offline word vectors (60 MB) only when query expansion will use them: a model whose tuning
// turns expansion off (e5-small's) opens without them, which is a third of a one-shot `ask` on a slow machine.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSeedCoverage, type SeedCoverage } from '../support/seed-coverage.js';

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/embedding/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/embedding/index.js')>();
  return {
    ...original,
    loadWordVectors: (...args: Parameters<typeof original.loadWordVectors>) => {
      loads.count++;
      return original.loadWordVectors(...args);
    },
  };
});

let seed: SeedCoverage;
beforeAll(async () => {
  seed = await openSeedCoverage();
});
afterAll(() => seed?.close());

describe('openCoverage and the word vectors', () => {
  it('reads them when the tuning expands questions (the offline model), not when expansion is off', async () => {
    // The seed index is built with the offline model, whose tuning turns expansion on.
    expect(loads.count).toBe(1);
    const withExpansion = await seed.reopen({});
    expect(loads.count).toBe(2);
    const without = await seed.reopen({ expansion: { weight: 0 } });
    expect(loads.count).toBe(2);
    // Without them the same question is still answered from the same article.
    const question = 'Who was detained by the presidential guard?';
    const [a, b] = [await withExpansion.answer(question, { threshold: 0 }), await without.answer(question, { threshold: 0 })];
    expect(b.quotes[0]?.source.id).toBe(a.quotes[0]?.source.id);
  });
});
