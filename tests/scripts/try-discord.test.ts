// `npm run try-discord`: one command shows what the bot would post in Discord, with no account: the fake Discord, the
// registered commands, the real bot and one /ask, printed as a reader sees it (quotes, sources, footer, buttons).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../src/embedding/index.js';
import { MODELS_DIR, REPO_ROOT, makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';

let fixture: IndexFixture;

beforeAll(async () => {
  // A folder of its own: the script builds the index it is pointed at, as `npm start` does.
  fixture = await makeIndexFixture();
});
afterAll(() => fixture?.cleanup());

function tryDiscord(question: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    SOURCES_DIR: fixture.sourcesDir,
    INDEX_DIR: fixture.indexDir,
    MODELS_DIR,
    EMBEDDING_MODEL: OFFLINE_MODEL_ID,
    ALLOW_REMOTE_MODELS: 'false',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/try-discord.ts'), question], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run try-discord', () => {
  it('builds the index, registers the commands, asks once and prints the reply as Discord shows it', async () => {
    const result = await tryDiscord("Who is Niger's armed forces chief?");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Indexed 2 articles');
    expect(result.stderr).toMatch(/registered \/ask, \/sources, \/source, \/refresh, \/status\./);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe("│ Who is Niger's armed forces chief?");
    expect(result.stdout).toMatch(/^│ > “[^\n]*Abdou Sidikou Issa[^\n]*” \[\d\]$/m);
    expect(result.stdout).toMatch(/^│ Sources\n│ \[1\] UrduPoint · 2023-07-27 · /m);
    expect(lines.at(-1)).toBe('[ More context ] [ Sources ] [ 👍 ] [ 👎 ]');
  }, 120_000);
});
