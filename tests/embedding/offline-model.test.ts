import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOfflineModel,
  Embedder,
  ensureOfflineModel,
  loadWordVectors,
  OFFLINE_MODEL_ID,
  offlineModelDir,
  WordVectors,
} from '../../src/embedding/index.js';

const modelsDir = path.resolve('models');

describe('word vectors of the offline model', () => {
  let vectors: WordVectors;
  beforeAll(async () => {
    vectors = await loadWordVectors(modelsDir);
  });

  it('finds synonyms of "toppled" for query expansion', () => {
    const words = vectors.nearestWords('toppled', 10, 0.5).map((n) => n.word);
    expect(words.some((w) => ['ousted', 'overthrown', 'deposed'].includes(w))).toBe(true);
  });

  it('returns at most k neighbours above minCosine, best first, without the word itself, ignoring case', () => {
    const found = vectors.nearestWords('Troops', 5, 0.7);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(5);
    expect(found.map((n) => n.word)).not.toContain('troops');
    for (const [i, n] of found.entries()) {
      expect(n.cosine).toBeGreaterThanOrEqual(0.7);
      if (i > 0) expect(n.cosine).toBeLessThanOrEqual(found[i - 1]!.cosine);
    }
    expect(vectors.nearest('troops', 5, 0.7)).toEqual(found);
    expect(vectors.nearestWords('troops', 5, 0.99)).toEqual([]);
  });

  it('knows nothing about words outside its vocabulary', () => {
    expect(vectors.nearestWords('zxqvqwzx', 5, 0)).toEqual([]);
    expect(vectors.vector('zxqvqwzx')).toBeUndefined();
  });

  it('holds unweighted unit vectors', () => {
    for (const word of ['the', 'coup', 'niamey']) {
      const v = vectors.vector(word)!;
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
  });

  it('rejects a matrix that does not fit the vocabulary', () => {
    expect(() => new WordVectors(['a', 'b'], new Float32Array(3), 2)).toThrow(/expected 2 x 2/);
  });
});

describe('the offline model folder', () => {
  it('is a transformers.js model whose graph takes only input_ids', async () => {
    const dir = offlineModelDir(modelsDir);
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 100 });
    const embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir, allowRemote: false });
    try {
      const session = (embedder as unknown as { extractor: { model: { session: { inputNames: string[]; outputNames: string[] } } } }).extractor.model.session;
      expect(session.inputNames).toEqual(['input_ids']);
      expect(session.outputNames).toEqual(['last_hidden_state']);
    } finally {
      await embedder.dispose();
    }
  });
});

// One small build in a temporary folder, taken through its life in order: built, reused, outdated, damaged.
describe('building the offline model', () => {
  let dir: string;
  let modelDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'coverage-bot-offline-'));
    modelDir = offlineModelDir(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const markerFile = () => path.join(modelDir, 'build.json');
  const onnxFile = () => path.join(modelDir, 'onnx', 'model_quantized.onnx');

  it('builds a smaller vocabulary on request, reporting each stage', async () => {
    const stages = new Set<string>();
    const info = await buildOfflineModel(dir, { vocabSize: 5000, onProgress: (stage) => stages.add(stage) });
    expect(info).toEqual({ dir: modelDir, vocabSize: 5000, dimensions: 100 });
    expect([...stages]).toEqual(['reading word vectors', 'vocabulary', 'common components', 'writing']);
    expect((await loadWordVectors(dir)).words).toHaveLength(5000);

    // "toppled" ranks ~8,000th: outside a 5,000-word vocabulary it is one unknown token.
    const embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: dir, allowRemote: false });
    try {
      expect(embedder.countTokens('toppled')).toBe(1);
      const [unknown, army] = await embedder.embedPassages(['toppled', 'army']);
      expect(unknown!.every(Number.isFinite)).toBe(true);
      expect(unknown).not.toEqual(army);
    } finally {
      await embedder.dispose();
    }
  });

  it('reuses a current build and rebuilds an outdated one', async () => {
    const built = JSON.parse(await readFile(markerFile(), 'utf8'));
    let progressCalls = 0;
    await ensureOfflineModel(dir, { onProgress: () => progressCalls++ });
    expect(progressCalls).toBe(0);

    await writeFile(markerFile(), JSON.stringify({ ...built, version: built.version - 1 }));
    await ensureOfflineModel(dir, { vocabSize: 5000, onProgress: () => progressCalls++ });
    expect(progressCalls).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(markerFile(), 'utf8')).version).toBe(built.version);
  });

  it('silently rebuilds, at its vocabulary size, a build whose file was truncated', async () => {
    await writeFile(onnxFile(), 'not a model');
    const embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: dir, allowRemote: false, log: (m) => expect.fail(m) });
    try {
      expect(await embedder.embedQuery('army')).toHaveLength(100);
    } finally {
      await embedder.dispose();
    }
    expect((await loadWordVectors(dir)).words).toHaveLength(5000);
  });

  it('rebuilds, with one message, a model file the runtime cannot read', async () => {
    await writeFile(onnxFile(), Buffer.alloc((await stat(onnxFile())).size, 0xff));
    const messages: string[] = [];
    const embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir: dir, allowRemote: false, log: (m) => messages.push(m) });
    try {
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/could not be loaded .*; rebuilding it$/);
      expect(await embedder.embedQuery('army')).toHaveLength(100);
    } finally {
      await embedder.dispose();
    }
    expect((await loadWordVectors(dir)).words).toHaveLength(5000);
  });
});
