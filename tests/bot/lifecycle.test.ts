// The bot's life around the answers: without the privileged Message Content intent it logs in again without it and
// keeps working (slash commands, mentions); the per-user question allowance and the cap on concurrent answers turn extra
// questions away with a "try again in N s"; shutdown finishes the replies in flight before disconnecting.
import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCoverage, type Coverage } from '../../src/answer/index.js';
import { IndexLockedError, lockIndex, releaseIndexLock } from '../../src/index/lock.js';
import { loadIndex } from '../../src/index/store.js';
import { MODELS_DIR, testIngestOptions, type IndexFixture } from '../support/index-fixture.js';
import { DEFAULT_IDS, type InteractionResponseRecord } from './fake-discord/index.js';
import { writeSyntheticArticles } from '../index/synthetic-articles.js';
import { ask, buildFixture, shownQuotes, startHarness, type BotHarness } from './harness.js';

const PRESIDENT = "Who is Niger's elected president?";

describe('bot lifecycle', () => {
  let fixture: IndexFixture;
  let coverage: Coverage;

  beforeAll(async () => {
    fixture = await buildFixture();
    coverage = await openCoverage({
      indexDir: fixture.indexDir,
      sourcesDir: fixture.sourcesDir,
      modelsDir: MODELS_DIR,
      allowRemoteModels: false,
      ingest: testIngestOptions(fixture.sourcesDir, fixture.indexDir),
    });
  });

  afterAll(async () => {
    await fixture?.cleanup();
  });

  describe('question allowance and concurrency cap', () => {
    let h: BotHarness;

    beforeAll(async () => {
      h = await startHarness({ fixture, coverage, env: { QUESTIONS_PER_MINUTE: '2', MAX_CONCURRENT_ANSWERS: '1' } });
    });

    afterAll(async () => {
      await h?.stop();
    });

    it('a quick follow-up is answered, a question past the allowance is told when to ask again; a second user while the only answer slot is taken is told the bot is busy', async () => {
      const first = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', userId: DEFAULT_IDS.member, options: { question: PRESIDENT } });
      const other = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', userId: DEFAULT_IDS.moderator, options: { question: PRESIDENT } });
      const busy = await h.fake.waitForResponse(other.id);
      expect(busy.callbackType).toBe(4);
      expect(String(busy.data?.['content'])).toMatch(/^I'm busy answering other questions: try again in \d+ s\.$/);
      expect(h.fake.message(busy.messageId!)?.ephemeral).toBe(true);
      await h.fake.waitForResponse(first.id, (r) => r.kind === 'edit-original');

      // The follow-up at once is within the allowance (2 a minute); the third question is not. (The answer slot is
      // given back a moment after the reply lands.)
      await vi.waitFor(() => expect(h.bot.answering.active).toBe(0));
      const followUp = await ask(h.fake, 'Who is the armed forces chief?', { userId: DEFAULT_IDS.member });
      expect(followUp.message.api.embeds[0]?.title).toBeTruthy();
      const again = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', userId: DEFAULT_IDS.member, options: { question: PRESIDENT } });
      const wait = await h.fake.waitForResponse(again.id);
      expect(wait.callbackType).toBe(4);
      expect(String(wait.data?.['content'])).toMatch(/^You have asked 2 questions in a minute, the most one person may: try again in (5\d|60) s\.$/);
      expect(h.fake.message(wait.messageId!)?.ephemeral).toBe(true);

      // The moderator was turned away for lack of a slot, not for asking: they may ask now.
      const { message } = await ask(h.fake, PRESIDENT, { userId: DEFAULT_IDS.moderator });
      expect(shownQuotes(message.api.embeds[0]!).length).toBeGreaterThan(0);
      // Each question that got its answer slot is answered or shown as the closest coverage, as the fitted decision judges.
      const replied = expect.stringMatching(/^(answered|no-answer)$/);
      await vi.waitFor(() => expect(h.logs.filter((l) => l['event'] === 'interaction').map((l) => l['outcome'])).toEqual(['busy', replied, replied, 'rate-limited', replied]));
    });

    it('a channel question past the allowance gets a plain "try again" reply that pings nobody', async () => {
      const asked = h.fake.dispatchMessage({ content: 'Who condemned the coup in Niger?', author: DEFAULT_IDS.member });
      const reply = await h.fake.waitForMessage(DEFAULT_IDS.ask, (m) => m.api.message_reference?.message_id === asked.id);
      expect(reply.api.content).toMatch(/^You have asked 2 questions in a minute, the most one person may: try again in \d+ s\.$/);
      expect(reply.pings).toEqual({ users: [], roles: [], everyone: false });
    });
  });

  describe('without the Message Content intent', () => {
    let h: BotHarness;

    beforeAll(async () => {
      h = await startHarness({ fixture, coverage, fake: { privilegedIntents: false } });
    });

    afterAll(async () => {
      await h?.stop();
    });

    it('logs a clear warning and logs in again without it', () => {
      expect(h.fake.identifies.map((i) => i.rejectedWith)).toEqual([4014, null]);
      expect((h.fake.identifies[1]?.intents ?? 0) & GatewayIntentBits.MessageContent).toBe(0);
      expect(h.bot.runtime().messageContent).toBe(false);
      const warning = h.logs.find((l) => l.level === 40 && /Message Content intent/.test(l.msg));
      expect(warning?.msg).toMatch(/Privileged Gateway Intents/);
    });

    it('still answers /ask and questions that mention the bot', async () => {
      const { message } = await ask(h.fake, PRESIDENT);
      expect(shownQuotes(message.api.embeds[0]!).length).toBeGreaterThan(0);
      const asked = h.fake.dispatchMessage({ content: 'who is the president of Niger?', mentionBot: true });
      const answer = await h.fake.waitForMessage(asked.id, (m) => m.api.embeds.length > 0, 10_000);
      expect(shownQuotes(answer.api.embeds[0]!).length).toBeGreaterThan(0);
    });

    it('stops taking work on shutdown but finishes the reply in flight, then disconnects', async () => {
      const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: PRESIDENT } });
      await h.fake.waitForResponse(sent.id, (r) => r.kind === 'callback');
      await h.bot.stop();
      // stop() returned only after the answer landed.
      const responses = h.fake.interactionResponses(sent.id).map((r) => r.kind);
      expect(responses).toEqual(['callback', 'edit-original']);
      await vi.waitFor(() => expect(h.fake.gatewaySessions()).toEqual([]));
      expect(h.logs.some((l) => l['event'] === 'stopped')).toBe(true);
    });
  });

  it('a shutdown that cuts a refresh short says so in the moderator\'s reply, and the previous index stays live', async () => {
    const h = await startHarness({ sources: {}, graceMs: 200 });
    try {
      const before = await loadIndex(h.fixture.indexDir);
      await writeSyntheticArticles(h.fixture.sourcesDir, 80);
      const refresh = h.fake.dispatchInteraction({ kind: 'command', name: 'refresh', userId: DEFAULT_IDS.moderator });
      await h.fake.waitForResponse(refresh.id, (r) => r.kind === 'edit-original' && String(r.data?.['content']).startsWith('Refreshing'));
      await h.bot.stop();
      const title = (r: InteractionResponseRecord) => (r.data?.['embeds'] as { title?: string }[] | undefined)?.[0]?.title;
      const edits = () => h.fake.interactionResponses(refresh.id).filter((r) => r.kind === 'edit-original');
      expect(title(edits().at(-1)!)).toBe('Refresh interrupted');
      const shown = h.fake.message(edits().at(-1)!.messageId!)!.api.embeds[0]!;
      expect(shown.description).toBe('The bot was shut down before the refresh finished. The previous index is still answering questions; run /refresh again once the bot is back.');
      // The refresh, still running in this process, finds its lock released and gives up without touching the reply.
      await vi.waitFor(() => expect(h.logs.some((l) => l['event'] === 'refresh' && l['failed'] === true)).toBe(true), { timeout: 60_000 });
      expect(title(edits().at(-1)!)).toBe('Refresh interrupted');
      expect((await loadIndex(h.fixture.indexDir)).dir).toBe(before.dir);
    } finally {
      await h.stop();
    }
  }, 90_000);

  it('shutdown can release the index lock an unfinished refresh holds, so the next ingest is not refused', async () => {
    const indexDir = fixture.indexDir;
    expect(await releaseIndexLock(indexDir)).toBe(false);
    await lockIndex(indexDir);
    await expect(lockIndex(indexDir)).rejects.toBeInstanceOf(IndexLockedError);
    expect(await releaseIndexLock(indexDir)).toBe(true);
    const release = await lockIndex(indexDir);
    await release();
  });
});
