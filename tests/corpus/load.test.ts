// loadSources over a whole folder: every kind of bad file is reported with a reason and skipped while the good ones
// load; ids, ordering, ignored files, size limits, duplicate ids; readSourceText's cache and errors.
import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArticleFileError, loadFile, loadSources, readSourceText, SourcesFolderError } from '../../src/corpus/index.js';
import type { LoadResult } from '../../src/corpus/types.js';
import { tempSourcesDir } from './sources.js';

const GOOD_IDS = [
  'analysis',
  'briefing',
  'feed-1',
  'feed-3',
  'polls-0001',
  'polls-0003',
  'roundup-1',
  'roundup-3',
  'wire',
  'world-niger-junta',
];

function reasonFor(result: LoadResult, file: string): string | undefined {
  return result.skipped.find((s) => s.file === file)?.reason;
}

describe('loadSources', () => {
  let dir: string;
  let result: LoadResult;

  beforeAll(async () => {
    dir = tempSourcesDir(true);
    writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0x4e, 0x69, 0x67, 0x00, 0x65, 0x72]));
    writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from('Le coup d\u00e9tat au Niger.', 'latin1'));
    writeFileSync(path.join(dir, 'empty.txt'), '');
    writeFileSync(path.join(dir, 'blank.md'), ' \n\t\n  \n');
    writeFileSync(path.join(dir, 'huge.txt'), `${'The junta closed the borders. '.repeat(40_000)}\n`);
    writeFileSync(path.join(dir, 'scan.pdf'), '%PDF-1.4 not an article format');
    writeFileSync(path.join(dir, 'Makefile'), 'all:\n');
    symlinkSync(path.join(dir, 'missing-target.txt'), path.join(dir, 'dangling.txt'));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'notes.txt'), 'A hidden folder is never read.');
    writeFileSync(path.join(dir, 'README.txt'), 'Readme files are documentation, not articles.');
    result = await loadSources(dir, { maxBytes: 1_000_000 });
  }, 60_000);

  it('loads every good article, sorted by id', () => {
    expect(result.articles.map((a) => a.id)).toEqual(GOOD_IDS);
  });

  it('skips a binary file', () => {
    expect(reasonFor(result, 'binary.txt')).toBe('binary file (it contains NUL bytes); article files must be text');
  });

  it('skips a file that is not UTF-8', () => {
    expect(reasonFor(result, 'latin1.txt')).toBe('not valid UTF-8 text; re-save the file with UTF-8 encoding');
  });

  it('skips empty and whitespace-only files', () => {
    expect(reasonFor(result, 'empty.txt')).toBe('the file is empty');
    expect(reasonFor(result, 'blank.md')).toBe('the file is empty');
  });

  it('skips a file over the size limit, saying how big it is', () => {
    expect(reasonFor(result, 'huge.txt')).toBe(
      'the file is 1.2 MB, over the 1.0 MB limit for one article (MAX_ARTICLE_BYTES); split it or raise the limit',
    );
  });

  it('skips an unreadable file', () => {
    expect(reasonFor(result, 'dangling.txt')).toBe('cannot read the file (ENOENT); check it exists and is readable');
  });

  it('reports files of unknown type, with or without an extension', () => {
    expect(reasonFor(result, 'scan.pdf')).toMatch(/^unsupported file type "\.pdf"; supported: \.txt, \.md, .*\.csv$/);
    expect(reasonFor(result, 'Makefile')).toMatch(/^unsupported file type \(no extension\)/);
  });

  it('reports broken front matter and bad records of the fixture files', () => {
    expect(reasonFor(result, 'broken-front-matter.md')).toMatch(/^broken front matter/);
    expect(result.skipped.filter((s) => s.file === 'feed.ndjson')).toHaveLength(3);
    expect(reasonFor(result, 'roundup.json')).toMatch(/^record 2: /);
    expect(reasonFor(result, 'polls.csv')).toMatch(/^row 2 /);
  });

  it('ignores dotfiles, hidden folders and README files without reporting them', () => {
    const mentioned = [...result.skipped.map((s) => s.file), ...result.articles.map((a) => a.file)];
    expect(mentioned.some((file) => file.includes('.git') || file.includes('draft') || /readme/i.test(file))).toBe(false);
  });

  it('reports nothing else', () => {
    expect(result.skipped).toHaveLength(14);
  });
});

describe('loadSources ids and limits', () => {
  it('skips the second article claiming an id, naming the file that holds it', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'niger.txt'), 'The junta closed the borders.');
    writeFileSync(path.join(dir, 'Niger.md'), 'The junta reopened the borders.');
    const result = await loadSources(dir);
    expect(result.articles.map((a) => [a.id, a.file])).toEqual([['niger', 'Niger.md']]);
    expect(result.skipped).toEqual([{ file: 'niger.txt', reason: 'article id "niger" is already taken by Niger.md; rename one of the files' }]);
  });

  it('loads articles whose names have no Latin letters, each under its own id', async () => {
    const dir = tempSourcesDir();
    for (const name of ['статья.txt', '新闻.txt', 'άρθρο.txt']) writeFileSync(path.join(dir, name), 'The junta closed the borders.');
    const result = await loadSources(dir);
    expect(result.skipped).toEqual([]);
    expect(result.articles.map((a) => a.id).sort()).toEqual(['άρθρο', 'статья', '新闻']);
  });

  it('keeps the folder in the id of a file in a subfolder', async () => {
    const dir = tempSourcesDir();
    mkdirSync(path.join(dir, '2023', 'July'), { recursive: true });
    writeFileSync(path.join(dir, '2023', 'July', 'Coup in Niger!.txt'), 'The junta closed the borders.');
    const { articles } = await loadSources(dir);
    expect(articles.map((a) => [a.id, a.file])).toEqual([['2023-july-coup-in-niger', '2023/July/Coup in Niger!.txt']]);
  });

  it('counts the size limit per article in a corpus file, so a large CSV of small articles loads', async () => {
    const dir = tempSourcesDir();
    const rows = Array.from({ length: 50 }, (_, i) => `"Story ${i + 1}: the junta closed the borders.",world`);
    rows.push(`"${'A very long article. '.repeat(20)}",world`);
    writeFileSync(path.join(dir, 'corpus.csv'), `text,category\n${rows.join('\n')}\n`);
    const { articles, skipped } = await loadSources(dir, { maxBytes: 200 });
    expect(articles).toHaveLength(50);
    expect(skipped).toEqual([{ file: 'corpus.csv', reason: 'row 51 (line 52): the article text is 420 bytes, over the 200 bytes limit (MAX_ARTICLE_BYTES)' }]);
  });

  it('says how to fix a missing sources directory, as a user error', async () => {
    const error = await loadSources('/nonexistent/sources').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourcesFolderError);
    expect((error as Error).message).toBe(
      'The sources folder /nonexistent/sources does not exist: create it and put article files in it, or give the folder that holds them with --sources DIR (or SOURCES_DIR).',
    );
  });

  it.skipIf(process.getuid?.() === 0)('skips a file without read permission', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'locked.txt'), 'The junta closed the borders.');
    chmodSync(path.join(dir, 'locked.txt'), 0o000);
    const result = await loadSources(dir);
    expect(result.skipped).toEqual([{ file: 'locked.txt', reason: 'cannot read the file (EACCES); check it exists and is readable' }]);
  });
});

describe('loadFile', () => {
  it('refuses a path outside the sources directory', async () => {
    const dir = tempSourcesDir();
    await expect(loadFile(dir, '../etc/passwd.txt')).rejects.toThrow(ArticleFileError);
    await expect(loadFile(dir, '../etc/passwd.txt')).rejects.toThrow('the path is outside the sources directory');
  });

  it('throws an ArticleFileError naming the file and the reason', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'upload.docx'), 'x');
    const error = await loadFile(dir, 'upload.docx').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ArticleFileError);
    expect(error).toMatchObject({ file: 'upload.docx', message: expect.stringMatching(/^upload\.docx: unsupported file type "\.docx"/) });
  });

  it('fails a file whose whole text is teasers and credits', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'teasers.txt'), 'You May Also Like\n\nAnother story entirely\n\nMore of it…');
    await expect(loadFile(dir, 'teasers.txt')).rejects.toThrow(/no article text is left once teasers, captions and metadata lines are removed/);
  });
});

describe('contentHash', () => {
  it('is stable for an unchanged file and changes when only the metadata changes', async () => {
    const dir = tempSourcesDir();
    const file = path.join(dir, 'story.md');
    writeFileSync(file, '---\noutlet: Example Daily\n---\nThe junta closed the borders.\n');
    const first = (await loadFile(dir, 'story.md')).articles[0];
    const again = (await loadFile(dir, 'story.md')).articles[0];
    writeFileSync(file, '---\noutlet: Example Weekly\n---\nThe junta closed the borders.\n');
    const changed = (await loadFile(dir, 'story.md')).articles[0];
    expect(first?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(again?.contentHash).toBe(first?.contentHash);
    expect(changed?.text).toBe(first?.text);
    expect(changed?.contentHash).not.toBe(first?.contentHash);
  });
});

describe('readSourceText', () => {
  it('sees a changed file rather than a stale cached copy', async () => {
    const dir = tempSourcesDir();
    const file = path.join(dir, 'story.txt');
    writeFileSync(file, 'The junta closed the borders.');
    const article = { id: 'story', file: 'story.txt' };
    expect(await readSourceText(dir, article)).toBe('The junta closed the borders.');
    writeFileSync(file, 'The junta reopened the borders.');
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(await readSourceText(dir, article)).toBe('The junta reopened the borders.');
  });

  it('throws an ArticleFileError when the file is gone or no longer holds the article', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'feed.ndjson'), '{"text": "Only one story."}\n');
    await expect(readSourceText(dir, { id: 'gone', file: 'gone.txt' })).rejects.toThrow(/^gone\.txt: cannot read the file \(ENOENT\)/);
    await expect(readSourceText(dir, { id: 'feed-2', file: 'feed.ndjson' })).rejects.toThrow(
      'feed.ndjson: the file no longer holds article "feed-2"; re-run ingest',
    );
    expect(await readSourceText(dir, { id: 'feed-1', file: 'feed.ndjson' })).toBe('Only one story.');
  });

  it('returns text in the form the cleaned text uses: \\n line endings, NFC', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'crlf.txt'), 'Cafe\u0301 owners worried.\r\n\r\nThe curfew began.\r\n');
    const { articles } = await loadFile(dir, 'crlf.txt');
    const source = await readSourceText(dir, articles[0] as { id: string; file: string });
    expect(source).toBe('Café owners worried.\n\nThe curfew began.\n');
    expect(source).toContain(articles[0]?.text.split('\n\n')[0]);
  });
});

describe('symbolic links', () => {
  const STORY = 'Bridge reopens\n\nThe old bridge over the river reopened on Monday after two years of repairs.\n';
  const OUTSIDE = 'a link to a file outside the sources folder; only files inside it are read';

  it('reads a link to a file inside the sources folder, and skips any link whose real path is outside it', async () => {
    const dir = tempSourcesDir();
    const elsewhere = tempSourcesDir();
    writeFileSync(path.join(dir, 'bridge.txt'), STORY);
    symlinkSync(path.join(dir, 'bridge.txt'), path.join(dir, 'alias.txt'));
    writeFileSync(path.join(elsewhere, 'private.txt'), STORY.replace('bridge', 'tunnel'));
    symlinkSync(path.join(elsewhere, 'private.txt'), path.join(dir, 'private.txt'));
    mkdirSync(path.join(dir, 'world'));
    symlinkSync('../../../../../../../../etc/passwd', path.join(dir, 'world', 'passwd.txt'));
    symlinkSync('/etc/hostname', path.join(dir, 'hostname.md'));
    const result = await loadSources(dir);
    expect(result.articles.map((a) => a.id)).toEqual(['alias', 'bridge']);
    expect(result.skipped).toEqual([
      { file: 'hostname.md', reason: OUTSIDE },
      { file: 'private.txt', reason: OUTSIDE },
      { file: 'world/passwd.txt', reason: OUTSIDE },
    ]);
  });

  it('refuses a file that became such a link after it was indexed, when its text is read back for a quote', async () => {
    const dir = tempSourcesDir();
    const elsewhere = tempSourcesDir();
    writeFileSync(path.join(elsewhere, 'secret.txt'), STORY);
    symlinkSync(path.join(elsewhere, 'secret.txt'), path.join(dir, 'bridge.txt'));
    await expect(readSourceText(dir, { id: 'bridge', file: 'bridge.txt' })).rejects.toThrow(`bridge.txt: ${OUTSIDE}`);
  });
});

describe('UTF-16 files', () => {
  const STORY = 'Pont rouvert\n\nThe old bridge over the river reopened on Monday after two years of repairs, the café owner said.\n';
  const bigEndian = (buffer: Buffer) => Buffer.from(buffer).swap16();

  it('reads UTF-16 text (little or big endian, with or without a byte-order mark) as the same article as UTF-8', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'utf8.txt'), STORY);
    writeFileSync(path.join(dir, 'le-bom.txt'), Buffer.from(`\uFEFF${STORY}`, 'utf16le'));
    writeFileSync(path.join(dir, 'be-bom.txt'), bigEndian(Buffer.from(`\uFEFF${STORY}`, 'utf16le')));
    writeFileSync(path.join(dir, 'le.txt'), Buffer.from(STORY, 'utf16le'));
    const { articles, skipped } = await loadSources(dir);
    expect(skipped).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual(['be-bom', 'le', 'le-bom', 'utf8']);
    for (const article of articles) expect(article.text).toBe(articles[3]!.text);
    // Quotes are verified against the file as read back, which must decode it the same way.
    expect(await readSourceText(dir, articles[0]!)).toBe(await readSourceText(dir, articles[3]!));
  });

  it('reads UTF-16 without a byte-order mark in any script, by where its zero bytes fall', async () => {
    // Arabic, Russian, Chinese: no byte is zero but those of spaces and line ends, all in one position of each pair.
    const stories = {
      arabic: 'إعادة فتح الجسر\n\nأعيد فتح الجسر القديم فوق النهر يوم الاثنين بعد عامين من الإصلاحات، كما قال صاحب المقهى.\n',
      russian: 'Мост открыт\n\nСтарый мост через реку открылся в понедельник после двух лет ремонта, сказал владелец кафе.\n',
      chinese: '大桥重新开放\n\n经过两年的维修，河上的老桥于周一重新开放，咖啡馆老板说。\n',
    };
    const dir = tempSourcesDir();
    for (const [name, story] of Object.entries(stories)) {
      writeFileSync(path.join(dir, `${name}-le.txt`), Buffer.from(story, 'utf16le'));
      writeFileSync(path.join(dir, `${name}-be.txt`), bigEndian(Buffer.from(story, 'utf16le')));
    }
    const { articles, skipped } = await loadSources(dir);
    expect(skipped).toEqual([]);
    for (const [name, story] of Object.entries(stories)) {
      for (const end of ['le', 'be']) expect(articles.find((a) => a.id === `${name}-${end}`)?.text, `${name}-${end}`).toBe(story.split('\n\n')[1]!.trim());
    }
  });

  it('does not take binary data with zero bytes for UTF-16', async () => {
    const dir = tempSourcesDir();
    // Zero bytes in both positions of a pair, and 16-bit numbers: data, not text.
    writeFileSync(path.join(dir, 'data.txt'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i % 3 === 0 ? 0 : (i * 7) % 256))));
    writeFileSync(path.join(dir, 'numbers.txt'), Buffer.from(new Uint16Array(Array.from({ length: 256 }, (_, i) => (i * 2654435761) % 251 + 1)).buffer));
    const { skipped } = await loadSources(dir);
    expect(skipped.map((s) => s.file)).toEqual(['data.txt', 'numbers.txt']);
  });

  it('still reports binary files and broken UTF-16', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'odd.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ok', 'utf16le'), Buffer.from([0x00, 0xd8])]));
    writeFileSync(path.join(dir, 'nul.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\u0000b', 'utf16le')]));
    const { skipped } = await loadSources(dir);
    expect(skipped).toEqual([
      { file: 'nul.txt', reason: 'binary file (it contains NUL characters); article files must be text' },
      { file: 'odd.txt', reason: 'not valid UTF-16LE text; re-save the file with UTF-8 encoding' },
    ]);
  });
});
