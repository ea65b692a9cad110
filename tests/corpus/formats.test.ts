// Each file format through loadFile: the fixture articles come out with their text and metadata, and each format's
// own kind of bad input is reported with the file and a reason while the good records load.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleFileError, loadFile, readSourceText } from '../../src/corpus/index.js';
import type { Article } from '../../src/corpus/types.js';
import { fixturesDir, paragraphsOf, tempSourcesDir } from './sources.js';

async function only(file: string, dir = fixturesDir): Promise<Article> {
  const { articles, skipped } = await loadFile(dir, file);
  expect(skipped).toEqual([]);
  expect(articles).toHaveLength(1);
  return articles[0] as Article;
}

async function loadError(dir: string, file: string): Promise<ArticleFileError> {
  const error = await loadFile(dir, file).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ArticleFileError);
  return error as ArticleFileError;
}

describe('.txt', () => {
  it('reads headline, byline, dateline and outlet from the text and drops the caption and teasers', async () => {
    const article = await only('briefing.txt');
    expect(article).toMatchObject({
      id: 'briefing',
      title: "Niger's junta closes border with Benin",
      byline: 'Jean Martin',
      dateline: 'COTONOU, Benin',
      outlet: 'Reuters',
      published: null,
      url: null,
      file: 'briefing.txt',
    });
    expect(paragraphsOf(article.text)).toEqual([
      "COTONOU, Benin — Niger's military rulers closed the border with Benin on Tuesday, halting trucks carrying food and fuel.",
      'Traders said hundreds of lorries were stranded on the Benin side of the river.',
    ]);
  });
});

describe('.md', () => {
  it('takes metadata from the front matter and drops the repeated title heading and the related-stories block', async () => {
    const article = await only('analysis.md');
    expect(article).toMatchObject({
      id: 'analysis',
      title: "What Niger's coup means for the Sahel",
      outlet: 'Example Weekly',
      url: 'https://example.org/analysis/niger-sahel',
      published: '2023-07-29',
      byline: 'Lena Hoffmann',
      dateline: 'Berlin',
    });
    expect(article.text.startsWith('Niger was the last of the central Sahel states')).toBe(true);
    expect(article.text).not.toContain('Wagner');
    expect(article.text).toContain('Around 1,500 French soldiers');
  });

  it('reports broken front matter with the line to fix', async () => {
    const error = await loadError(fixturesDir, 'broken-front-matter.md');
    expect(error.file).toBe('broken-front-matter.md');
    expect(error.reason).toMatch(/^broken front matter at line \d+: .*quoted scalar/);
  });

  it('rejects a front matter field of the wrong kind, naming the field', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'bad-url.md'), '---\ntitle: A story\nurl: not a link\n---\nThe junta closed the borders.\n');
    expect((await loadError(dir, 'bad-url.md')).reason).toMatch(/^invalid front matter: url: must be an absolute http\(s\) URL/);
  });

  it('accepts the common "date" and "author" spellings and turns an unreadable date into null', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'aliases.md'), '---\ndate: 2023-08-01\nauthor: [Jane Roe, John Doe]\n---\nThe junta closed the borders.\n');
    writeFileSync(path.join(dir, 'bad-date.md'), '---\npublished: sometime in August\n---\nThe junta closed the borders.\n');
    expect(await only('aliases.md', dir)).toMatchObject({ published: '2023-08-01', byline: 'Jane Roe, John Doe' });
    expect((await only('bad-date.md', dir)).published).toBeNull();
  });

  it('refuses JavaScript front matter without running it', async () => {
    const dir = tempSourcesDir();
    const marker = '__corpusFrontMatterRan';
    writeFileSync(path.join(dir, 'script.md'), `---js\n{ title: (globalThis.${marker} = true, 'x') }\n---\nThe junta closed the borders.\n`);
    expect((await loadError(dir, 'script.md')).reason).toContain('only YAML front matter is supported');
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });

  it('loads a Markdown file without front matter', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'plain.md'), 'The junta closed the borders.\n');
    expect(await only('plain.md', dir)).toMatchObject({ text: 'The junta closed the borders.', title: 'The junta closed the borders.' });
  });
});

describe('.json', () => {
  it('loads a single article object under the file stem', async () => {
    const article = await only('wire.json');
    expect(article).toMatchObject({
      id: 'wire',
      title: 'ECOWAS gives Niger junta one week to restore Bazoum',
      outlet: 'Example Wire',
      url: 'https://example.net/ecowas-ultimatum',
      published: '2023-07-30',
      byline: 'Chidi Okafor',
      dateline: 'ABUJA, Nigeria',
    });
    expect(paragraphsOf(article.text)).toHaveLength(2);
  });

  it('loads an array record by record, numbering from 1, and reports a record without text', async () => {
    const { articles, skipped } = await loadFile(fixturesDir, 'roundup.json');
    expect(articles.map((a) => a.id)).toEqual(['roundup-1', 'roundup-3']);
    expect(skipped).toEqual([{ file: 'roundup.json', reason: 'record 2: text: missing: every article needs its body in a "text" field' }]);
    expect(articles[1]).toMatchObject({ title: 'The European Union suspended budget support to Niger on Saturday.', published: null });
  });

  it('reports invalid JSON with the line and column', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "title": "x",\n  "text": "y",,\n}\n');
    expect((await loadError(dir, 'broken.json')).reason).toMatch(/^not valid JSON: .*\(line 3, column \d+\)$/);
  });

  it('fails a one-article file whose text is missing', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'no-text.json'), '{"title": "Nothing to read"}');
    expect((await loadError(dir, 'no-text.json')).reason).toBe('invalid article: text: missing: every article needs its body in a "text" field');
  });
});

describe('.ndjson and .jsonl', () => {
  it('loads one article a line and reports each bad line by number, the others loading', async () => {
    const { articles, skipped } = await loadFile(fixturesDir, 'feed.ndjson');
    expect(articles.map((a) => a.id)).toEqual(['feed-1', 'feed-3']);
    expect(articles[1]).toMatchObject({ byline: 'Chidi Okafor, Marie Dubois', url: 'https://example.net/broadcasters' });
    expect(skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^line 2: not valid JSON: /),
      'line 5: text: missing: every article needs its body in a "text" field',
      'line 6: url: must be an absolute http(s) URL, e.g. https://example.com/story',
    ]);
    expect(skipped.every((s) => s.file === 'feed.ndjson')).toBe(true);
  });

  it('treats .jsonl the same way', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'Daily Feed.jsonl'), '{"text": "First story."}\r\n{"text": "Second story."}\r\n');
    const { articles } = await loadFile(dir, 'Daily Feed.jsonl');
    expect(articles.map((a) => [a.id, a.text])).toEqual([
      ['daily-feed-1', 'First story.'],
      ['daily-feed-2', 'Second story.'],
    ]);
  });

  it('fails the file when no line holds an article', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'empty-records.ndjson'), '{"title": "a"}\n{"title": "b"}\n');
    expect((await loadError(dir, 'empty-records.ndjson')).reason).toMatch(/^no article could be loaded: line 1: text: missing.*\(and 1 more problems\)$/);
  });
});

describe('.html', () => {
  it('extracts the main text as blank-line separated paragraphs, without figure, navigation, related links or footer', async () => {
    const article = await only('world/niger-junta.html');
    const paragraphs = paragraphsOf(article.text);
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[0]).toMatch(/^NIAMEY, Niger — The military officers who seized power in Niger last month named a former finance minister, Ali Mahaman Lamine Zeine,/);
    expect(paragraphs[2]).toBe(
      'Zeine worked for years at the African Development Bank and served in the government of former president Mamadou Tandja, who was himself removed in a coup in 2010.\nHis appointment was welcomed by supporters of the junta in the capital.',
    );
    expect(paragraphs[3]).toBe('“We will not accept any interference,” a spokesman for the officers said.');
    for (const furniture of ['Supporters of the junta gather', 'Reuters', 'Home', 'Mali junta delays', '© 2023', 'font-family', 'By Amina Diallo']) {
      expect(article.text).not.toContain(furniture);
    }
  });

  it('reads title, outlet, url, date and byline from the page', async () => {
    expect(await only('world/niger-junta.html')).toMatchObject({
      id: 'world-niger-junta',
      title: 'Niger junta names new prime minister',
      outlet: 'Example Daily',
      url: 'https://example.com/world/niger-junta-prime-minister',
      published: '2023-08-08T09:30:00Z',
      byline: 'Amina Diallo',
      dateline: 'NIAMEY, Niger',
      file: 'world/niger-junta.html',
    });
  });

  it('falls back to <time datetime> and JSON-LD for the date, and leaves absent fields null', async () => {
    const dir = tempSourcesDir();
    const body = '<p>The junta closed the borders on Sunday, a spokesman said in a statement on state television.</p>';
    writeFileSync(path.join(dir, 'time.html'), `<html><head><title>Borders shut</title></head><body><article><time datetime="2023-08-06">6 Aug</time>${body}</article></body></html>`);
    writeFileSync(
      path.join(dir, 'ld.html'),
      `<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2023-08-05"}]}</script></head><body><article>${body}</article></body></html>`,
    );
    expect(await only('time.html', dir)).toMatchObject({ published: '2023-08-06', title: 'Borders shut', url: null, outlet: null, byline: null });
    expect((await only('ld.html', dir)).published).toBe('2023-08-05');
  });

  it('reports a page with no article text', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'blank.html'), '<html><head><title>Nothing</title></head><body><img src="x.png"></body></html>');
    expect((await loadError(dir, 'blank.html')).reason).toMatch(/^no article text found in the HTML/);
  });
});

describe('.csv', () => {
  it('loads one article a row with zero-padded row ids, using the optional columns', async () => {
    const { articles, skipped } = await loadFile(fixturesDir, 'polls.csv');
    expect(articles.map((a) => a.id)).toEqual(['polls-0001', 'polls-0003']);
    expect(articles[0]).toMatchObject({
      title: 'Nigeriens rally in support of junta',
      url: 'https://example.com/rally',
      outlet: 'Example Daily',
      published: '2023-07-30',
      byline: 'Amina Diallo',
    });
    expect(paragraphsOf(articles[0]?.text ?? '')).toHaveLength(2);
    // No title column value: the first sentence; no outlet: null, never guessed.
    expect(articles[1]).toMatchObject({
      title: "Uranium prices rose after the coup in Niger, one of the world's main producers of the fuel.",
      outlet: null,
      published: null,
    });
    expect(skipped).toEqual([{ file: 'polls.csv', reason: 'row 2 (line 5): the "text" cell is empty' }]);
  });

  it('reports a CSV without a text column', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'wrong.csv'), 'headline,body\nA,B\n');
    expect((await loadError(dir, 'wrong.csv')).reason).toBe('the CSV has no "text" column (its header is: headline, body)');
  });

  it('reports a malformed row and loads the rows before it', async () => {
    const dir = tempSourcesDir();
    writeFileSync(path.join(dir, 'ragged.csv'), 'text,category\n"Good row.",world\n"Too many",cells,here\n"Another good row.",world\n');
    const { articles, skipped } = await loadFile(dir, 'ragged.csv');
    expect(articles.map((a) => [a.id, a.text])).toEqual([
      ['ragged-0001', 'Good row.'],
      ['ragged-0003', 'Another good row.'],
    ]);
    expect(skipped).toEqual([{ file: 'ragged.csv', reason: expect.stringMatching(/^row 2 \(line 3\): not valid CSV: /) }]);
  });
});

describe('readSourceText', () => {
  it('gives each format its body as read from the file, containing every cleaned paragraph', async () => {
    const expected: Record<string, string> = {
      'analysis.md': '# What Niger',
      'roundup-3': 'The European Union suspended budget support',
      'feed-3': 'The junta suspended the broadcasts',
      'polls-0001': 'Thousands of people rallied',
      'world-niger-junta': 'By Amina Diallo',
      briefing: 'Source: | This article originally belongs to Reuters.com',
    };
    for (const file of ['analysis.md', 'roundup.json', 'feed.ndjson', 'polls.csv', 'world/niger-junta.html', 'briefing.txt']) {
      for (const article of (await loadFile(fixturesDir, file)).articles) {
        const source = await readSourceText(fixturesDir, article);
        for (const paragraph of paragraphsOf(article.text)) expect(source).toContain(paragraph);
        const marker = expected[article.id] ?? expected[file];
        if (marker) expect(source).toContain(marker);
        // Markdown source text is the body only; CSV and JSON source text is the record's text only.
        expect(source).not.toMatch(/^---|"title"|Example Daily,2023/);
      }
    }
  });
});
