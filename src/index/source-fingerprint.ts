// What the sources folder held when the live build was last checked against it: each file's sha256, the skipped files
// with their reasons, and a hash of the code that reads articles. When all of it still matches, an ingest knows that
// nothing changed without parsing a single article (at the BBC corpus's size that parse is most of a no-change refresh).
//
// Kept in `<index>/sources.json` beside `current.json`, not inside a build: it is a cache, rewritten after every ingest
// (also one that changed nothing), and an index without it or with a stale one is simply checked the slow way.
// It also records which folder that was, so that the folder is still known when the live build is damaged or its
// pointer lost: a rebuild then reads the user's articles again instead of the configured default.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readManifest, writeAtomic } from './store.js';

const FILE = 'sources.json';

export const sourceFingerprintSchema = z.object({
  /** The build (folder name under `builds/`) these sources were last checked against. */
  build: z.string(),
  /** sha256 of the corpus module's own files: a changed reader may read the same files into different articles. */
  reader: z.string(),
  maxArticleBytes: z.number(),
  /** Relative path → sha256 of every file under the sources folder, ignored ones included. */
  files: z.record(z.string(), z.string()),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  /** The sources folder (absolute) of the last ingest. Absent in files written before it was recorded. */
  sourcesDir: z.string().min(1).optional(),
});
export type SourceFingerprint = z.infer<typeof sourceFingerprintSchema>;

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Relative path → sha256 of every file under `dir` (recursively; symbolic links to folders are not followed). */
async function hashFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, absolute).split(path.sep).join('/')] = sha256(await readFile(absolute));
  }
  return files;
}

let readerHash: Promise<string> | undefined;

/** sha256 over the corpus module's files as they are running (sources or compiled build). */
function corpusReaderHash(): Promise<string> {
  readerHash ??= hashFiles(fileURLToPath(new URL('../corpus/', import.meta.url))).then((files) =>
    sha256(
      Object.entries(files)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([file, hash]) => `${file} ${hash}`)
        .join('\n'),
    ),
  );
  return readerHash;
}

/** The sources folder as it is now (taken before reading articles, so a file changed meanwhile shows up next time). */
export async function fingerprintSources(
  sourcesDir: string,
  maxArticleBytes: number,
): Promise<Omit<SourceFingerprint, 'build' | 'skipped'>> {
  return { reader: await corpusReaderHash(), maxArticleBytes, files: await hashFiles(sourcesDir) };
}

export async function readSourceFingerprint(indexDir: string): Promise<SourceFingerprint | null> {
  try {
    const parsed = sourceFingerprintSchema.safeParse(JSON.parse(await readFile(path.join(indexDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // Missing or unreadable: the sources are compared the slow way, and the file is written afresh after.
    return null;
  }
}

/** What a folder that could not be fingerprinted is recorded as: the reader hash is never empty, so it matches no folder. */
export const UNKNOWN_SOURCES: Omit<SourceFingerprint, 'build' | 'skipped'> = { reader: '', maxArticleBytes: -1, files: {} };

export function writeSourceFingerprint(indexDir: string, fingerprint: SourceFingerprint): Promise<void> {
  return writeAtomic(path.join(indexDir, FILE), JSON.stringify(fingerprint));
}

/** Whether `now` is the sources folder `recorded` describes, for the build `build`. */
export function sameSources(recorded: SourceFingerprint | null, now: Omit<SourceFingerprint, 'build' | 'skipped'>, build: string): boolean {
  if (!recorded || recorded.build !== build || recorded.reader !== now.reader || recorded.maxArticleBytes !== now.maxArticleBytes) {
    return false;
  }
  const before = Object.keys(recorded.files);
  return before.length === Object.keys(now.files).length && before.every((file) => recorded.files[file] === now.files[file]);
}

/**
 * The sources folder the index was built from: the live manifest's record, else the one beside `current.json` (which
 * outlives a damaged build or a lost pointer); null when neither says.
 */
export async function recordedSourcesDir(indexDir: string): Promise<string | null> {
  const manifest = await readManifest(indexDir).catch(() => null);
  return manifest?.sourcesDir ?? (await readSourceFingerprint(indexDir))?.sourcesDir ?? null;
}
