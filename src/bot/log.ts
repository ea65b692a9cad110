// The bot's structured log: pino JSON lines (one per interaction or channel question, with latency and outcome), user
// ids only as hashes, and short error ids that tie an apology a user saw to the log line with the detail.
import { createHash, randomBytes } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';

export type { Logger } from 'pino';

export function createLogger(level: Config['LOG_LEVEL'], destination?: DestinationStream, base: Record<string, unknown> = {}): Logger {
  const options = { level, base: { name: 'coverage-bot', ...base }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/** sha256 of a Discord user id, hex: lets logs and feedback count users without naming them. */
export function userHash(userId: string): string {
  return createHash('sha256').update(userId).digest('hex');
}

/** Short id shown to a user with an apology and logged with the error. */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

/** What became of one interaction or channel question, for the log line. */
export type Outcome =
  | 'answered'
  | 'no-answer'
  | 'ok'
  | 'busy'
  | 'rate-limited'
  | 'refused'
  | 'invalid'
  | 'not-found'
  | 'already-running'
  | 'shutting-down'
  | 'ignored'
  | 'error';
