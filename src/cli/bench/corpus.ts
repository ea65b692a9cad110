// The benchmark corpus: by default a temp folder holding the repository's seeds plus the shared BBC corpus ("seeds + BBC"),
// optionally with the BBC corpus replicated (`--scale N`: N copies, each with its own ids and perturbed text), and the
// temp folders a run works in, removed afterwards.
import { UserError } from '../../errors.js';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const BBC_CSV_PATH = path.join('corpora', 'bbc-news', 'bbc-news.csv');
export const DEV_QUESTIONS_PATH = path.join('eval', 'dev.jsonl');

/** A problem with the benchmark's inputs that the user fixes (printed without a stack trace by the CLI). */
export class BenchInputError extends UserError {}

/** A temp folder for one run, removed by `cleanup()` (nothing else is ever removed). */
export interface Workspace {
  root: string;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-bench-'));
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Copies the seeds and the BBC corpus into `<dir>` (created): the corpus the benchmarks' figures are quoted on. With
 * `scale` N > 1 the BBC corpus is there N times: the original and N − 1 perturbed copies (see `perturbedCopy`).
 * `sharedDir` is `../shared` beside the repository unless a test points elsewhere.
 */
export async function prepareDefaultCorpus(
  dir: string,
  opts: { sharedDir?: string; seedsDir?: string; scale?: number } = {},
): Promise<string> {
  const sharedDir = opts.sharedDir ?? SHARED_DIR;
  const seedsDir = opts.seedsDir ?? path.join(REPO_ROOT, 'seeds');
  const bbc = path.join(sharedDir, BBC_CSV_PATH);
  if (!existsSync(bbc)) {
    throw new BenchInputError(
      `The default benchmark corpus (seeds + BBC) needs ${bbc}, which is missing: put the shared material at ${sharedDir} ` +
        '(beside the repository), or pass --sources DIR to benchmark another folder of articles.',
    );
  }
  if (!existsSync(seedsDir)) throw new BenchInputError(`The seeds folder ${seedsDir} is missing; pass --sources DIR instead.`);
  await cp(seedsDir, dir, { recursive: true });
  const target = path.join(dir, path.basename(bbc));
  await copyFile(bbc, target);
  // The shared copy is read-only; the bench's own copy need not be.
  await chmod(target, 0o644);
  const scale = opts.scale ?? 1;
  if (scale > 1) {
    const { parse } = await import('csv-parse/sync');
    const rows = parse(await readFile(bbc, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    for (let copy = 2; copy <= scale; copy++) {
      const stem = `${path.basename(bbc, '.csv')}-copy${String(copy).padStart(2, '0')}`;
      const lines = rows.map((row, i) => `${csvCell(perturbedCopy(row.text ?? '', copy, i))},${csvCell(row.category ?? '')}`);
      await writeFile(path.join(dir, `${stem}.csv`), `text,category\n${lines.join('\n')}\n`);
    }
  }
  return dir;
}

const csvCell = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** A small deterministic generator (mulberry32), so every run benchmarks the same copies. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Copy number `copy` of an article: the same kind of prose (so tagging, embedding and search cost what real articles
 * cost) but not the same text: every number is shifted by `copy`, the sentences after the first (the headline and
 * lead) are rotated, and one of them is left out — so each copy has its own content hash, passages and vectors.
 */
export function perturbedCopy(text: string, copy: number, row: number): string {
  const next = random(copy * 1_000_003 + row);
  const shifted = text.replace(/\d+/g, (digits) => String(Number(digits) + copy));
  const [lead = '', ...body] = shifted.split(/(?<=[.!?]["”]?)\s+(?=["“]?\p{Lu})/u);
  if (body.length >= 3) body.splice(Math.floor(next() * body.length), 1);
  const turn = body.length > 0 ? Math.floor(next() * body.length) : 0;
  return [lead, ...body.slice(turn), ...body.slice(0, turn)].join(' ');
}

/** The question file to time, checked up front so a missing file is reported before minutes of indexing. */
export function resolveQuestionsFile(file: string | undefined, sharedDir = SHARED_DIR): string {
  const resolved = file ?? path.join(sharedDir, DEV_QUESTIONS_PATH);
  if (!existsSync(resolved)) {
    throw new BenchInputError(
      file
        ? `The question file ${resolved} does not exist.`
        : `The default question file ${resolved} is missing: put the shared material at ${sharedDir}, or pass --questions FILE.`,
    );
  }
  return resolved;
}
