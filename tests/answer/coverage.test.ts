// The Coverage API's care for its sources: a cited article whose file changed after ingest gets its quotes dropped and
// is reported once (log and sourceProblems()), and an outlet no article comes from is refused with the outlets there are.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnknownOutletError } from '../../src/answer/coverage.js';
import { NO_ANSWER } from '../../src/answer/format/citations.js';
import { formatTerminal, PLAIN } from '../../src/answer/format/terminal.js';
import { isUserError } from '../../src/errors.js';
import { makeIndexFixture } from '../support/index-fixture.js';
import { AFP_FILE, openSeedCoverage, type SeedCoverage } from '../support/seed-coverage.js';

const CHIEF = 'Who is the armed forces chief?';
let seed: SeedCoverage;

beforeAll(async () => {
  seed = await openSeedCoverage();
});
afterAll(() => seed?.close());

describe('openCoverage', () => {
  it('drops the quotes no longer in a file changed since ingest, and says so once, naming the file', async () => {
    const logged: string[] = [];
    const coverage = await seed.reopen({ log: (m) => logged.push(m) });
    const before = await coverage.answer(CHIEF);
    const changedQuote = (q: { text: string; source: { file: string } }) => q.source.file === AFP_FILE && q.text.includes('armed forces chief');
    expect(before.quotes.some(changedQuote)).toBe(true);
    expect(coverage.sourceProblems()).toEqual([]);

    const file = path.join(seed.fixture.sourcesDir, AFP_FILE);
    const original = await readFile(file, 'utf8');
    const edited = original.replace(/armed forces chief/g, 'army chief of staff');
    await writeFile(file, edited);
    try {
      for (let i = 0; i < 2; i++) {
        const after = await coverage.answer(CHIEF);
        expect(after.quotes.some(changedQuote)).toBe(false);
        // What is still quoted from that file is still in it, word for word.
        for (const q of after.quotes.filter((q) => q.source.file === AFP_FILE)) expect(edited.replace(/\s+/g, ' ')).toContain(q.text.replace(/\s+/g, ' '));
      }
      expect(coverage.sourceProblems()).toEqual([{ file: AFP_FILE, problem: 'changed', detail: 'its text is not what was indexed' }]);
      expect(logged.filter((m) => m.includes(AFP_FILE))).toEqual([
        `${AFP_FILE} has changed since the index was built: its quotes cannot be verified and are left out. Run ingest to update the index (\`npx coverage-bot ingest\`; in Discord, /refresh).`,
      ]);
    } finally {
      await writeFile(file, original);
    }
  });

  it('refuses an outlet no article comes from with a user error listing the outlets; a part of a name is enough', async () => {
    const error = await seed.coverage.answer(CHIEF, { outlet: 'Reuters' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutletError);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe('no articles from Reuters; outlets: NBC News, UrduPoint.');
    expect((await seed.coverage.answer(CHIEF, { outlet: 'urdu', threshold: 0 })).answered).toBe(true);
  });

  it('checks an outlet up front the way answer() does', async () => {
    await expect(seed.coverage.requireOutlet('Reuters')).rejects.toThrow(UnknownOutletError);
    await expect(seed.coverage.requireOutlet('nbc')).resolves.toBeUndefined();
  });

  it('gives the article text at a quote\'s offsets, and nothing for offsets or ids that do not fit', async () => {
    const [quote] = (await seed.coverage.answer(CHIEF)).quotes;
    expect(await seed.coverage.quoteText(quote!.source.id, quote!.start, quote!.end)).toBe(quote!.text);
    expect(await seed.coverage.quoteText(quote!.source.id, quote!.start, 10_000_000)).toBeUndefined();
    expect(await seed.coverage.quoteText(quote!.source.id, quote!.end, quote!.start)).toBeUndefined();
    expect(await seed.coverage.quoteText('no-such-article', 0, 1)).toBeUndefined();
  });

  it('refreshes the index with its own model while it keeps answering, and reopens onto the new one', async () => {
    await expect(seed.coverage.refresh()).rejects.toThrow(/without ingest settings/);
    const coverage = await seed.reopen({ ingest: seed.fixture.options });
    const file = path.join(seed.fixture.sourcesDir, 'desalination.md');
    await writeFile(
      file,
      '---\ntitle: Varnholt opens a desalination plant\noutlet: Coast Herald\npublished: 2024-03-02\n---\nThe town of Varnholt opened a desalination plant on Friday, the mayor said.\n',
    );
    try {
      const report = await coverage.refresh();
      expect(report.added).toEqual(['desalination']);
      expect((await coverage.sources()).map((s) => s.outlet)).not.toContain('Coast Herald');
      const reopened = await coverage.reopen();
      expect((await reopened.sources()).map((s) => s.outlet)).toContain('Coast Herald');
      expect(reopened.embedder).toBe(coverage.embedder);
      expect((await reopened.answer('What did Varnholt open?')).quotes[0]?.source.outlet).toBe('Coast Herald');
      expect(await reopened.releaseIndexLock()).toBe(false);
    } finally {
      await rm(file);
      await coverage.refresh();
    }
  });
});

describe('an article deleted after ingest', () => {
  it('is left out of the decision as well as the quotes: its question is not answered from other text', async () => {
    const fixture = await makeIndexFixture();
    try {
      const file = path.join(fixture.sourcesDir, 'fishing.md');
      await writeFile(
        file,
        '---\ntitle: Trawler fleet returns early\noutlet: Harbour Gazette\npublished: 2024-05-02\n---\n' +
          'The trawler fleet of Kellsport returned to harbour three days early on Tuesday. ' +
          'The skippers said a storm warning from the coastguard had made them turn back.\n',
      );
      await fixture.ingest();
      const logged: string[] = [];
      const coverage = await seed.reopen({ indexDir: fixture.indexDir, sourcesDir: fixture.sourcesDir, log: (m) => logged.push(m) });
      const question = 'Why did the trawler fleet return early?';
      const before = await coverage.answer(question);
      expect(before.quotes[0]?.source.file).toBe('fishing.md');
      await rm(file);
      const after = await coverage.answer(question);
      expect(after.outcome).not.toBe('answered');
      expect(after.quotes.every((q) => q.source.file !== 'fishing.md')).toBe(true);
      expect(coverage.sourceProblems().map((p) => p.file)).toEqual(['fishing.md']);
    } finally {
      await fixture.cleanup();
    }
  });
});

describe('an index with no articles', () => {
  it('says it holds none and how to add some, rather than that the coverage does not answer', async () => {
    const fixture = await makeIndexFixture({ withSeeds: false });
    try {
      await mkdir(fixture.sourcesDir);
      await fixture.ingest();
      const coverage = await seed.reopen({ indexDir: fixture.indexDir, sourcesDir: fixture.sourcesDir });
      const answer = await coverage.answer('Who leads the coup in Niger?');
      expect(answer.answered).toBe(false);
      const text = formatTerminal(answer, PLAIN);
      expect(text).toMatch(/^The index holds no articles yet: add article files to the sources folder and run ingest \(`npx coverage-bot ingest`; in Discord, \/refresh\)\.$/);
      expect(text).not.toContain(NO_ANSWER);
    } finally {
      await fixture.cleanup();
    }
  });
});
