// The product on real transformer models (made by `npm run dev-models`: all-MiniLM-L6-v2, bge-small-en-v1.5 and
// e5-small-v2), with remote loading off: the seed index is built with the model from MODELS_DIR without any hub notice,
// the manifest and /status name the model, and a question about the seeds is answered with the right, verbatim quote.
// A model without a tuning file (src/answer/tuning/) runs on the conservative defaults, which must say so once. One
// index per model, shared by the file's tests.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCoverage } from '../../src/answer/coverage.js';
import { ingest } from '../../src/index/ingest.js';
import { CONSERVATIVE_TUNING, TUNING_DIR, tuningFileName } from '../../src/answer/tuning.js';
import { readManifest } from '../../src/index/store.js';
import { MODELS_DIR, SEEDS_DIR, testIngestOptions } from '../support/index-fixture.js';
import { realModels } from '../support/real-models.js';
import { expectVerbatim } from '../support/seed-coverage.js';

for (const model of realModels()) {
  describe.skipIf(model.skip !== undefined)(`with ${model.id}`, () => {
    if (model.skip) console.log(`skipped: ${model.skip}`);
    let root: string;
    let sourcesDir: string;
    let indexDir: string;
    const messages: string[] = [];
    let coverage: Awaited<ReturnType<typeof openCoverage>>;

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-real-model-'));
      sourcesDir = path.join(root, 'seeds');
      indexDir = path.join(root, 'index');
      await cp(SEEDS_DIR, sourcesDir, { recursive: true });
      await ingest({ ...testIngestOptions(sourcesDir, indexDir), model: model.id, allowRemoteModels: false, log: (m) => messages.push(m) });
      coverage = await openCoverage({ indexDir, sourcesDir, modelsDir: MODELS_DIR, allowRemoteModels: false, log: (m) => messages.push(m) });
    });
    afterAll(async () => {
      await coverage?.embedder.dispose();
      if (root) await rm(root, { recursive: true, force: true });
    });

    it('builds the index with the model itself: no hub or fallback notice, the manifest and /status name it', async () => {
      expect(messages.filter((m) => /could not load|offline model/.test(m))).toEqual([]);
      expect((await readManifest(indexDir))?.model.id).toBe(model.id);
      expect(coverage.embedder.modelId).toBe(model.id);
      expect(coverage.status().model).toBe(model.id);
      if (existsSync(path.join(TUNING_DIR, tuningFileName(model.id)))) {
        expect(messages.filter((m) => /no tuning/.test(m))).toEqual([]);
        expect(coverage.tuning.model).toBe(model.id);
      } else {
        expect(messages.filter((m) => /no tuning/.test(m))).toHaveLength(1);
        expect(coverage.tuning).toBe(CONSERVATIVE_TUNING);
      }
    });

    // Loads the real model from MODELS_DIR and answers through it. Which of the shown quotes ranks first is measured by
    // the cross-validated evaluation (docs/evaluation.md), not here: with MiniLM's fitted settings the foreign minister's sentence
    // about "its elected president" and the Bazoum sentence tie for first.
    it('answers a question about the seeds with the right verbatim quote among those shown', async () => {
      // Threshold 0: what the model does here is rank the sentences; whether its tuning (or the conservative default
      // of a model without one) is sure enough to answer outright is measured by the cross-validated evaluation.
      const answer = await coverage.answer("Who is Niger's elected president?", { threshold: 0 });
      expect(answer.outcome).toBe('answered');
      expect(answer.quotes.some((q) => /Bazoum/.test(q.text))).toBe(true);
      expect(await expectVerbatim(answer, coverage.index, sourcesDir)).toBeGreaterThan(0);
    });

    // A large build embeds on worker processes, each with its own one-thread session (src/embedding/embed-pool.ts): the
    // vectors must be the ones this process's session gives, or a build's vectors would depend on where they were made.
    it('gives the same vectors on worker processes as on its own session', async () => {
      const seed = await readFile(path.join(sourcesDir, (await readdir(sourcesDir)).sort()[0]!), 'utf8');
      const sentences = seed.split(/(?<=[.!?])\s+/).slice(0, 16);
      const own = await coverage.embedder.embedPassages(sentences, { batchSize: 4, workers: 0 });
      const pooled = await coverage.embedder.embedPassages(sentences, { batchSize: 4, workers: 2 });
      pooled.forEach((v, i) => {
        const cosine = v.reduce((sum, x, k) => sum + x * own[i]![k]!, 0);
        expect(cosine).toBeGreaterThan(0.99999);
      });
      expect(messages.filter((m) => /embedding worker/.test(m))).toEqual([]);
    });

    it('declines a question the coverage does not answer', async () => {
      const answer = await coverage.answer('What is the recipe for a classic margherita pizza?');
      expect(answer.outcome).toBe('not-covered');
      expect(answer.quotes).toEqual([]);
    });
  });
}
