// A pool of worker threads running sentence tagging (tags.ts): wink-nlp's parse runs on one core, so a build hands each
// article's sentences to the pool and embeds passages while the workers tag.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SentenceTag } from './tags.js';
import type { Span } from './types.js';

/** One article to tag: its text and its sentences' spans (as for tagText). */
export interface TagJob {
  id: number;
  text: string;
  sentences: Span[];
}

export type TagResult = { id: number; tags: SentenceTag[][] } | { id: number; error: string };

/**
 * Each worker loads wink-nlp and compromise's lexicon (about 0.3 s) before its first article, and one BBC article takes
 * about 2 ms to tag: below this many articles tagging in-line costs less than starting workers.
 */
export const MIN_ARTICLES_FOR_WORKERS = 64;

/**
 * Jobs sent ahead to each worker, so it never waits for the main thread between two articles: while embedding, the main
 * thread reads the workers' results only between slices of about 40 ms (slicedPause), and an article takes about 2 ms.
 */
const IN_FLIGHT_PER_WORKER = 32;

/**
 * Workers worth starting to tag `articles` articles on this machine, none for a few articles: one per core but the one
 * the main thread embeds on, at least one. Since names come from compromise's lexicon instead of its parse, tagging an
 * article costs less than the offline model's embedding of it, so even beside that model one worker keeps up; a second
 * one only took a core from the model (seeds + BBC on the 2-core development machine, three alternating pairs: one
 * worker 19.8, 18.5, 15.8 s, peak RSS about 550 MiB; two 20.1, 20.5, 16.9 s, about 685 MiB).
 */
export function taggingWorkersFor(articles: number): number {
  if (articles < MIN_ARTICLES_FOR_WORKERS) return 0;
  return Math.max(1, Math.min(availableParallelism() - 1, Math.floor(articles / MIN_ARTICLES_FOR_WORKERS)));
}

/**
 * The worker runs the same code as this module: compiled JavaScript beside it, or — when the sources run through tsx
 * (tests, a checkout without a build) — the TypeScript file, with tsx registered in the worker first, since a worker
 * does not inherit the loader hooks of the thread that starts it.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./tag-worker.js', here));
  // tsx's ESM API (its `import` export; resolved from here, so the worker finds it whatever the working directory).
  const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const body = new URL('./tag-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(body)}); });`, {
    eval: true,
  });
}

interface Pending {
  job: TagJob;
  resolve: (tags: SentenceTag[][]) => void;
  reject: (error: Error) => void;
}

/** Holds the worker threads; `close()` ends them. Results come back in whatever order workers finish. */
export class TaggingPool {
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Map<number, Pending>>();
  private nextId = 0;
  private failure: Error | null = null;
  private closed = false;

  private constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      this.running.set(worker, new Map());
      worker.on('message', (result: TagResult) => this.settle(worker, result));
      worker.on('error', (error) => this.fail(new Error(`a tagging worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a tagging worker exited unexpectedly (exit code ${code})`));
      });
    }
  }

  /** Starts `size` (≥ 1) workers. */
  static open(size: number): TaggingPool {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a tagging pool needs at least one worker, got ${size}`);
    return new TaggingPool(size);
  }

  /** The tags of each of `sentences` of `text`, exactly as `tagText(text, sentences)` gives them. */
  tag(text: string, sentences: Span[]): Promise<SentenceTag[][]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the tagging pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, text, sentences }, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the workers; jobs not yet tagged are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejectAll(new Error('the tagging pool was closed'));
    await Promise.all([...this.running.keys()].map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    for (const [worker, jobs] of this.running) {
      while (jobs.size < IN_FLIGHT_PER_WORKER && this.queue.length > 0) {
        const pending = this.queue.shift()!;
        jobs.set(pending.job.id, pending);
        worker.postMessage(pending.job);
      }
    }
  }

  private settle(worker: Worker, result: TagResult): void {
    const jobs = this.running.get(worker);
    const pending = jobs?.get(result.id);
    if (!jobs || !pending) return;
    jobs.delete(result.id);
    if ('tags' in result) pending.resolve(result.tags);
    else pending.reject(new Error(`tagging failed: ${result.error}`));
    this.dispatch();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectAll(this.failure);
  }

  private rejectAll(error: Error): void {
    for (const pending of this.queue.splice(0)) pending.reject(error);
    for (const jobs of this.running.values()) {
      for (const pending of jobs.values()) pending.reject(error);
      jobs.clear();
    }
  }
}
