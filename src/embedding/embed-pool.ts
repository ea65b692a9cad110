// A pool of worker processes, each holding its own one-thread session of the same model (embed-worker.ts): one session
// on two threads spends part of its time synchronising them, two sessions on one thread each do not.
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { JobQueue, siblingModule, startModuleProcess } from '../module-workers.js';

/** The model a worker loads, exactly as the embedder that starts it loaded it. */
export interface EmbedWorkerModel {
  model: string;
  modelsDir: string;
  quantized: boolean;
}

/**
 * A worker's requests: load the model (first), then one per batch, texts exactly as the model reads them, and last
 * what it used.
 */
export type EmbedRequest = { load: EmbedWorkerModel } | { id: number; texts: string[] } | { usage: true };

/** What the workers of a pool used, together: their CPU, and the sum of their resident memory high-water marks. */
export interface WorkerUsage {
  processes: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

/** A worker's replies: loaded, or not; then one per batch, its vectors laid end to end; then its usage. */
export type EmbedReply =
  | { ready: true }
  | { failed: string }
  | { id: number; vectors: Float32Array }
  | { id: number; error: string }
  | { cpuSeconds: number; peakRssMiB: number };

/**
 * Below this many texts a call embeds on the embedder's own session: each worker starts Node and loads the model first
 * (about 1 s of CPU for e5-small), which a few hundred texts do not repay.
 */
export const MIN_TEXTS_FOR_WORKERS = 1_000;

/** Batches sent ahead to each worker, so it never waits for this process between two batches. */
const IN_FLIGHT_PER_WORKER = 2;

/** How long a worker may take to report its usage, and to end once told to, before it is killed. */
const EXIT_GRACE_MS = 2_000;

/** Workers for a large embedding run on this machine: one per core. */
export function embeddingWorkers(): number {
  return availableParallelism();
}

type Batch = { id: number; texts: string[] };

/** Holds the worker processes; `close()` ends them. Batches come back in whatever order the workers finish them. */
export class EmbedPool {
  private readonly jobs: JobQueue<ChildProcess, Batch, Float32Array[]>;
  /** Filled in by close(): what the workers used (CPU from those that reported it). */
  readonly usage: WorkerUsage = { processes: 0, cpuSeconds: 0, peakRssMiB: 0 };

  private constructor(dimensions: number, workers: ChildProcess[]) {
    this.usage.processes = workers.length;
    this.jobs = new JobQueue(workers, IN_FLIGHT_PER_WORKER, (worker, batch) => worker.send(batch satisfies EmbedRequest));
    const split = (flat: Float32Array) => Array.from({ length: flat.length / dimensions }, (_, i) => flat.slice(i * dimensions, (i + 1) * dimensions));
    for (const worker of workers) {
      worker.on('message', (reply: EmbedReply) => {
        if ('vectors' in reply) this.jobs.settle(worker, reply.id, { result: split(reply.vectors) });
        else if ('error' in reply) this.jobs.settle(worker, reply.id, { error: new Error(`embedding failed in a worker: ${reply.error}`) });
      });
      worker.on('error', (error) => this.jobs.fail(new Error(`an embedding worker failed: ${error.message}`)));
      worker.on('exit', (code, signal) => {
        if (!this.jobs.closed) this.jobs.fail(new Error(`an embedding worker exited unexpectedly (${signal ?? `exit code ${code}`})`));
      });
    }
  }

  /**
   * Starts `size` (≥ 1) workers on the model and waits until each has loaded it; rejects, with every worker ended, when
   * one cannot.
   */
  static async open(size: number, model: EmbedWorkerModel, dimensions: number): Promise<EmbedPool> {
    if (!Number.isInteger(size) || size < 1) throw new Error(`an embedding pool needs at least one worker, got ${size}`);
    const workers = Array.from({ length: size }, () => startModuleProcess(siblingModule(import.meta.url, 'embed-worker')));
    const loaded = workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const onMessage = (reply: EmbedReply) => {
            worker.off('exit', onExit).off('error', onError);
            if ('ready' in reply) resolve();
            else reject(new Error('failed' in reply ? reply.failed : 'it answered before loading the model'));
          };
          const onExit = (code: number | null, signal: string | null) => {
            worker.off('message', onMessage).off('error', onError);
            reject(new Error(`it exited before loading the model (${signal ?? `exit code ${code}`})`));
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage).off('exit', onExit);
            reject(error);
          };
          worker.once('message', onMessage).once('exit', onExit).once('error', onError);
          worker.send({ load: model } satisfies EmbedRequest);
        }),
    );
    try {
      await Promise.all(loaded);
    } catch (error) {
      await Promise.all(workers.map(end));
      throw new Error(`an embedding worker could not load ${model.model}: ${(error as Error).message}`, { cause: error });
    }
    return new EmbedPool(dimensions, workers);
  }

  /** Unit vectors of `texts`, in order, from whichever worker is free first. */
  embed(texts: string[]): Promise<Float32Array[]> {
    return this.jobs.submit((id) => ({ id, texts }));
  }

  /** Ends the workers, once they have said what they used; batches not yet embedded are rejected. */
  async close(): Promise<void> {
    if (this.jobs.closed) return;
    this.jobs.close(new Error('the embedding pool was closed'));
    await Promise.all(
      this.jobs.workers.map(async (worker) => {
        const used = await usageOf(worker);
        if (used) {
          this.usage.cpuSeconds += used.cpuSeconds;
          this.usage.peakRssMiB += used.peakRssMiB;
        }
        await end(worker);
      }),
    );
  }
}

/** What a worker used, or null when it cannot say within EXIT_GRACE_MS (it has ended, or it is stuck). */
function usageOf(worker: ChildProcess): Promise<{ cpuSeconds: number; peakRssMiB: number } | null> {
  if (!worker.connected) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(null), EXIT_GRACE_MS);
    const onMessage = (reply: EmbedReply) => {
      if ('cpuSeconds' in reply) done(reply);
    };
    const done = (used: { cpuSeconds: number; peakRssMiB: number } | null) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('exit', onExit);
      resolve(used);
    };
    const onExit = () => done(null);
    worker.on('message', onMessage).once('exit', onExit);
    worker.send({ usage: true } satisfies EmbedRequest);
  });
}

/** Ends a worker: it exits when its channel closes; one that does not within EXIT_GRACE_MS is killed. */
async function end(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  if (worker.connected) worker.disconnect();
  const timer = setTimeout(() => worker.kill('SIGKILL'), EXIT_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
