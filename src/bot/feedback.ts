// The 👍/👎 feedback log: one JSON line per vote appended to FEEDBACK_LOG, with the question, the cited passages and a
// hash of the voter's id (never the id itself).
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface FeedbackEntry {
  time: string;
  question: string;
  /** Ids of the cited passages, best quote first. */
  passages: string[];
  /** sha256 of the voter's Discord user id. */
  user: string;
  vote: 'up' | 'down';
  /** The answer message voted on. */
  message: string;
}

/** Appends one line; a single small append is written whole, so concurrent votes do not interleave. */
export async function appendFeedback(file: string, entry: FeedbackEntry): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await appendFile(file, `${JSON.stringify(entry)}\n`, 'utf8');
}
