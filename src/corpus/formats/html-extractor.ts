// Runs HTML extraction in a worker thread (html-worker.ts) with a time limit: the page's shape is checked there first,
// and a page that still takes too long is stopped by terminating the worker, then reported as a skipped file. One
// worker per process, started on the first HTML page and kept (unreferenced while idle, so it never holds a process open).
import type { Worker } from 'node:worker_threads';
import { siblingModule, startModuleWorker } from '../../module-workers.js';
import { ArticleFileError } from '../errors.js';
import type { RawHtmlArticle } from './html-dom.js';
import { DEFAULT_HTML_SHAPE_LIMITS, type HtmlShapeLimits } from './html-shape-limits.js';
import type { ExtractionReply, ExtractionRequest } from './html-worker.js';

export interface HtmlExtractionLimits extends HtmlShapeLimits {
  /** Longest one page may take to extract, in milliseconds. */
  timeoutMs: number;
}

// Readability takes under a second on any page within the shape limits (5 MB of flat paragraphs: about 4 s); the limit is
// there for what the shape check cannot foresee, and keeps a refresh from hanging on one page.
export const DEFAULT_HTML_LIMITS: HtmlExtractionLimits = { ...DEFAULT_HTML_SHAPE_LIMITS, timeoutMs: 20_000 };

interface RunningExtraction {
  id: number;
  settle(reply: ExtractionReply): void;
  fail(reason: string): void;
}

class HtmlExtractor {
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  #running: RunningExtraction | null = null;
  #nextId = 1;
  #queue: Promise<unknown> = Promise.resolve();

  /** The page's main text and raw metadata; throws ArticleFileError when the page is refused, fails or takes too long. */
  extract(content: string, file: string, limits: HtmlExtractionLimits): Promise<RawHtmlArticle> {
    // One page at a time: the worker is single-threaded anyway, and the time limit must measure extraction, not queueing.
    const run = this.#queue.then(() => this.#run(content, file, limits));
    this.#queue = run.catch(() => {});
    return run;
  }

  #start(): { worker: Worker; ready: Promise<void> } {
    if (this.#worker && this.#ready) return { worker: this.#worker, ready: this.#ready };
    const worker = startModuleWorker(siblingModule(import.meta.url, 'html-worker'));
    this.#worker = worker;
    this.#ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { ready?: boolean }).ready) {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', () => reject(new Error('the HTML extraction worker exited while starting')));
    });
    worker.on('message', (message: ExtractionReply | { ready: true }) => {
      if ('id' in message && this.#running?.id === message.id) this.#running.settle(message);
    });
    const gone = (reason: string) => {
      if (this.#worker === worker) {
        this.#worker = null;
        this.#ready = null;
      }
      this.#running?.fail(reason);
    };
    worker.on('error', (error) => gone(`the HTML extraction worker failed (${error.message})`));
    worker.on('exit', (code) => gone(`the HTML extraction worker stopped (exit code ${code})`));
    return { worker, ready: this.#ready };
  }

  async #run(content: string, file: string, limits: HtmlExtractionLimits): Promise<RawHtmlArticle> {
    const { worker, ready } = this.#start();
    worker.ref();
    try {
      await ready;
      return await new Promise<RawHtmlArticle>((resolve, reject) => {
        const id = this.#nextId++;
        const timer = setTimeout(() => {
          this.#running = null;
          // Terminating is the only way to stop synchronous work in a worker; the next page starts a fresh one.
          this.#worker = null;
          this.#ready = null;
          void worker.terminate();
          reject(
            new ArticleFileError(
              file,
              `extracting the article from the HTML took over ${(limits.timeoutMs / 1000).toLocaleString('en')} s and was stopped; save the article's text as .txt or .md instead`,
            ),
          );
        }, limits.timeoutMs);
        const done = () => {
          clearTimeout(timer);
          this.#running = null;
        };
        this.#running = {
          id,
          settle: (reply) => {
            done();
            if ('article' in reply) resolve(reply.article);
            else if ('refused' in reply) reject(new ArticleFileError(file, reply.refused));
            else reject(new ArticleFileError(file, `could not be parsed: ${reply.failed}`));
          },
          fail: (reason) => {
            done();
            reject(new ArticleFileError(file, `could not be parsed: ${reason}`));
          },
        };
        const request: ExtractionRequest = { id, content, limits: { maxDepth: limits.maxDepth, maxElements: limits.maxElements, maxAttributes: limits.maxAttributes } };
        worker.postMessage(request);
      });
    } catch (error) {
      if (error instanceof ArticleFileError) throw error;
      throw new ArticleFileError(file, `could not be parsed: ${(error as Error).message}`, { cause: error });
    } finally {
      if (this.#worker === worker) worker.unref();
    }
  }
}

/** The process's HTML extractor. */
export const htmlExtractor = new HtmlExtractor();
