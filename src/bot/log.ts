// The bot's structured log: pino JSON lines (one per interaction or channel question, with latency and outcome), user
// ids only as hashes, tokens redacted from every field, and short error ids that tie an apology a user saw to the log
// line with the detail.
import { createHash, randomBytes } from 'node:crypto';
import { write } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';

export type { Logger } from 'pino';

/** Bytes of log waiting for a slow reader before further lines are dropped. */
const MAX_PENDING_LOG_BYTES = 4_000_000;

/**
 * Standard output as a log destination that never blocks the process: lines are written asynchronously, one write at
 * a time, in order. When the reader stops reading (its parent died, a pipe filled) lines are dropped and counted
 * instead of stalling the bot; when the pipe is gone, logging stops. pino's own destination writes synchronously, so a
 * full pipe froze the bot before its SIGTERM handler could run.
 */
export function nonBlockingStdout(fd = 1): DestinationStream {
  // Creating the standard stream opens a pipe in non-blocking mode, so a full pipe answers EAGAIN below. Left blocking
  // (nothing else touched process.stdout, as when running from dist/), the write would block a libuv thread forever,
  // and process.exit, which joins those threads, would never return.
  if (fd === 1) void process.stdout.fd;
  else if (fd === 2) void process.stderr.fd;
  const destination = { write: (line: string) => void line, drained: () => true };
  const queue: Buffer[] = [];
  let pending = 0;
  let dropped = 0;
  let writing = false;
  let closed = false;
  const send = (chunk: Buffer) => {
    write(fd, chunk, 0, chunk.length, null, (error, written) => {
      if (error) {
        if (error.code === 'EAGAIN') {
          // A non-blocking pipe that is full: try again shortly, without keeping the process alive for it.
          setTimeout(() => send(chunk), 50).unref();
          return;
        }
        closed = true;
        queue.length = 0;
        return;
      }
      pending -= written;
      if (written < chunk.length) return send(chunk.subarray(written));
      writing = false;
      pump();
    });
  };
  const pump = () => {
    if (writing || closed || queue.length === 0) return;
    if (dropped > 0) {
      const note = `${JSON.stringify({ level: 40, time: new Date().toISOString(), name: 'coverage-bot', msg: `${dropped} log lines dropped: the output was not being read` })}\n`;
      queue.unshift(Buffer.from(note));
      pending += note.length;
      dropped = 0;
    }
    writing = true;
    send(Buffer.concat(queue.splice(0)));
  };
  destination.write = (line: string) => {
    if (closed) return;
    if (pending + line.length > MAX_PENDING_LOG_BYTES) {
      dropped++;
      return;
    }
    const data = Buffer.from(line);
    queue.push(data);
    pending += data.length;
    pump();
  };
  destination.drained = () => closed || (!writing && queue.length === 0);
  destinations.add(destination);
  return destination;
}

const destinations = new Set<{ drained(): boolean }>();

/** Waits until the log lines written so far are out, or `timeoutMs` passed (a reader that went away): for exiting. */
export async function drainLogs(timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && ![...destinations].every((d) => d.drained())) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Secrets that turn up in what discord.js errors carry: an interaction's token in webhook and callback URLs (15 minutes
// of acting as the bot in that channel), and the bot token itself.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(\/webhooks\/\d+\/)[\w.-]+/g, '$1[redacted]'],
  [/(\/interactions\/\d+\/)[\w.-]+/g, '$1[redacted]'],
  [/\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}\b/g, '[redacted token]'],
  [/\b(Bot|Bearer) [\w.-]{20,}/g, '$1 [redacted]'],
];

/** `text` with interaction tokens in URLs and bot tokens replaced by "[redacted]". */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** A copy of a logged value with every string redacted; a request body is dropped (it holds whole messages). */
function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Error) return redactValue(pino.stdSerializers.err(value), depth);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, key === 'requestBody' ? '[omitted]' : redactValue(item, depth + 1)]),
  );
}

export function createLogger(level: Config['LOG_LEVEL'], destination: DestinationStream = nonBlockingStdout(), base: Record<string, unknown> = {}): Logger {
  const options = {
    level,
    base: { name: 'coverage-bot', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every field of every line goes through redaction: no token reaches the log, whatever error carried it.
    formatters: { log: (object: Record<string, unknown>) => redactValue(object) as Record<string, unknown> },
  };
  return pino(options, destination);
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
