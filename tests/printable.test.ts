// Text from articles and files made safe to print: terminal escape sequences (screen clear, window title, OSC 8 links
// that show one thing and open another), other control characters and bidi overrides removed; the words kept. And the
// CLI as a user runs it on an article full of them: ingest, ask, sources and chat print none of them.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './index/cli-process.js';
import { makeIndexFixture, type IndexFixture } from './support/index-fixture.js';
import { printableText } from '../src/printable.js';

/** Any character printableText must not let through. */
const CONTROL = /(?![\t\n])\p{Cc}|[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('printableText', () => {
  it.each([
    ['clears no screen', 'Harbour\u001b[2J\u001b[H reopens', 'Harbour reopens'],
    ['sets no window title (BEL or ST ended)', 'a\u001b]0;pwned\u0007b \u001b]2;x\u001b\\c', 'ab c'],
    ['shows a disguised link as its text', '\u001b]8;;https://evil.example\u001b\\Reuters\u001b]8;;\u001b\\', 'Reuters'],
    ['drops 8-bit controls (C1 CSI and OSC)', 'ferry \u009b31mservice\u009b0m \u009d0;t\u009cok', 'ferry service ok'],
    ['drops other escapes and C0 controls, DEL too', 'a\u001bcb\u0000c\u0008d\u007fe\u0007f', 'abcdef'],
    ['drops bidi overrides, isolates and marks', 'x\u202Elive\u202C \u2066y\u2069\u200F', 'xlive y'],
    ['keeps newlines and tabs, and line ends as \\n', 'one\ttwo\r\nthree\rfour', 'one\ttwo\nthreefour'],
    ['keeps every other character', 'Café — “quoted” 東京 👩‍👩‍👧 ½', 'Café — “quoted” 東京 👩‍👩‍👧 ½'],
  ])('%s', (_, text, shown) => {
    expect(printableText(text)).toBe(shown);
    expect(printableText(text)).not.toMatch(CONTROL);
  });
});

describe('the CLI on an article full of control characters', () => {
  let fixture: IndexFixture;
  const paths = () => ['--index', fixture.indexDir, '--sources', fixture.sourcesDir];

  beforeAll(async () => {
    fixture = await makeIndexFixture({ withSeeds: false });
    await mkdir(fixture.sourcesDir);
    await writeFile(
      path.join(fixture.sourcesDir, 'harbour.md'),
      '---\n' +
        'title: "Harbour \\u001b]0;pwned\\u0007reopens \\u202Eevil"\n' +
        'outlet: "\\u001b]8;;https://evil.example\\u001b\\\\Reuters\\u001b]8;;\\u001b\\\\"\n' +
        'byline: "By \\u001b[31mA. Writer"\n' +
        '---\n\n' +
        'The Kestrel harbour reopened on Monday after repairs.\u001b[2J\u001b[H The harbour master said the ferry \u009b31mservice\u009b0m resumes at noon.\n',
    );
    // A file name can hold them too: an empty file is reported by name, and so is an indexed file gone since.
    await writeFile(path.join(fixture.sourcesDir, 'note\u001b[2J.txt'), '');
    await writeFile(path.join(fixture.sourcesDir, 'lighthouse\u001b]0;pwned\u0007.txt'), 'The lighthouse keeper found a message in a bottle on Tuesday.\n');
  });
  afterAll(() => fixture?.cleanup());

  it('prints none of them, in ingest, ask, sources and chat, and keeps the words', async () => {
    const ingested = await runCli(['ingest', ...paths()]);
    expect(ingested.code).toBe(0);
    expect(ingested.stdout).toContain('note.txt: the file is empty');

    await rm(path.join(fixture.sourcesDir, 'lighthouse\u001b]0;pwned\u0007.txt'));
    const gone = await runCli(['ask', ...paths(), 'What did the lighthouse keeper find in a bottle?']);
    expect(gone.stderr).toContain('lighthouse.txt is missing');

    const asked = await runCli(['ask', ...paths(), 'When does the ferry service resume?']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('The harbour master said the ferry service resumes at noon.');
    expect(asked.stdout).toContain('Reuters · undated · Harbour reopens evil');

    const listed = await runCli(['sources', '--index', fixture.indexDir]);
    expect(listed.stdout).toContain('harbour  Reuters · undated · Harbour reopens evil');
    expect(listed.stdout).toContain('By A. Writer');

    const run = startCli(['chat', ...paths()]);
    run.child.stdin!.end('/sources\n/source harbour\nWhen does the ferry service resume?\n/quit\n');
    const chat = await run.exited;
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('harbour  Reuters · undated · Harbour reopens evil');
    expect(chat.stdout).toContain('Byline: By A. Writer');

    for (const output of [ingested, gone, asked, listed, chat]) {
      expect(output.stdout).not.toMatch(CONTROL);
      expect(output.stderr).not.toMatch(CONTROL);
    }
  });
});
