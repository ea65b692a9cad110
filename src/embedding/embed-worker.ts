// Body of an embedding worker process (see embed-pool.ts): loads one model on a one-thread ONNX session, then turns each
// batch of texts it is sent into unit vectors, so a large build runs one model session per core. It ends when the
// process that started it disconnects or ends.
import { Embedder } from './embedder.js';
import type { EmbedReply, EmbedRequest } from './embed-pool.js';

const send = (reply: EmbedReply) => process.send!(reply);

async function load(request: Extract<EmbedRequest, { load: unknown }>): Promise<Embedder> {
  const { model, modelsDir, quantized } = request.load;
  const embedder = await Embedder.load({ model, modelsDir, allowRemote: false, quantized, onnxThreads: 1, log: () => {} });
  // Another model's vectors (the offline fallback) would not match the ones the build already holds.
  if (embedder.modelId !== model) throw new Error(`it loaded ${embedder.modelId} instead of ${model}`);
  return embedder;
}

let embedder: Promise<Embedder> | null = null;
process.on('disconnect', () => process.exit(0));
process.on('message', (request: EmbedRequest) => {
  if ('load' in request) {
    embedder = load(request);
    embedder.then(
      () => send({ ready: true }),
      (error: Error) => send({ failed: error.message.split('\n')[0]! }),
    );
    return;
  }
  if ('usage' in request) {
    const cpu = process.cpuUsage();
    return send({ cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: process.resourceUsage().maxRSS / 1024 });
  }
  if (!embedder) return send({ id: request.id, error: 'no model loaded' });
  embedder
    .then((model) => model.embedBatch(request.texts))
    .then(
      (vectors) => {
        const d = vectors[0]?.length ?? 0;
        const flat = new Float32Array(vectors.length * d);
        vectors.forEach((v, i) => flat.set(v, i * d));
        send({ id: request.id, vectors: flat });
      },
      (error: Error) => send({ id: request.id, error: error.stack ?? String(error) }),
    );
});
