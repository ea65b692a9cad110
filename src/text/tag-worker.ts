// Body of a tagging worker thread (see tag-pool.ts): tags one article's sentences per message with tagText, so tagging
// runs beside the embedding model instead of before it.
import { parentPort } from 'node:worker_threads';
import { tagText } from './tags.js';
import type { TagJob, TagResult } from './tag-pool.js';

parentPort!.on('message', (job: TagJob) => {
  let result: TagResult;
  try {
    result = { id: job.id, tags: tagText(job.text, job.sentences) };
  } catch (error) {
    result = { id: job.id, error: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(result);
});
