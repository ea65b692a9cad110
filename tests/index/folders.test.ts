// The sources and index folders must not overlap: an index read as articles grows by its own articles.json on every
// run, and a sources folder at the root of the file system is every file on the machine. Both are refused, before any
// file is written; an index inside the sources in a folder the reader ignores (a dot folder) is fine.
import { existsSync } from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { ingest } from '../../src/index/ingest.js';
import { fixturePerTest, SEEDS_DIR } from '../support/index-fixture.js';

const fixture = fixturePerTest();

/** Runs an ingest expected to be refused; returns its message. */
async function refusal(run: Promise<unknown>): Promise<string> {
  const error = (await run.then(
    () => null,
    (e: unknown) => e,
  )) as Error | null;
  expect(error).toBeInstanceOf(UserError);
  expect(error!.message).not.toContain('\n');
  return error!.message;
}

describe('overlapping sources and index folders', () => {
  it('refuses the sources folder as the index folder, and writes nothing into it', async () => {
    const fx = await fixture();
    const before = await readdir(fx.sourcesDir);
    const message = await refusal(ingest({ ...fx.options, indexDir: fx.sourcesDir }));
    expect(message).toContain(`${fx.sourcesDir} is both the sources folder and the index folder`);
    expect(await readdir(fx.sourcesDir)).toEqual(before);
  });

  it('refuses an index folder inside the sources folder, where its files would be read as articles', async () => {
    const fx = await fixture();
    const indexDir = path.join(fx.sourcesDir, 'index');
    const message = await refusal(ingest({ ...fx.options, indexDir }));
    expect(message).toContain(`The index folder ${indexDir} is inside the sources folder ${fx.sourcesDir}`);
    expect(message).toContain('--index');
    expect(existsSync(indexDir)).toBe(false);
  });

  it('refuses a sources folder inside the index folder', async () => {
    const fx = await fixture();
    const sourcesDir = path.join(fx.indexDir, 'news');
    await cp(SEEDS_DIR, sourcesDir, { recursive: true });
    const message = await refusal(ingest({ ...fx.options, sourcesDir }));
    expect(message).toContain(`The sources folder ${sourcesDir} is inside the index folder ${fx.indexDir}`);
    expect(await readdir(fx.indexDir)).toEqual(['news']);
  });

  it('refuses the root of the file system as the sources folder', async () => {
    const fx = await fixture();
    const message = await refusal(ingest({ ...fx.options, sourcesDir: path.parse(fx.root).root }));
    expect(message).toContain('is the root of the file system');
    expect(existsSync(fx.indexDir)).toBe(false);
  });

  it('accepts an index in a dot folder inside the sources, which the reader skips', async () => {
    const fx = await fixture();
    const indexDir = path.join(fx.sourcesDir, '.index');
    expect((await ingest({ ...fx.options, indexDir })).articles).toBe(2);
    expect((await ingest({ ...fx.options, indexDir })).articles).toBe(2);
  });
});
