// scripts/build.js as `npm install` and the first `npx coverage-bot` run it: a current build is not redone, and a new one
// replaces dist/ by renames, so a command already running from dist/ never finds it gone (it loads files such as
// dist/text/tag-worker.js long after it starts). Run on a small project of the same shape, for speed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/index-fixture.js';

let root: string;

/** Runs the build script of the small project; resolves with what it printed. */
function build(): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function writeSource(name: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, 'src', name)), { recursive: true });
  writeFileSync(path.join(root, 'src', name), text);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'coverage-bot-build-'));
  await cp(path.join(REPO_ROOT, 'scripts/build.js'), path.join(root, 'scripts/build.js'));
  await cp(path.join(REPO_ROOT, 'tsconfig.build.json'), path.join(root, 'tsconfig.build.json'));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [] } }));
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  writeSource('cli/index.ts', 'export const version: string = "1";\n');
  writeSource('text/tag-worker.ts', 'export const worker = 1;\n');
  writeSource('answer/tuning/model.json', '{"k": 1}\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scripts/build.js', () => {
  it('builds dist/ with the compiled sources, the data files and a stamp', async () => {
    const first = await build();
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/compiled src\/ to dist\//);
    expect(readFileSync(path.join(root, 'dist/cli/index.js'), 'utf8')).toContain('version = "1"');
    expect(existsSync(path.join(root, 'dist/text/tag-worker.js'))).toBe(true);
    expect(existsSync(path.join(root, 'dist/answer/tuning/model.json'))).toBe(true);
    expect(readFileSync(path.join(root, 'dist/.build-stamp'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });

  it('does not rebuild a build of the same sources, even after a checkout rewrote them', async () => {
    const compiled = statSync(path.join(root, 'dist/cli/index.js'));
    // A checkout writes files anew with the same content: newer, unchanged.
    writeSource('cli/index.ts', 'export const version: string = "1";\n');
    const again = await build();
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/not rebuilt/);
    expect(statSync(path.join(root, 'dist/cli/index.js')).ino).toBe(compiled.ino);
    // bin/coverage-bot.js trusts dist/ only while the stamp is newer than the sources.
    expect(statSync(path.join(root, 'dist/.build-stamp')).mtimeMs).toBeGreaterThanOrEqual(statSync(path.join(root, 'src/cli/index.ts')).mtimeMs);
  });

  it('rebuilds changed sources without dist/ ever going missing, and leaves no folder behind', async () => {
    writeSource('cli/index.ts', 'export const version: string = "2";\n');
    let missing = 0;
    let polls = 0;
    const rebuilding = build();
    let done = false;
    void rebuilding.finally(() => (done = true));
    while (!done) {
      polls++;
      if (!existsSync(path.join(root, 'dist/text/tag-worker.js'))) missing++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const rebuilt = await rebuilding;
    expect(rebuilt.code).toBe(0);
    expect(polls).toBeGreaterThan(10);
    // Gone at most between the swap's two renames (microseconds): one unlucky poll. Removing dist/ before compiling,
    // as the build did, left it missing for the whole compile: nearly every poll.
    expect(missing).toBeLessThanOrEqual(1);
    expect(readFileSync(path.join(root, 'dist/cli/index.js'), 'utf8')).toContain('version = "2"');
    expect(readdirSync(root).filter((name) => name.startsWith('dist'))).toEqual(['dist']);
  });
});
