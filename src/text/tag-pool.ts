// A pool of worker threads running sentence tagging (tags.ts): wink-nlp's parse runs on one core, so a build hands each
// article's sentences to the pool and embeds passages while the workers tag.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { JobQueue, siblingModule, startModuleWorker } from '../module-workers.js';
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

/** Holds the worker threads; `close()` ends them. Results come back in whatever order workers finish. */
export class TaggingPool {
  private readonly jobs: JobQueue<Worker, TagJob, SentenceTag[][]>;

  private constructor(readonly size: number) {
    const workers = Array.from({ length: size }, () => startModuleWorker(siblingModule(import.meta.url, 'tag-worker')));
    this.jobs = new JobQueue(workers, IN_FLIGHT_PER_WORKER, (worker, job) => worker.postMessage(job));
    for (const worker of workers) {
      worker.on('message', (result: TagResult) =>
        this.jobs.settle(worker, result.id, 'tags' in result ? { result: result.tags } : { error: new Error(`tagging failed: ${result.error}`) }),
      );
      worker.on('error', (error) => this.jobs.fail(new Error(`a tagging worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!this.jobs.closed) this.jobs.fail(new Error(`a tagging worker exited unexpectedly (exit code ${code})`));
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
    return this.jobs.submit((id) => ({ id, text, sentences }));
  }

  /** Ends the workers; jobs not yet tagged are rejected. */
  async close(): Promise<void> {
    if (this.jobs.closed) return;
    this.jobs.close(new Error('the tagging pool was closed'));
    await Promise.all(this.jobs.workers.map((worker) => worker.terminate()));
  }
}
