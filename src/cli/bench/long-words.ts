// `bench long-words`: what one megabyte-long word, symbol run or HTML entity in one article adds to an `ingest` and to a
// later `ask`, each in its own process as a user runs them, against the seeds alone. The word-level tools were
// quadratic in a token's length (a 40,000-letter word added 20 s to every `ask`); the target is under a second each.
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from './child.js';
import { makeWorkspace, REPO_ROOT } from './corpus.js';
import { atMost, type TargetCheck } from './stats.js';

/** Added seconds allowed per `ingest` and per `ask` for an article holding one such run. */
const ADDED_SECONDS_TARGET = 1;
const DEFAULT_LONG_WORD_RUNS = 3;
const MB = 1_000_000;
const INTRO = 'Niger junta news.\n\nThe junta said on Monday that it would hold talks with ECOWAS. ';
const QUESTION = 'Who seized power in Niger?';

export interface HostileArticle {
  name: string;
  file: string;
  /** The file's content, given the folder's other articles (the HTML one is built from a seed's paragraphs). */
  text: (seedText: string) => string;
}

/** The three articles of issue 24: a 1 MB word, a 1 MB symbol run, and an HTML entity that never ends. */
export const HOSTILE_ARTICLES: readonly HostileArticle[] = [
  { name: '1 MB word', file: 'long-word.txt', text: () => `${INTRO}${'a'.repeat(MB)} and nothing else.\n` },
  { name: '1 MB symbol run', file: 'symbol-run.txt', text: () => `${INTRO}${'&'.repeat(MB)} and more.\n` },
  {
    name: '1 MB HTML entity',
    file: 'entity-run.html',
    // Readability needs a page's worth of paragraphs to call it an article, so a seed's paragraphs come first.
    text: (seed) => {
      const paragraphs = seed.split(/\n\s*\n/).map((p) => `<p>${p.replace(/[<&]/g, ' ')}</p>`);
      return `<html><body>${paragraphs.join('')}<p>&${'a'.repeat(MB)};</p></body></html>`;
    },
  },
];

export interface LongWordCase {
  name: string;
  /** Best of the runs, in seconds of wall time of the whole command. */
  ingestSeconds: number;
  askSeconds: number;
  addedIngestSeconds: number;
  addedAskSeconds: number;
  ingestCheck: TargetCheck;
  askCheck: TargetCheck;
}

export interface LongWordBenchmark {
  model: string;
  runs: number;
  question: string;
  /** The seeds alone. */
  base: { ingestSeconds: number; askSeconds: number };
  cases: LongWordCase[];
}

export interface LongWordBenchOptions {
  model: string;
  seedsDir?: string;
  runs?: number;
  /** Runs one command in its own process (default: this package's CLI). */
  run?: (args: string[]) => Promise<unknown>;
  log?: (message: string) => void;
}

async function bestOf(runs: number, once: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await once());
  return best;
}

export async function runLongWordBench(opts: LongWordBenchOptions): Promise<LongWordBenchmark> {
  const runs = opts.runs ?? DEFAULT_LONG_WORD_RUNS;
  const seedsDir = opts.seedsDir ?? path.join(REPO_ROOT, 'seeds');
  // Always the local store in the workspace: with STORE=postgres a build would replace the database's index.
  const env = { ...process.env, EMBEDDING_MODEL: opts.model, STORE: 'local' };
  const run = opts.run ?? ((args: string[]) => runCli(args, env));
  const timed = async (args: string[]) => {
    const started = performance.now();
    await run(args);
    return (performance.now() - started) / 1000;
  };
  const workspace = await makeWorkspace();
  try {
    const seedFile = (await readdir(seedsDir)).sort().find((f) => f.endsWith('.txt'));
    const seedText = seedFile ? await readFile(path.join(seedsDir, seedFile), 'utf8') : '';
    /** Best-of-`runs` full builds (each into an empty index) and one-shot asks on a folder of the seeds plus `extra`. */
    const measure = async (name: string, extra: HostileArticle | null) => {
      const sourcesDir = path.join(workspace.root, `${name}-sources`);
      const indexDir = path.join(workspace.root, `${name}-index`);
      await cp(seedsDir, sourcesDir, { recursive: true });
      if (extra) await writeFile(path.join(sourcesDir, extra.file), extra.text(seedText));
      opts.log?.(`long words: ${extra?.name ?? 'the seeds alone'}`);
      const ingestSeconds = await bestOf(runs, async () => {
        await rm(indexDir, { recursive: true, force: true });
        return timed(['ingest', '--json', '--sources', sourcesDir, '--index', indexDir]);
      });
      const askSeconds = await bestOf(runs, () => timed(['ask', '--json', '--index', indexDir, QUESTION]));
      return { ingestSeconds, askSeconds };
    };
    const base = await measure('seeds', null);
    const cases: LongWordCase[] = [];
    for (const [i, article] of HOSTILE_ARTICLES.entries()) {
      const m = await measure(`case${i}`, article);
      const addedIngestSeconds = m.ingestSeconds - base.ingestSeconds;
      const addedAskSeconds = m.askSeconds - base.askSeconds;
      cases.push({
        name: article.name,
        ...m,
        addedIngestSeconds,
        addedAskSeconds,
        ingestCheck: atMost(addedIngestSeconds, ADDED_SECONDS_TARGET, 's'),
        askCheck: atMost(addedAskSeconds, ADDED_SECONDS_TARGET, 's'),
      });
    }
    return { model: opts.model, runs, question: QUESTION, base, cases };
  } finally {
    await workspace.cleanup();
  }
}
