// /refresh end to end: refused to members, accepted for moderators (by Manage Server or by a configured role); an
// uploaded article is checked, saved and indexed while questions keep being answered from the old index; a second
// refresh meanwhile is told so; a bad upload leaves the old index serving; old answers' buttons survive the swap.
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticArticles } from '../index/synthetic-articles.js';
import { DEFAULT_IDS, type InteractionResponseRecord } from './fake-discord/index.js';
import { ask, bbcArticles, buttonId, displayed, shownQuotes, sourceIds, startHarness, type BotHarness } from './harness.js';

const GLIMMERTON = `---
title: Glimmerton repaints its suspension bridge
outlet: Glimmerton Herald
published: 2024-06-01
---

The Glimmerton suspension bridge was repainted ultramarine blue over the winter, the town council said on Friday.

Council engineer Priya Castellano said the crews replaced 1,284 rivets and used 9,600 litres of paint.
`;
const BRIDGE_QUESTION = 'What colour was the Glimmerton suspension bridge repainted?';

function embedOf(response: InteractionResponseRecord): { title?: string; description?: string; fields?: { value: string }[] } | undefined {
  return (response.data?.['embeds'] as { title?: string; description?: string; fields?: { value: string }[] }[] | undefined)?.[0];
}

describe('/refresh', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startHarness({ sources: bbcArticles(20), env: { MODERATOR_ROLE_IDS: DEFAULT_IDS.moderatorRole } });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('is refused, at run time, to a member without Manage Server or a moderator role', async () => {
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'refresh', userId: DEFAULT_IDS.member });
    const reply = await h.fake.waitForResponse(sent.id);
    expect(reply.callbackType).toBe(4);
    expect(String(reply.data?.['content'])).toMatch(/Only moderators/);
    expect(h.fake.message(reply.messageId!)?.ephemeral).toBe(true);
    // Even with Manage Server in the payload stripped, a moderator role alone is enough; nothing here changed the index.
    expect(h.bot.runtime().refreshing).toBe(false);
  });

  it('indexes an uploaded article while the old index keeps answering, tells a second /refresh one is running, and answers from the new index after', async () => {
    // A hundred more articles in the folder make the refresh take long enough to ask questions during it.
    await writeSyntheticArticles(h.fixture.sourcesDir, 100);
    const before = await ask(h.fake, BRIDGE_QUESTION);
    // Before the upload nothing indexed mentions Glimmerton, and the bot says so.
    expect(before.message.api.embeds[0]?.description).toBe(
      'The indexed coverage does not answer this question. None of the indexed articles mentions Glimmerton.',
    );

    const refresh = h.fake.dispatchInteraction({
      kind: 'command',
      name: 'refresh',
      userId: DEFAULT_IDS.moderator,
      options: { file: { filename: 'glimmerton-bridge.md', content: GLIMMERTON } },
    });
    expect((await h.fake.waitForResponse(refresh.id)).callbackType).toBe(5);
    await h.fake.waitForResponse(refresh.id, (r) => r.kind === 'edit-original' && String(r.data?.['content']).startsWith('Refreshing'));

    // A moderator by role only (no Manage Server in this channel) may refresh too; this one is told a refresh is running.
    const second = h.fake.dispatchInteraction({ kind: 'command', name: 'refresh', userId: DEFAULT_IDS.moderator, permissions: '0' });
    const secondReply = await h.fake.waitForResponse(second.id, (r) => r.kind === 'edit-original');
    expect(String(secondReply.data?.['content'])).toMatch(/already running/);

    const during = await ask(h.fake, "Who is Niger's elected president?");
    expect(shownQuotes(during.message.api.embeds[0]!).length).toBeGreaterThan(0);

    const done = await h.fake.waitForResponse(refresh.id, (r) => r.kind === 'edit-original' && embedOf(r)?.title === 'Index refreshed', 60_000);
    // The question asked during the refresh was answered before the refresh finished.
    expect(during.message.bodies.length).toBeGreaterThan(0);
    const answeredAt = h.fake.interactionResponses(during.id).find((r) => r.kind === 'edit-original')!.at;
    expect(answeredAt).toBeLessThan(done.at);
    const progress = h.fake.interactionResponses(refresh.id).filter((r) => r.kind === 'edit-original').map((r) => String(r.data?.['content'] ?? ''));
    expect(progress.some((c) => /embedding/.test(c))).toBe(true);
    const summary = embedOf(done)!.description!;
    expect(summary).toContain('Saved `glimmerton-bridge.md` in the sources folder.');
    expect(summary).toMatch(/added 101 · updated 0 · removed 0 · skipped 0/);
    expect(h.fake.message(done.messageId!)?.pings).toEqual({ users: [], roles: [], everyone: false });
    expect(existsSync(path.join(h.fixture.sourcesDir, 'glimmerton-bridge.md'))).toBe(true);
    expect((await readdir(h.fixture.sourcesDir)).filter((f) => f.startsWith('.'))).toEqual([]);

    const after = await ask(h.fake, BRIDGE_QUESTION);
    const embed = after.message.api.embeds[0]!;
    expect([...sourceIds(embed).values()]).toContain('glimmerton-bridge');
    expect(displayed(embed.description ?? '')).toContain('ultramarine');
    for (const quote of shownQuotes(embed)) expect(await h.articleText(sourceIds(embed).get(quote.marker)!)).toContain(quote.text);
    expect(h.bot.runtime().refreshing).toBe(false);

    // The answer given before the refresh still has working buttons: its quotes were remembered, not looked up.
    const click = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(before.message, 'Sources'), messageId: before.message.id });
    expect((await h.fake.waitForResponse(click.id)).callbackType).toBe(4);
  });

  it('a bad upload is refused with the reason and the old index keeps serving', async () => {
    const status = h.bot.coverage().status();
    for (const [filename, content, reason] of [
      ['.hidden.md', GLIMMERTON, /must not start with a dot/],
      ['notes.pdf', GLIMMERTON, /must be one of \.txt, \.md, \.json, \.html/],
      ['empty.md', '   \n', /not a usable article: the file is empty/],
      ['big.txt', 'x '.repeat(600_000), /over the 1,000,000-byte upload limit/],
    ] as const) {
      const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'refresh', userId: DEFAULT_IDS.moderator, options: { file: { filename, content } } });
      const failed = await h.fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original' && embedOf(r)?.title === 'Refresh failed', 20_000);
      expect(embedOf(failed)?.description).toMatch(reason);
      expect(embedOf(failed)?.description).toContain('The previous index is still answering questions.');
      expect(existsSync(path.join(h.fixture.sourcesDir, filename))).toBe(false);
    }
    expect(h.bot.coverage().status()).toEqual(status);
    const still = await ask(h.fake, BRIDGE_QUESTION);
    expect(displayed(still.message.api.embeds[0]?.description ?? '')).toContain('ultramarine');
  });

  it('refuses an upload whose article id another file already has, naming that file and how to replace it', async () => {
    // glimmerton-bridge.md (uploaded above) has the id glimmerton-bridge; a .json of the same name would take it over.
    const impostor = JSON.stringify({ title: 'Glimmerton bridge', outlet: 'Elsewhere', text: 'The Glimmerton suspension bridge was repainted shocking pink over the winter.' });
    const status = h.bot.coverage().status();
    const sent = h.fake.dispatchInteraction({
      kind: 'command',
      name: 'refresh',
      userId: DEFAULT_IDS.moderator,
      options: { file: { filename: 'glimmerton-bridge.json', content: impostor } },
    });
    const failed = await h.fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original' && /^Refresh failed|^Index/.test(embedOf(r)?.title ?? ''), 60_000);
    expect(embedOf(failed)?.title).toBe('Refresh failed');
    const reason = displayed(embedOf(failed)?.description ?? '');
    expect(reason).toContain('the article id `glimmerton-bridge` is already used by `glimmerton-bridge.md`');
    expect(reason).toMatch(/upload it as `glimmerton-bridge\.md` to replace that article, or rename this file/);
    expect(existsSync(path.join(h.fixture.sourcesDir, 'glimmerton-bridge.json'))).toBe(false);
    expect(h.bot.coverage().status()).toEqual(status);
    const still = await ask(h.fake, BRIDGE_QUESTION);
    expect(displayed(still.message.api.embeds[0]?.description ?? '')).toContain('ultramarine');
    expect(displayed(still.message.api.embeds[0]?.description ?? '')).not.toContain('pink');
  });

  it('keeps acknowledging /ask within Discord\'s 3 s throughout a refresh, even with a deeply nested HTML page in the folder', async () => {
    // 150 more articles to chunk, tag, embed and index, and a page of 1,000 nested <div>s (Readability once froze the
    // process for 12 s on it, leaving every /ask meanwhile unacknowledged).
    // The same generator as the test before: its first 100 articles are there already, the next 150 are new.
    await writeSyntheticArticles(h.fixture.sourcesDir, 250);
    await writeFile(path.join(h.fixture.sourcesDir, 'deep.html'), `<html><body>${'<div>'.repeat(1000)}<p>Deep.</p>${'</div>'.repeat(1000)}</body></html>`);
    const refresh = h.fake.dispatchInteraction({ kind: 'command', name: 'refresh', userId: DEFAULT_IDS.moderator });
    await h.fake.waitForResponse(refresh.id, (r) => r.kind === 'edit-original' && String(r.data?.['content']).startsWith('Refreshing'));
    const latencies: number[] = [];
    const callbacks: Array<Promise<unknown>> = [];
    while (h.bot.runtime().refreshing) {
      const started = performance.now();
      const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: "Who is Niger's elected president?" } });
      callbacks.push(
        h.fake.waitForResponse(sent.id, (r) => r.kind === 'callback', 20_000).then((r) => {
          latencies.push(performance.now() - started);
          expect(r.callbackType).toBe(5);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await Promise.all(callbacks);
    const done = await h.fake.waitForResponse(refresh.id, (r) => r.kind === 'edit-original' && embedOf(r)?.title === 'Index refreshed', 60_000);
    expect(embedOf(done)!.fields?.map((f) => f.value).join('\n')).toMatch(/`deep\.html`: the HTML nests elements more than 256 deep/);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `/ask acknowledgement during a refresh of 150 articles: ${latencies.length} asks, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
    );
    expect(latencies.length).toBeGreaterThan(5);
    // Discord drops an interaction not acknowledged within 3 s (the fake answers 10062 Unknown interaction).
    expect(sorted.at(-1)!).toBeLessThan(3000);
  });
});
