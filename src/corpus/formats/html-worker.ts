// The HTML extraction worker: checks each page's shape, then extracts it (html-dom.ts) off the main thread, so a page
// that is slow to extract never stalls the process that asked (a bot answering, an ingest keeping its lock fresh).
import { parentPort } from 'node:worker_threads';
import { extractHtmlDom, htmlShapeProblem, type HtmlShapeLimits, type RawHtmlArticle } from './html-dom.js';

export interface ExtractionRequest {
  id: number;
  content: string;
  limits: HtmlShapeLimits;
}

export type ExtractionReply =
  | { id: number; article: RawHtmlArticle }
  /** The page is over a shape limit: the reason, for the skipped-file report. */
  | { id: number; refused: string }
  /** Extraction threw (a parser library failing on odd input). */
  | { id: number; failed: string };

parentPort!.on('message', (request: ExtractionRequest) => {
  let reply: ExtractionReply;
  try {
    const problem = htmlShapeProblem(request.content, request.limits);
    reply = problem ? { id: request.id, refused: problem } : { id: request.id, article: extractHtmlDom(request.content) };
  } catch (error) {
    reply = { id: request.id, failed: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});

// Modules are loaded: the extractor starts its time limits from here, so start-up never counts against a page.
parentPort!.postMessage({ ready: true });
