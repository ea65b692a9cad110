// The 👍/👎 feedback log: one JSON line per vote appended to FEEDBACK_LOG, with the question, the cited passages and a
// pseudonym of the voter: an HMAC of their Discord id under a secret of this installation, kept beside the log. A plain
// hash of a public id could be reversed by hashing ids; without the secret the pseudonym links to nobody.
import { createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export interface FeedbackEntry {
  time: string;
  question: string;
  /** Ids of the cited passages, best quote first. */
  passages: string[];
  /** HMAC-SHA256 of the voter's Discord user id under the installation's feedback secret (see voterPseudonym). */
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

/** Where the secret lives: beside the log, so that moving or deleting the log moves or forgets the pseudonyms with it. */
export function feedbackSecretFile(logFile: string): string {
  return `${logFile}.key`;
}

const secretSchema = z.string().trim().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits');
const secrets = new Map<string, Promise<Buffer>>();

async function readOrCreateSecret(file: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    try {
      // Readable by this user only; 'wx' so that two first votes at once cannot each write their own secret.
      await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
    }
    text = await readFile(file, 'utf8');
  }
  const parsed = secretSchema.safeParse(text);
  if (!parsed.success) throw new Error(`The feedback secret ${file} is damaged (${parsed.error.issues[0]?.message}); delete it to start new pseudonyms.`);
  return Buffer.from(parsed.data, 'hex');
}

/** The voter's pseudonym in the feedback log: stable for one installation, unlinkable to the user without its secret. */
export async function voterPseudonym(logFile: string, userId: string): Promise<string> {
  const file = path.resolve(feedbackSecretFile(logFile));
  let secret = secrets.get(file);
  if (!secret) {
    secret = readOrCreateSecret(file);
    secrets.set(file, secret);
    secret.catch(() => secrets.delete(file));
  }
  return createHmac('sha256', await secret).update(userId).digest('hex');
}
