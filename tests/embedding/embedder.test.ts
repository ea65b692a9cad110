import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Embedder, fallbackVector, OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { modelSettings } from '../../src/embedding/models.js';
import { splitSentences } from '../../src/text/index.js';

const modelsDir = path.resolve('models');
const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(cos(a, a));

describe('Embedder on the offline model', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir, allowRemote: false, log: (m) => expect.fail(m) });
  });
  afterAll(() => embedder.dispose());

  it('loads with 100 dimensions', () => {
    expect(embedder.modelId).toBe(OFFLINE_MODEL_ID);
    expect(embedder.dimensions).toBe(100);
  });

  it('returns unit vectors', async () => {
    const vectors = await embedder.embedPassages(['Niger’s president was detained by his guard.', 'Oil prices rose.']);
    for (const v of vectors) {
      expect(v).toHaveLength(100);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('scores a paraphrase far above an unrelated sentence', async () => {
    const [coup, paraphrase, unrelated] = await embedder.embedPassages([
      'The army seized power in a coup',
      'Soldiers toppled the government',
      'Preheat the oven and bake the bread',
    ]);
    const related = cos(coup!, paraphrase!);
    const unrelatedScore = cos(coup!, unrelated!);
    expect(related).toBeGreaterThan(unrelatedScore);
    // A plain mean of word vectors puts unrelated sentences near 0.7; SIF weighting and common-component removal
    // are what make the gap wide enough to rank by.
    expect(unrelatedScore).toBeLessThan(0.3);
    expect(related - unrelatedScore).toBeGreaterThan(0.3);
  });

  it('embeds text with no known word, and empty text, to a finite unit vector', async () => {
    const [unknown, empty, spaces] = await embedder.embedPassages(['Zxqv Qwzx 12345', '', '   ']);
    for (const v of [unknown!, empty!, spaces!, await embedder.embedQuery('')]) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(cos(unknown!, fallbackVector(100))).toBeCloseTo(1, 5);
  });

  it('lets unknown words barely move a sentence', async () => {
    const [plain, withUnknown] = await embedder.embedPassages(['The army seized power in a coup', 'The army seized power in a coup zxqv 12345 qwzx']);
    expect(cos(plain!, withUnknown!)).toBeGreaterThan(0.9999);
  });

  it('gives the same vectors in batches as one by one, in input order', async () => {
    const texts = [
      'Mohamed Bazoum was elected in 2021.',
      'ECOWAS threatened sanctions.',
      '',
      'The United States has about 1,100 troops in Niger spread out at three outposts.',
      'Zxqv',
      'Rain.',
      'The presidential guard detained the president in the capital, Niamey, on Wednesday.',
    ];
    const progress: Array<[number, number]> = [];
    const work: number[] = [];
    const handed = new Map<number, Float32Array>();
    const batched = await embedder.embedPassages(texts, {
      batchSize: 3,
      onProgress: (d, t, w) => (progress.push([d, t]), work.push(w)),
      onBatch: (indices, vectors) => indices.forEach((i, j) => handed.set(i, vectors[j]!)),
    });
    expect(progress).toEqual([[3, 7], [6, 7], [7, 7]]);
    // Shortest first: the first batches are most of the texts and little of the work.
    expect(work[0]).toBeLessThan(3 / 7);
    expect(work.at(-1)).toBe(1);
    // Each batch's vectors are handed over as it finishes (a build keeps them), the same as returned.
    expect([...handed.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const [i, v] of handed) expect(v).toBe(batched[i]);
    for (const [i, text] of texts.entries()) {
      const [single] = await embedder.embedPassages([text]);
      for (let k = 0; k < 100; k++) expect(batched[i]![k]).toBeCloseTo(single![k]!, 6);
    }
    expect(await embedder.embedPassages([])).toEqual([]);
    await expect(embedder.embedPassages(['x'], { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  it('batches texts by the tokens the model reads, not by their characters, so a batch pads little', async () => {
    // Few characters, many tokens (one per digit) against many characters, few tokens (one long word).
    const texts = ['1 2 3 4 5 6 7 8 9', 'Internationalisation.', 'Rain'];
    const [digits, word] = texts.map((t) => embedder.countTokens(t));
    expect(texts[0]!.length).toBeLessThan(texts[1]!.length);
    expect(digits).toBeGreaterThan(word!);
    const order: number[] = [];
    await embedder.embedPassages(texts, { batchSize: 1, onBatch: (indices) => order.push(...indices) });
    expect(order).toEqual([2, 1, 0]);
  });

  it('hands the event loop back during a long run, so a bot refreshing in-process keeps answering', async () => {
    // The model's promises settle as microtasks: without a yield, nothing queued behind them (a Discord event, a
    // tagging worker's result) runs until the last batch is done.
    const seeds = readdirSync('seeds').filter((f) => f.endsWith('.txt')).map((f) => readFileSync(path.join('seeds', f), 'utf8'));
    const sentences = seeds.flatMap((text) => splitSentences(text).map((s) => text.slice(s.start, s.end)));
    expect(sentences.length).toBeGreaterThan(50);
    const texts = Array.from({ length: 40 }, (_, round) => sentences.map((s) => `${round} ${s}`)).flat();
    let turnsDuringRun = 0;
    let running = true;
    const tick = () => {
      if (!running) return;
      turnsDuringRun++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    await embedder.embedPassages(texts, { batchSize: 8 });
    const ms = performance.now() - started;
    running = false;
    // A turn after every slice of about 40 ms (slicedPause), counted loosely: the bound is what a stall would break.
    expect(turnsDuringRun).toBeGreaterThanOrEqual(Math.max(1, Math.floor(ms / 200)));
  });

  it('counts words and punctuation, without special tokens', () => {
    expect(embedder.countTokens('The army, seized power!')).toBe(6);
    expect(embedder.countTokens('')).toBe(0);
    expect(embedder.countTokens('ZXQV qwzx')).toBe(2);
  });

  it('counts every seed sentence and the parity sentences as the tokenizer does, encoding each whole', async () => {
    // countTokens sums remembered word counts; the reference is the tokenizer itself, loaded from the same folder (the
    // Embedder has set transformers.js to read local models only).
    const tokenizer = await AutoTokenizer.from_pretrained(OFFLINE_MODEL_ID);
    const whole = (text: string) => tokenizer.encode(text, null, { add_special_tokens: false }).length;
    const seeds = readdirSync('seeds').filter((f) => f.endsWith('.txt')).map((f) => readFileSync(path.join('seeds', f), 'utf8'));
    const sentences = seeds.flatMap((text) => splitSentences(text).map((s) => text.slice(s.start, s.end)));
    // scripts/parity-sentences.txt: news prose, numbers, accents, CJK, emoji, a URL (the dev-models parity set).
    const parity = readFileSync('scripts/parity-sentences.txt', 'utf8').split('\n').filter(Boolean);
    const texts = [...sentences, ...parity, 'Tabs\tand\nnew lines,\r\nno-break\u00a0spaces, a form\ffeed'];
    expect(texts.length).toBeGreaterThan(100);
    // Twice: the second pass reads the remembered counts.
    for (const text of [...texts, ...texts]) expect(embedder.countTokens(text), text).toBe(whole(text));
  });

  it('cuts a 10,000-character question to what the model reads', async () => {
    const question = 'Why did the soldiers detain the president of Niger? '.repeat(200).slice(0, 10_000);
    const cut = embedder.truncateToTokens(question);
    expect(question.startsWith(cut)).toBe(true);
    expect(embedder.countTokens(cut)).toBeLessThanOrEqual(embedder.maxTokens);
    expect(embedder.countTokens(cut)).toBeGreaterThan(embedder.maxTokens - 12);
    expect(embedder.truncateToTokens('one two three four', 2)).toBe('one two');
    expect(embedder.truncateToTokens('short question')).toBe('short question');
    expect(norm(await embedder.embedQuery(question))).toBeCloseTo(1, 5);
  });
});

describe('Embedder fallback', () => {
  let dir: string;
  beforeAll(async () => {
    // A models folder that holds the offline model but certainly not the hub model.
    dir = await mkdtemp(path.join(tmpdir(), 'coverage-bot-models-'));
    await symlink(path.join(modelsDir, 'local'), path.join(dir, 'local'), 'dir');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('logs one message and loads the offline model when the hub model cannot be loaded', async () => {
    const messages: string[] = [];
    const embedder = await Embedder.load({ model: 'Xenova/bge-small-en-v1.5', modelsDir: dir, allowRemote: false, log: (m) => messages.push(m) });
    try {
      expect(embedder.modelId).toBe(OFFLINE_MODEL_ID);
      expect(embedder.dimensions).toBe(100);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^could not load Xenova\/bge-small-en-v1\.5 \(.*ALLOW_REMOTE_MODELS=false.*\); using the offline model local\/wink-sg-100d\. /);
      // The notice says how to make it go away.
      expect(messages[0]).toContain(`To silence this, set EMBEDDING_MODEL=local/wink-sg-100d in .env, or make the hub reachable once (the model is then kept in ${dir}).`);
      expect(embedder.settings.queryPrefix).toBe('');
    } finally {
      await embedder.dispose();
    }
  });
});

describe('Embedder threads', () => {
  // onnxruntime-node 1.14 ignores every option given with a model's bytes (a one-thread session ran on every core), so
  // the session must be made from the model's file.
  it("opens the model once, from its file, on the ONNX threads its settings give (the runtime's own factory is left as it was)", async () => {
    const require = createRequire(fileURLToPath(import.meta.resolve('@xenova/transformers')));
    const { InferenceSession } = require('onnxruntime-node') as { InferenceSession: { create: (...args: unknown[]) => Promise<unknown> } };
    const original = InferenceSession.create;
    const options: unknown[] = [];
    const models: unknown[] = [];
    // Watches the calls through the runtime's factory, under whatever the embedder puts in front of it.
    InferenceSession.create = (model: unknown, opts: unknown) => (models.push(typeof model === 'string' ? model : `${(model as Uint8Array).byteLength} bytes`), options.push(opts), original.call(InferenceSession, model, opts));
    try {
      const embedder = await Embedder.load({ model: OFFLINE_MODEL_ID, modelsDir, allowRemote: false });
      await embedder.dispose();
      expect(options).toEqual([expect.objectContaining({ intraOpNumThreads: modelSettings(OFFLINE_MODEL_ID).onnxThreads, interOpNumThreads: 1 })]);
      expect(models).toEqual([path.join(modelsDir, OFFLINE_MODEL_ID, 'onnx', 'model_quantized.onnx')]);
    } finally {
      InferenceSession.create = original;
    }
  });
});
