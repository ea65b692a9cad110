// `coverage-bot chat` fed by a pipe, as a script or a quick try would: every line is answered, commands included,
// even when all lines arrive at once before the model has loaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../index/cli-process.js';
import { makeIndexFixture, type IndexFixture } from '../support/index-fixture.js';

let fixture: IndexFixture;

beforeAll(async () => {
  fixture = await makeIndexFixture();
  await fixture.ingest();
});
afterAll(() => fixture?.cleanup());

describe('coverage-bot chat', () => {
  it('answers every piped line, then leaves on /quit', async () => {
    const run = startCli(['chat', '--index', fixture.indexDir, '--sources', fixture.sourcesDir]);
    run.child.stdin!.end(
      ['Who is the armed forces chief?', '/sources', '/source 001_f0ef755a6af1d45a', '/source 000', '/source 00', '/nonsense', '/quit', 'never read'].join('\n'),
    );
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/“[^”]*Abdou Sidikou Issa[^”]*” \[1\]/);
    expect(result.stdout).toContain('000_b9dabca082e516ec  NBC News · undated');
    expect(result.stdout).toContain('Dateline: Niamey');
    // A unique start of an id is enough; an ambiguous one is named as such.
    expect(result.stdout).toMatch(/NBC News · undated · .*\nByline: /);
    expect(result.stdout).toContain('2 articles have an id starting with "00": 000_b9dabca082e516ec, 001_f0ef755a6af1d45a. Type more of it.');
    expect(result.stdout).toMatch(/coverage-bot chat: 2 articles, \d+ passages/);
    expect(result.stdout).toContain('Unknown command /nonsense');
    // One prompt per line read, and nothing after /quit.
    expect(result.stdout.match(/^> /gm)?.length).toBe(7);
  });
});
