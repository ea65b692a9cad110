// Articles uploaded with /refresh: fetched only from Discord's attachment hosts (no other host, no redirect away, a
// timeout, the size limit counted while streaming), a safe name, an allowed type and size, contents the corpus loader
// accepts; saved whole into the sources folder or not at all.
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UploadError, attachmentOrigins, attachmentUrl, saveUpload, unsafeFileName } from '../../src/bot/refresh.js';

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

/** A small HTTP server answering each path with a handler; counts the requests it gets. */
async function startServer(routes: Record<string, (res: ServerResponse) => void>): Promise<{ origin: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('attachmentUrl', () => {
  const origins = attachmentOrigins(undefined);

  it("accepts Discord's CDN and media proxy, and DISCORD_API_URL's origin when set", () => {
    expect(attachmentUrl('https://cdn.discordapp.com/attachments/1/2/a.md?ex=1&hm=2', origins).host).toBe('cdn.discordapp.com');
    expect(attachmentUrl('https://media.discordapp.net/attachments/1/2/a.md', origins).host).toBe('media.discordapp.net');
    expect(attachmentUrl('http://127.0.0.1:4321/attachments/1/a.md', attachmentOrigins('http://127.0.0.1:4321/api')).port).toBe('4321');
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/iam', /^refused to download from http:\/\/169\.254\.169\.254: attachments are downloaded only from Discord's CDN/],
    ['http://localhost:8080/admin', /refused to download from http:\/\/localhost:8080/],
    ['http://cdn.discordapp.com/attachments/1/2/a.md', /refused to download from http:\/\/cdn\.discordapp\.com/],
    ['https://cdn.discordapp.com.evil.example/a.md', /refused to download from https:\/\/cdn\.discordapp\.com\.evil\.example/],
    ['https://user:pw@cdn.discordapp.com/a.md', /refused to download/],
    ['file:///etc/passwd', /^refused to download from a file: URL: attachments are downloaded only from Discord's CDN/],
    ['data:text/plain;base64,aGk=', /refused to download from a data: URL/],
    ['not a url', /no valid URL/],
  ])('refuses %s', (url, reason) => {
    expect(() => attachmentUrl(url, origins)).toThrow(UploadError);
    expect(() => attachmentUrl(url, origins)).toThrow(reason);
  });
});

describe('saveUpload', () => {
  let dir: string;
  let discord: Awaited<ReturnType<typeof startServer>>;
  let elsewhere: Awaited<ReturnType<typeof startServer>>;
  // The fake Discord's role: DISCORD_API_URL's origin serves the attachments.
  const config = () => ({ SOURCES_DIR: dir, MAX_UPLOAD_BYTES: 10_000, MAX_ARTICLE_BYTES: 5_000_000, DISCORD_API_URL: `${discord.origin}/api` });
  const at = (route: string) => `${discord.origin}${route}`;

  beforeAll(async () => {
    elsewhere = await startServer({ '/secret.md': (res) => res.end(ARTICLE) });
    const serve = (text: string) => (res: ServerResponse) => res.end(text);
    discord = await startServer({
      '/attachments/1/bridge.md': serve(ARTICLE),
      '/attachments/2/empty.txt': serve('  \n '),
      '/attachments/3/bin.txt': serve('a\u0000b'),
      '/attachments/4/bad.json': serve('{"title": '),
      '/attachments/5/big.txt': serve('x'.repeat(20_000)),
      // Chunked, with no Content-Length: only counting while streaming catches it.
      '/attachments/6/liar.txt': (res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 40; i++) res.write('word '.repeat(100));
        res.end();
      },
      '/attachments/7/moved.md': (res) => res.writeHead(302, { location: '/attachments/1/bridge.md' }).end(),
      '/attachments/8/away.md': (res) => res.writeHead(302, { location: `${elsewhere.origin}/secret.md` }).end(),
      '/attachments/9/slow.md': (res) => res.writeHead(200, { 'content-type': 'text/plain' }).write('Still coming'),
      '/attachments/10/article.json': serve(JSON.stringify({ title: 'Fishing quotas cut', text: 'The fishing quota was cut by half.' })),
    });
  });

  afterAll(async () => {
    await discord?.close();
    await elsewhere?.close();
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'coverage-sources-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves a valid article under its name and says which articles it holds', async () => {
    const saved = await saveUpload({ name: 'bridge.md', url: at('/attachments/1/bridge.md'), size: ARTICLE.length }, config());
    expect(saved).toEqual({ file: 'bridge.md', articles: ['bridge'], replaced: false });
    expect(await readFile(path.join(dir, 'bridge.md'), 'utf8')).toBe(ARTICLE);
    expect(await readdir(dir)).toEqual(['bridge.md']);
    const again = await saveUpload({ name: 'bridge.md', url: at('/attachments/1/bridge.md'), size: ARTICLE.length }, config());
    expect(again.replaced).toBe(true);
    // A redirect within the allowed origin is followed.
    expect((await saveUpload({ name: 'moved.md', url: at('/attachments/7/moved.md'), size: ARTICLE.length }, config())).articles).toEqual(['moved']);
  });

  it('writes nothing when the contents are not an article, or the file is too big', async () => {
    await expect(saveUpload({ name: 'empty.txt', url: at('/attachments/2/empty.txt'), size: 4 }, config())).rejects.toThrow(/the file is empty/);
    await expect(saveUpload({ name: 'bin.txt', url: at('/attachments/3/bin.txt'), size: 3 }, config())).rejects.toThrow(/binary/);
    await expect(saveUpload({ name: 'bad.json', url: at('/attachments/4/bad.json'), size: 10 }, config())).rejects.toBeInstanceOf(UploadError);
    await expect(saveUpload({ name: 'big.txt', url: at('/attachments/5/big.txt'), size: 20_000 }, config())).rejects.toThrow(/upload limit/);
    // A size the attachment under-reports is caught: by the Content-Length, or while streaming when there is none.
    await expect(saveUpload({ name: 'big.txt', url: at('/attachments/5/big.txt'), size: 10 }, config())).rejects.toThrow(/upload limit/);
    await expect(saveUpload({ name: 'liar.txt', url: at('/attachments/6/liar.txt'), size: 10 }, config())).rejects.toThrow(/upload limit/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("fetches nothing but Discord's attachments: other hosts, redirects to them and file: URLs are refused", async () => {
    const refuse = (url: string) => saveUpload({ name: 'x.md', url, size: 10 }, config());
    await expect(refuse(`${elsewhere.origin}/secret.md`)).rejects.toThrow(`refused to download from ${elsewhere.origin}: attachments are downloaded only from Discord's CDN`);
    await expect(refuse('http://localhost:9/latest/meta-data/')).rejects.toThrow(/refused to download from http:\/\/localhost:9:/);
    await expect(refuse(at('/attachments/8/away.md'))).rejects.toThrow(`refused to download from ${elsewhere.origin}`);
    await expect(refuse('file:///etc/passwd')).rejects.toThrow(/^refused to download from a file: URL/);
    expect(elsewhere.hits).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a file that would take over another file's article id, and says which file and how to replace it", async () => {
    const upload = (name: string) => ({ name, url: at('/attachments/10/article.json'), size: 80 });
    await writeFile(path.join(dir, 'fishing.md'), ARTICLE);
    // Not indexed yet: the id comes from the file name.
    await expect(saveUpload(upload('fishing.json'), config())).rejects.toThrow(
      new UploadError('the article id `fishing` is already used by `fishing.md` in the sources folder: upload it as `fishing.md` to replace that article, or rename this file to add it as a new article'),
    );
    // Indexed: the index says which file holds the id (here one row of a CSV, which an upload must not replace whole).
    await writeFile(path.join(dir, 'wire.csv'), 'text\nOne.\nTwo.\n');
    const indexed = [{ id: 'fishing', file: 'fishing.md' }, { id: 'wire-2', file: 'wire.csv' }];
    await expect(saveUpload(upload('wire-2.json'), config(), { indexed })).rejects.toThrow(
      'the article id `wire-2` is already used by `wire.csv` in the sources folder: rename this file to add it as a new article',
    );
    // A file in a subfolder holds an id with the folder in it; an upload cannot replace it.
    await mkdir(path.join(dir, 'news'));
    await writeFile(path.join(dir, 'news', 'harbour.txt'), 'The harbour reopened.');
    await expect(saveUpload(upload('news-harbour.json'), config())).rejects.toThrow('already used by `news/harbour.txt` in the sources folder: rename this file');
    expect((await readdir(dir)).sort()).toEqual(['fishing.md', 'news', 'wire.csv']);

    // The same name replaces the file; another name, an id nobody has, and the CSV's name-derived id are free.
    expect((await saveUpload(upload('fishing.md'), config(), { indexed })).replaced).toBe(true);
    expect((await saveUpload(upload('wire.json'), config(), { indexed })).articles).toEqual(['wire']);
    // A file the index still lists but the folder no longer has holds nothing.
    await rm(path.join(dir, 'news'), { recursive: true });
    expect((await saveUpload(upload('news-harbour.json'), config(), { indexed: [...indexed, { id: 'news-harbour', file: 'news/harbour.txt' }] })).replaced).toBe(false);
  });

  it('gives up on a download that takes too long', async () => {
    const slow = saveUpload({ name: 'slow.md', url: at('/attachments/9/slow.md'), size: 10 }, config(), { downloadTimeoutMs: 300 });
    await expect(slow).rejects.toThrow('the attachment download took over 0.3 s and was stopped');
    expect(await readdir(dir)).toEqual([]);
  });
});
