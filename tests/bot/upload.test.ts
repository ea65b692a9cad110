// Articles uploaded with /refresh: a safe name, an allowed type and size, contents the corpus loader accepts; saved
// whole into the sources folder or not at all.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UploadError, saveUpload, unsafeFileName } from '../../src/bot/refresh.js';

const dataUrl = (text: string) => `data:text/plain;base64,${Buffer.from(text).toString('base64')}`;
const ARTICLE = '---\ntitle: Bridge repainted\noutlet: Herald\n---\n\nThe bridge was repainted blue over the winter.\n';

describe('unsafeFileName', () => {
  it.each([
    ['bridge.md', null],
    ['Council Budget 2024.txt', null],
    ['wire_feed-2.json', null],
    ['page.HTML', null],
    ['../etc/passwd.md', /path separators/],
    ['a\\b.md', /path separators/],
    ['a..b.md', /"\.\."/],
    ['.env.md', /start with a dot/],
    ['-rf.md', /only letters/],
    ['naïve.md', /only letters/],
    ['script.js', /must be one of/],
    ['archive.csv', /must be one of/],
    ['README.md', /README/],
    [`${'a'.repeat(100)}.md`, /1 to 100/],
  ])('%j → %s', (name, expected) => {
    const reason = unsafeFileName(name);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});

describe('saveUpload', () => {
  let dir: string;
  const config = () => ({ SOURCES_DIR: dir, MAX_UPLOAD_BYTES: 10_000, MAX_ARTICLE_BYTES: 5_000_000 });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'coverage-sources-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves a valid article under its name and says which articles it holds', async () => {
    const saved = await saveUpload({ name: 'bridge.md', url: dataUrl(ARTICLE), size: ARTICLE.length }, config());
    expect(saved).toEqual({ file: 'bridge.md', articles: ['bridge'], replaced: false });
    expect(await readFile(path.join(dir, 'bridge.md'), 'utf8')).toBe(ARTICLE);
    expect(await readdir(dir)).toEqual(['bridge.md']);
    const again = await saveUpload({ name: 'bridge.md', url: dataUrl(ARTICLE), size: ARTICLE.length }, config());
    expect(again.replaced).toBe(true);
  });

  it('writes nothing when the contents are not an article, or the file is too big', async () => {
    await expect(saveUpload({ name: 'empty.txt', url: dataUrl('  \n '), size: 4 }, config())).rejects.toThrow(/the file is empty/);
    await expect(saveUpload({ name: 'bin.txt', url: dataUrl('a\u0000b'), size: 3 }, config())).rejects.toThrow(/binary/);
    await expect(saveUpload({ name: 'bad.json', url: dataUrl('{"title": '), size: 10 }, config())).rejects.toBeInstanceOf(UploadError);
    await expect(saveUpload({ name: 'big.txt', url: dataUrl('x'.repeat(20_000)), size: 20_000 }, config())).rejects.toThrow(/upload limit/);
    // A size the attachment under-reports is caught while downloading.
    await expect(saveUpload({ name: 'liar.txt', url: dataUrl('word '.repeat(4000)), size: 10 }, config())).rejects.toThrow(/upload limit/);
    expect(await readdir(dir)).toEqual([]);
  });
});
