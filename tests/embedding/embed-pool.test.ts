import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { EmbedPool } from '../../src/embedding/embed-pool.js';

const modelsDir = path.resolve('models');

// Sentences written for this test: varied lengths, so batches of different token counts go to different workers.
const texts = Array.from({ length: 60 }, (_, i) =>
  [
    `Soldiers detained the president in the capital on day ${i}.`,
    'The regional bloc threatened sanctions.',
    `Markets fell ${i} points as oil prices rose and investors sold shares in the largest banks of the region.`,
    'Why?',
  ][i % 4]!,
);

describe('embedding on worker processes', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir, allowRemote: false, log: (m) => expect.fail(m) });
  });
  afterAll(() => embedder.dispose());

  it('gives every text the vector this process gives it, in order, and reports each batch once', async () => {
    const inline = await embedder.embedPassages(texts, { batchSize: 4, workers: 0 });
    const seen: number[] = [];
    const progress: number[] = [];
    const pooled = await embedder.embedPassages(texts, {
      batchSize: 4,
      workers: 2,
      onBatch: (indices) => seen.push(...indices),
      onProgress: (_done, _total, fraction) => progress.push(fraction),
    });
    expect(pooled).toHaveLength(texts.length);
    pooled.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(inline[i]!)));
    expect(seen.sort((a, b) => a - b)).toEqual(texts.map((_, i) => i));
    expect(progress).toHaveLength(texts.length / 4);
    expect(progress.at(-1)).toBeCloseTo(1, 10);
  });

  it('refuses to start, saying why, when a worker would embed with another model than asked', async () => {
    await expect(EmbedPool.open(1, { model: 'nobody/no-such-model', modelsDir, quantized: true }, 100)).rejects.toThrow(
      `an embedding worker could not load nobody/no-such-model: it loaded ${OFFLINE_MODEL_ID} instead of nobody/no-such-model`,
    );
  });
});
