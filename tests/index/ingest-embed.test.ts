// How a build makes its vectors: passage vectors from the model or from their sentences (PASSAGE_VECTORS), each
// distinct text through the model once, sentences of one or two words borrowing a neighbour's vector, and a build
// stopped part-way resumed from the vectors it had kept instead of from zero.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Embedder, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { passageVectorsFor } from '../../src/index/index.js';
import { loadIndex } from '../../src/index/store.js';
import { MODELS_DIR, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';
import { sentenceVectorsOf, vectorOf } from './index-files.js';

const fixtures: IndexFixture[] = [];
afterEach(async () => {
  for (const fx of fixtures.splice(0)) await fx.cleanup();
});

async function fixture(withSeeds = true): Promise<IndexFixture> {
  const fx = await makeIndexFixture({ withSeeds });
  fixtures.push(fx);
  return fx;
}

const loadOffline = () => Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: MODELS_DIR, allowRemote: false });

function normalisedMean(vectors: Float32Array[]): Float32Array {
  const mean = new Float32Array(vectors[0]!.length);
  for (const v of vectors) v.forEach((x, k) => (mean[k]! += x));
  const norm = Math.hypot(...mean);
  return mean.map((x) => x / norm);
}

describe('passage vectors', () => {
  it('come from their sentences when asked: no passage goes through the model, and each is the mean of its sentences', async () => {
    const fx = await fixture();
    const report = await fx.ingest({ passageVectors: 'sentences' });
    expect(report.embeddedPassages).toBe(0);
    expect(report.embeddedSentences).toBeGreaterThan(report.passages);
    const index = await loadIndex(fx.indexDir);
    expect(index.manifest.passages.vectors).toBe('sentences');
    for (const p of index.passages) {
      const expected = normalisedMean(sentenceVectorsOf(index, p.id));
      vectorOf(index, p.id).forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 5));
    }
  });

  it('switching where they come from rebuilds everything and says why', async () => {
    const fx = await fixture();
    await fx.ingest();
    const report = await fx.ingest({ passageVectors: 'sentences' });
    expect(report).toMatchObject({ fullRebuild: true, reason: 'passage vectors now come from their sentences (PASSAGE_VECTORS=sentences)' });
    expect((await fx.ingest({ passageVectors: 'sentences' })).changed).toBe(false);
    // Unset again, the model's own choice applies, and the reason says so rather than naming a setting nobody made.
    const back = await fx.ingest({ passageVectors: undefined });
    expect(back).toMatchObject({ fullRebuild: true });
    expect(back.reason).toMatch(/^passage vectors now come from the model \(the default for .+\)$/);
  });
});

describe('a build on worker processes (EMBEDDING_WORKERS)', () => {
  it('writes the vectors a build in one process writes', async () => {
    const inline = await fixture();
    await inline.ingest({ embeddingWorkers: 0 });
    const pooled = await fixture();
    const embedder = await loadOffline();
    const logs: string[] = [];
    try {
      await pooled.ingest({ embeddingWorkers: 2, embedder, log: (m) => logs.push(m) });
    } finally {
      await embedder.dispose();
    }
    // It did run on two workers, not on its own session after a failed start.
    expect(embedder.workerUsage.processes).toBe(2);
    expect(logs.filter((m) => /embedding worker/.test(m))).toEqual([]);
    const [a, b] = await Promise.all([loadIndex(inline.indexDir), loadIndex(pooled.indexDir)]);
    expect(b.passages.map((p) => p.id)).toEqual(a.passages.map((p) => p.id));
    for (const p of a.passages) {
      expect(Array.from(vectorOf(b, p.id))).toEqual(Array.from(vectorOf(a, p.id)));
      expect(sentenceVectorsOf(b, p.id).map((v) => Array.from(v))).toEqual(sentenceVectorsOf(a, p.id).map((v) => Array.from(v)));
    }
  });
});

describe('where passage vectors come from when PASSAGE_VECTORS is unset', () => {
  it("is the requested model's measured choice: sentences for e5-small-v2, the model for the others; PASSAGE_VECTORS wins", () => {
    expect(passageVectorsFor({ model: 'Xenova/e5-small-v2' })).toBe('sentences');
    expect(passageVectorsFor({ model: 'intfloat/e5-small-v2' })).toBe('sentences');
    expect(passageVectorsFor({ model: 'Xenova/e5-small-v2', passageVectors: 'model' })).toBe('model');
    expect(passageVectorsFor({ model: 'Xenova/bge-small-en-v1.5' })).toBe('model');
    expect(passageVectorsFor({ model: OFFLINE_MODEL_ID })).toBe('model');
    expect(passageVectorsFor({ model: OFFLINE_MODEL_ID, passageVectors: 'sentences' })).toBe('sentences');
  });

  it('an e5-small-v2 build runs no passage through the model (also when it falls back to the offline model)', async () => {
    const fx = await fixture();
    const logs: string[] = [];
    const report = await fx.ingest({ model: 'Xenova/e5-small-v2', log: (m) => logs.push(m) });
    expect(report.embeddedPassages).toBe(0);
    expect((await loadIndex(fx.indexDir)).manifest.passages.vectors).toBe('sentences');
    // Asked again the same way, nothing changes; asked for the model's passage vectors, it rebuilds.
    expect((await fx.ingest({ model: 'Xenova/e5-small-v2', log: (m) => logs.push(m) })).changed).toBe(false);
    expect(await fx.ingest({ model: 'Xenova/e5-small-v2', passageVectors: 'model', log: (m) => logs.push(m) })).toMatchObject({ fullRebuild: true });
  });
});

describe('sentences through the model', () => {
  it('embeds a sentence repeated under the same headline once, and gives one- or two-word sentences a neighbour\'s vector', async () => {
    const fx = await fixture(false);
    await mkdir(fx.sourcesDir, { recursive: true });
    const body = (extra: string) =>
      '---\ntitle: Storm closes the coast road\n---\n' +
      'The coast road between the two harbours was closed on Monday after the storm brought down a cliff face. ' +
      `Engineers said it would stay shut for a week. ${extra}`;
    await writeFile(path.join(fx.sourcesDir, 'a.md'), body('Why? The council has not said.'));
    await writeFile(path.join(fx.sourcesDir, 'b.md'), body('Ferries will run an extra service each morning.'));
    const texts: string[] = [];
    const report = await fx.ingest({ onEmbedTexts: (t) => texts.push(...t.passages, ...t.sentences) });
    const index = await loadIndex(fx.indexDir);
    const sentences = index.passages.flatMap((p) => p.sentences.map((s) => index.articleById.get(p.articleId)!.text.slice(s.start, s.end)));
    const distinct = new Set(index.passages.flatMap((p) => p.sentenceRows!)).size;
    expect(sentences).toContain('Why?');
    // Four sentences and three, two of them shared, "Why?" short: 7 rows, 7 − 2 − 1 = 4 through the model.
    expect(distinct).toBe(7);
    expect(report.embeddedSentences).toBe(4);
    expect(report.shortSentences).toBe(1);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.some((t) => t.endsWith('\nWhy?'))).toBe(false);

    const [a] = index.passages.filter((p) => index.articleById.get(p.articleId)!.file.endsWith('a.md'));
    const vectors = sentenceVectorsOf(index, a!.id);
    const why = a!.sentences.findIndex((s) => index.articleById.get(a!.articleId)!.text.slice(s.start, s.end) === 'Why?');
    expect(vectors[why]).toEqual(vectors[why - 1]);
  });
});

describe('a build stopped part-way', () => {
  it('keeps the vectors it computed, and the next build embeds only the rest', async () => {
    const fx = await fixture();
    const embedder = await loadOffline();
    try {
      // Stopped after the first batch of the model, as a Ctrl-C or a crash would stop it.
      const run = embedder.embedBatch.bind(embedder);
      let batches = 0;
      embedder.embedBatch = async (texts: string[]) => {
        if (++batches > 1) throw new Error('stopped');
        return run(texts);
      };
      await expect(fx.ingest({ embedder })).rejects.toThrow('stopped');
      expect(await readdir(path.join(fx.indexDir, 'cache'))).not.toHaveLength(0);
      embedder.embedBatch = run;

      const logs: string[] = [];
      const resumed = await fx.ingest({ embedder, log: (m) => logs.push(m) });
      const total = resumed.embeddedPassages + resumed.embeddedSentences + resumed.cachedVectors;
      expect(resumed.cachedVectors).toBe(32); // one batch
      expect(resumed.embeddedPassages + resumed.embeddedSentences).toBe(total - 32);
      expect(logs).toContain(`resuming a build that was stopped: 32 of ${total} vectors were already computed`);
      // The committed build holds every vector; the cache is gone.
      expect(await readdir(fx.indexDir)).not.toContain('cache');

      // The same vectors as a build that was never stopped.
      const fresh = await fixture();
      await fresh.ingest({ embedder });
      const [x, y] = [await loadIndex(fx.indexDir), await loadIndex(fresh.indexDir)];
      expect(x.vectors).toEqual(y.vectors);
      expect(x.sentenceVectors).toEqual(y.sentenceVectors);
    } finally {
      await embedder.dispose();
    }
  });
});
