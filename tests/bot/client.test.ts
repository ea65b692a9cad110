// The bot end to end: the real discord.js client logged in to FakeDiscord, answering from a real index of the seeds,
// 30 BBC articles and two made-up articles (long sentences; "@everyone" and raw mentions). Quotes are checked against
// the cited articles' text, limits against Discord's, pings against allowed_mentions.
import { createHash, createHmac } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ButtonStyle, GatewayIntentBits, PermissionFlagsBits, type APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { coverageOptionsFromConfig, openCoverage, SENTENCE_FEATURES } from '../../src/answer/index.js';
import { CONTEXT_WINDOW_CHARS } from '../../src/bot/answer-message.js';
import type { StoredAnswer } from '../../src/bot/answers.js';
import { feedbackSecretFile } from '../../src/bot/feedback.js';
import { userHash } from '../../src/bot/log.js';
import { DEFAULT_IDS } from './fake-discord/index.js';
import {
  ask,
  bbcArticles,
  buttonId,
  buttonsOf,
  displayed,
  embedChars,
  percentile,
  shownQuotes,
  sourceIds,
  startHarness,
  type BotHarness,
} from './harness.js';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
/** Questions about the seed articles, shipped with the tests. */
const PARAPHRASES = path.join(path.dirname(new URL(import.meta.url).pathname), '../answer/fixtures/paraphrases.jsonl');
const PRESIDENT = "Who is Niger's elected president?";
const PIZZA = 'Which restaurant has the best pizza in Chicago?';

const buttons = buttonsOf;

/** The answer the bot remembers for a message (stored once its edit request returns, a moment after the fake records it). */
async function remembered(h: BotHarness, messageId: string): Promise<StoredAnswer> {
  return vi.waitFor(() => {
    const stored = h.bot.answers.recall(messageId);
    if (!stored) throw new Error(`no answer remembered for ${messageId}`);
    return stored;
  });
}

/** Every quote of an answer embed, checked word for word against the article its marker cites. */
async function expectVerbatim(h: BotHarness, embed: APIEmbed): Promise<void> {
  const ids = sourceIds(embed);
  const quotes = shownQuotes(embed);
  expect(quotes.length).toBeGreaterThan(0);
  for (const quote of quotes) {
    const id = ids.get(quote.marker);
    expect(id, `marker [${quote.marker}] is listed in Sources`).toBeDefined();
    expect(await h.articleText(id!)).toContain(quote.text);
  }
}

describe('the bot on FakeDiscord', () => {
  let h: BotHarness;

  beforeAll(async () => {
    const sources = { ...bbcArticles(30) };
    for (const name of ['varnholt-desalination.md', 'dunmore-town-crier.md']) sources[name] = await readFile(path.join(FIXTURES, name), 'utf8');
    h = await startHarness({ sources, env: { MODERATOR_ROLE_IDS: DEFAULT_IDS.moderatorRole } });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('logs in with the Message Content intent and registers its five commands, /refresh gated to Manage Server in guilds', () => {
    expect(h.bot.client.user?.id).toBe(DEFAULT_IDS.bot);
    expect((h.fake.identifies[0]?.intents ?? 0) & GatewayIntentBits.MessageContent).toBeTruthy();
    expect(h.bot.runtime().messageContent).toBe(true);
    expect(h.logs.some((l) => l['event'] === 'ready')).toBe(true);
    const commands = h.fake.commands(DEFAULT_IDS.guild);
    expect(commands.map((c) => c.name).sort()).toEqual(['ask', 'refresh', 'source', 'sources', 'status']);
    const refresh = commands.find((c) => c.name === 'refresh');
    expect(refresh?.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(refresh?.contexts).toEqual([0]);
  });

  it('/ask defers at once, then edits in an embed whose quotes are verbatim from the cited articles', async () => {
    const { id, message } = await ask(h.fake, PRESIDENT);
    expect(h.fake.interactionResponses(id).map((r) => [r.kind, r.callbackType])).toEqual([
      ['callback', 5],
      ['edit-original', null],
    ]);
    const embed = message.api.embeds[0]!;
    expect(embed.title).toBe("Who is Niger's elected president?");
    await expectVerbatim(h, embed);
    expect(displayed(embed.description ?? '')).toContain('Bazoum');
    expect(embed.fields?.[0]?.name).toBe('Sources');
    expect(embed.fields?.[0]?.value).toMatch(/\*\*\[1\]\*\* (NBC News|UrduPoint) · /);
    expect(embed.footer?.text).toMatch(/\/source/);
    expect(buttons(message).map((b) => ('label' in b && b.label) || ('emoji' in b && b.emoji?.name))).toEqual(['More context', 'Sources', '👍', '👎']);
    expect(buttons(message).every((b) => b.style === ButtonStyle.Secondary)).toBe(true);
    expect(message.bodies.at(-1)?.['allowed_mentions']).toMatchObject({ parse: [] });
    expect(message.ephemeral).toBe(false);
    const line = await vi.waitFor(() => {
      // Answered or shown as the closest coverage, as the fitted decision judges: the log line is what is tested.
      const found = h.logs.find((l) => l['event'] === 'interaction' && l['command'] === 'ask' && (l['outcome'] === 'answered' || l['outcome'] === 'no-answer'));
      if (!found) throw new Error('no log line for the /ask yet');
      return found;
    });
    expect(line).toMatchObject({ kind: 'command', user: userHash(DEFAULT_IDS.member) });
    expect(typeof line?.['latencyMs']).toBe('number');
  });

  it('links are written <url> so Discord shows no preview', async () => {
    const { message } = await ask(h.fake, 'What did the Varnholt water board decide about the desalination plant?');
    const sources = (message.api.embeds[0]?.fields ?? []).map((f) => f.value).join('\n');
    expect(sources).toContain('<https://courier.example/varnholt/desalination-plant-approved>');
  });

  it('says the coverage does not answer, and names the closest articles, when it does not', async () => {
    const { message } = await ask(h.fake, PIZZA);
    const embed = message.api.embeds[0]!;
    expect(embed.description).toBe('The indexed coverage does not answer this question.');
    expect(embed.fields?.[0]?.name).toBe('Closest articles');
    expect(embed.fields?.[0]?.value).toMatch(/`[a-z0-9_-]+`/);
    expect(shownQuotes(embed)).toEqual([]);
    expect(buttons(message).map((b) => ('label' in b && b.label) || ('emoji' in b && b.emoji?.name))).toEqual(['Sources', '👍', '👎']);
  });

  it('private:true answers ephemerally', async () => {
    const { message } = await ask(h.fake, PRESIDENT, { options: { private: true } });
    expect(message.ephemeral).toBe(true);
    expect(message.api.embeds[0]?.title).toBe("Who is Niger's elected president?");
  });

  it('a malformed date is refused with a short ephemeral explanation, before any answering', async () => {
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: PRESIDENT, since: '2023-13-45' } });
    const reply = await h.fake.waitForResponse(sent.id);
    expect(reply.callbackType).toBe(4);
    expect(String(reply.data?.['content'])).toMatch(/since/);
    expect(h.fake.message(reply.messageId!)?.ephemeral).toBe(true);
  });

  it('More context shows the paragraph around each quote, Sources lists the cited articles, both ephemeral', async () => {
    const { message } = await ask(h.fake, PRESIDENT);
    const stored = await remembered(h, message.id);
    const more = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(message, 'More context'), messageId: message.id });
    const context = await h.fake.waitForResponse(more.id);
    expect(context.callbackType).toBe(4);
    const contextMessage = h.fake.message(context.messageId!)!;
    expect(contextMessage.ephemeral).toBe(true);
    const shown = displayed(contextMessage.api.embeds[0]?.description ?? '');
    for (const quote of stored.quotes) {
      const paragraph = (await h.bot.coverage().context(quote.articleId, quote.start, quote.end))!;
      expect(paragraph).toContain(quote.text);
      expect(shown).toContain(quote.text);
    }

    const sourcesClick = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(message, 'Sources'), messageId: message.id });
    const sources = h.fake.message((await h.fake.waitForResponse(sourcesClick.id)).messageId!)!;
    expect(sources.ephemeral).toBe(true);
    const listed = (sources.api.embeds[0]?.fields ?? []).map((f) => f.value).join('\n');
    for (const s of stored.sources) expect(listed).toContain(`\`${s.id}\``);
  });

  it('More context shows a window around each quote, not the whole of an article without paragraphs', async () => {
    const { message } = await ask(h.fake, 'Who does Philippe Sella believe Bernard Laporte must recall?');
    const stored = await remembered(h, message.id);
    // BBC articles have no line breaks: each one is a single "paragraph" of over a thousand characters.
    const contexts = await Promise.all(stored.quotes.map((q) => h.bot.coverage().context(q.articleId, q.start, q.end)));
    expect(contexts.some((c) => c!.length > CONTEXT_WINDOW_CHARS)).toBe(true);
    const more = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(message, 'More context'), messageId: message.id });
    const description = h.fake.message((await h.fake.waitForResponse(more.id)).messageId!)!.api.embeds[0]?.description ?? '';
    const excerpts = description.split('\n\n').map((block) => displayed(block.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2)).join('\n')));
    expect(excerpts).toHaveLength(stored.quotes.length);
    excerpts.forEach((excerpt, i) => {
      expect(excerpt).toContain(stored.quotes[i]!.text);
      // The window and the "…" that mark where it was cut.
      expect(excerpt.length).toBeLessThanOrEqual(CONTEXT_WINDOW_CHARS + 2);
    });
  });

  it('a forged More context id, naming a whole article, is refused politely and shows none of it', async () => {
    // A bot message the answer memory does not know (as after a restart), carrying a custom id written by hand: the
    // reference covers the whole article, with the hash of its text anyone who has read it can compute.
    const text = await h.articleText('bbc-001');
    const whole = `bbc-001#0@0-${text.length.toString(36)}`;
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'sources' });
    const carrier = h.fake.message((await h.fake.waitForResponse(sent.id)).messageId!)!;
    for (const length of [6, 8]) {
      const forged = `ask:c:${createHash('sha256').update(text).digest('base64url').slice(0, length)}:${whole}`;
      carrier.api.components = [{ type: 1, components: [{ type: 2, style: ButtonStyle.Secondary, label: 'More context', custom_id: forged }] }];
      const click = h.fake.dispatchInteraction({ kind: 'button', customId: forged, messageId: carrier.id });
      const reply = h.fake.message((await h.fake.waitForResponse(click.id)).messageId!)!;
      expect(reply.ephemeral).toBe(true);
      expect(reply.api.content).toBe('This answer is older than the bot remembers, or its articles changed since. Ask again with /ask.');
      expect(JSON.stringify(reply.api)).not.toContain(text.slice(40, 120));
    }
  });

  it('👍 appends a feedback line with the question, the cited passages and a pseudonym of the user no one can link to them', async () => {
    const { message } = await ask(h.fake, PRESIDENT);
    const stored = await remembered(h, message.id);
    const vote = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(message, '👍'), messageId: message.id, userId: DEFAULT_IDS.moderator });
    const reply = await h.fake.waitForResponse(vote.id);
    expect(h.fake.message(reply.messageId!)?.ephemeral).toBe(true);
    await vi.waitFor(async () => expect(await readFile(h.config.FEEDBACK_LOG, 'utf8')).toContain(message.id));
    const lines = (await readFile(h.config.FEEDBACK_LOG, 'utf8')).trim().split('\n');
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry).toMatchObject({
      question: PRESIDENT,
      passages: stored.quotes.map((q) => q.passageId),
      vote: 'up',
      message: message.id,
    });
    expect(entry.passages.length).toBeGreaterThan(0);
    // Not a plain hash of the public id (anyone could compute that), but an HMAC under this installation's secret,
    // created beside the log on the first vote, readable by its owner only, and never logged.
    expect(entry.user).not.toBe(userHash(DEFAULT_IDS.moderator));
    const keyFile = feedbackSecretFile(h.config.FEEDBACK_LOG);
    const secret = (await readFile(keyFile, 'utf8')).trim();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(entry.user).toBe(createHmac('sha256', Buffer.from(secret, 'hex')).update(DEFAULT_IDS.moderator).digest('hex'));
    expect(JSON.stringify(h.logs)).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(DEFAULT_IDS.moderator);
    // The same voter keeps the same pseudonym.
    const again = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(message, '👎'), messageId: message.id, userId: DEFAULT_IDS.moderator });
    await h.fake.waitForResponse(again.id);
    const last = JSON.parse((await readFile(h.config.FEEDBACK_LOG, 'utf8')).trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ vote: 'down', user: entry.user });
    expect(new Date(entry.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('/sources pages through the articles with Previous and Next', async () => {
    const total = (await h.bot.coverage().sources()).length;
    expect(total).toBe(34);
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'sources' });
    const first = h.fake.message((await h.fake.waitForResponse(sent.id)).messageId!)!;
    expect(first.ephemeral).toBe(true);
    expect(first.api.embeds[0]?.footer?.text).toMatch(/^Page 1 of 4 · 34 articles/);
    expect(first.api.embeds[0]?.description?.split('\n').filter((l) => l.startsWith('**')).length).toBe(10);
    expect(buttons(first).map((b) => b.disabled ?? false)).toEqual([true, false]);

    const next = h.fake.dispatchInteraction({ kind: 'button', customId: buttonId(first, 'Next'), messageId: first.id });
    expect((await h.fake.waitForResponse(next.id)).callbackType).toBe(7);
    const second = h.fake.message(first.id)!;
    expect(second.api.embeds[0]?.footer?.text).toMatch(/^Page 2 of 4/);
    expect(second.api.embeds[0]?.description).toMatch(/^\*\*11\.\*\*/);
    expect(buttons(second).map((b) => b.disabled ?? false)).toEqual([false, false]);

    const filtered = h.fake.dispatchInteraction({ kind: 'command', name: 'sources', options: { outlet: 'nbc' } });
    const nbc = h.fake.message((await h.fake.waitForResponse(filtered.id)).messageId!)!;
    expect(nbc.api.embeds[0]?.footer?.text).toMatch(/^Page 1 of 1 · 1 article ·/);
    expect(nbc.api.embeds[0]?.description).toContain('NBC News');

    // The outlet typed is echoed in the title as plain words only.
    const hostile = h.fake.dispatchInteraction({ kind: 'command', name: 'sources', options: { outlet: 'n\u202Ebc @everyone' } });
    const shown = h.fake.message((await h.fake.waitForResponse(hostile.id)).messageId!)!;
    expect(shown.api.embeds[0]?.title).toBe('Indexed articles from outlets matching “nbc everyone”');
  });

  it('/source autocompletes ids (at most 25, answered without deferring) and shows one article', async () => {
    const typed = h.fake.dispatchInteraction({ kind: 'autocomplete', name: 'source', options: { id: 'dunmore' }, focused: 'id' });
    const response = await h.fake.waitForResponse(typed.id);
    expect(response.callbackType).toBe(8);
    expect(response.data?.['choices']).toEqual([{ name: "Dunmore Gazette: Dunmore's town crier gets a digital megaphone", value: 'dunmore-town-crier' }]);

    const everything = h.fake.dispatchInteraction({ kind: 'autocomplete', name: 'source', options: { id: '' }, focused: 'id' });
    expect((await h.fake.waitForResponse(everything.id)).data?.['choices']).toHaveLength(25);

    const shown = h.fake.dispatchInteraction({ kind: 'command', name: 'source', options: { id: 'dunmore-town-crier' } });
    const reply = h.fake.message((await h.fake.waitForResponse(shown.id)).messageId!)!;
    const embed = reply.api.embeds[0]!;
    expect(embed.title).toBe("Dunmore's town crier gets a digital megaphone");
    expect(displayed(embed.description ?? '')).toContain('Malcolm Pettigrew');
    expect(embed.fields?.find((f) => f.name === 'Passages')?.value).toMatch(/^\d+$/);
    expect(embed.fields?.find((f) => f.name === 'Link')?.value).toBe('<https://gazette.example/dunmore/town-crier-online>');

    // The start of an id is enough when only one article's id starts so; otherwise the reply says to type more.
    const prefix = h.fake.dispatchInteraction({ kind: 'command', name: 'source', options: { id: 'dunmore' } });
    expect(h.fake.message((await h.fake.waitForResponse(prefix.id)).messageId!)!.api.embeds[0]?.title).toBe("Dunmore's town crier gets a digital megaphone");
    const ambiguous = h.fake.dispatchInteraction({ kind: 'command', name: 'source', options: { id: 'bbc-0' } });
    expect(String((await h.fake.waitForResponse(ambiguous.id)).data?.['content'])).toBe(
      '30 indexed articles have an id starting with `bbc-0`: type more of it, or pick one as you type.',
    );

    const missing = h.fake.dispatchInteraction({ kind: 'command', name: 'source', options: { id: '@everyone <@1100000000000000402>' } });
    const notFound = await h.fake.waitForResponse(missing.id);
    expect(String(notFound.data?.['content'])).toMatch(/No indexed article/);
    expect(h.fake.message(notFound.messageId!)?.pings).toEqual({ users: [], roles: [], everyone: false });

    // A blank id is no prefix of every id: it is refused in one line, before any lookup.
    const blank = h.fake.dispatchInteraction({ kind: 'command', name: 'source', options: { id: '   ' } });
    const refused = await h.fake.waitForResponse(blank.id);
    expect(refused.data?.['content']).toBe('Give an article id: start typing a title or an outlet and pick one, or list the ids with /sources.');
    expect(h.fake.message(refused.messageId!)?.ephemeral).toBe(true);
  });

  it('/status reports the index build time, counts, model and uptime', async () => {
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'status' });
    const embed = h.fake.message((await h.fake.waitForResponse(sent.id)).messageId!)!.api.embeds[0]!;
    const field = (name: string) => embed.fields?.find((f) => f.name === name)?.value;
    const status = h.bot.coverage().status();
    expect(field('Articles')).toBe(String(status.articles));
    expect(field('Passages')).toBe(String(status.passages));
    expect(field('Model')).toContain('local/wink-sg-100d');
    // Dates read one way everywhere: the build moment in UTC, with Discord's relative time beside it.
    expect(field('Index built')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(<t:\d+:R>\)$/);
    expect(field('Uptime')).toMatch(/\d+ (s|min)/);
  });

  it('a question in #ask is answered in a thread named after it; a follow-up there is answered with that question as context', async () => {
    const asked = h.fake.dispatchMessage({ content: "Who is Niger's elected president?" });
    const answer = await h.fake.waitForMessage(asked.id, (m) => m.api.embeds.length > 0, 10_000);
    expect(h.bot.client.channels.cache.get(asked.id)?.isThread()).toBe(true);
    expect((h.bot.client.channels.cache.get(asked.id) as { name?: string }).name).toBe("Who is Niger's elected president?");
    await expectVerbatim(h, answer.api.embeds[0]!);
    expect(answer.pings).toEqual({ users: [], roles: [], everyone: false });

    // Alone, "When was he elected?" finds a British minister in the BBC articles; in the thread it is about Niger's president.
    const followUp = h.fake.dispatchMessage({ channelId: asked.id, content: 'When was he elected?' });
    const second = await h.fake.waitForMessage(asked.id, (m) => m.api.message_reference?.message_id === followUp.id, 10_000);
    const embed = second.api.embeds[0]!;
    expect(embed.title).toBe('When was he elected?');
    await expectVerbatim(h, embed);
    const withContext = await h.bot.coverage().answer('When was he elected?', { context: PRESIDENT });
    expect(shownQuotes(embed).map((q) => q.text)).toEqual(withContext.quotes.map((q) => q.text));
    const seeds = ['000_b9dabca082e516ec', '001_f0ef755a6af1d45a'];
    expect([...sourceIds(embed).values()].every((id) => seeds.includes(id))).toBe(true);
    const alone = await h.bot.coverage().answer('When was he elected?');
    expect(alone.quotes.some((q) => seeds.includes(q.source.id))).toBe(false);
  });

  it('mentioning the bot anywhere counts as a question; chatter in #ask and bot messages are ignored', async () => {
    const chatter = h.fake.dispatchMessage({ content: 'thanks everyone, see you tomorrow' });
    const mention = h.fake.dispatchMessage({ channelId: DEFAULT_IDS.general, content: 'tell me about the coup in Niger', mentionBot: true });
    const answer = await h.fake.waitForMessage(mention.id, (m) => m.api.embeds.length > 0, 10_000);
    expect(answer.api.embeds[0]?.title).toBe('tell me about the coup in Niger');
    expect(h.fake.messages(chatter.id)).toEqual([]);
    expect(h.fake.messages(DEFAULT_IDS.ask).filter((m) => m.api.message_reference?.message_id === chatter.id)).toEqual([]);
  });

  it('an answer that would overflow 4,096 characters is trimmed between words with a visible "…", inside every limit', async () => {
    // A bot that answers everything with three long quotes: what is tested is how a long answer is trimmed, not which
    // sentences the fitted scorer prefers or whether the fitted decision is sure enough to answer.
    const base = await openCoverage(coverageOptionsFromConfig(h.config));
    const sure = await startHarness({
      fixture: h.fixture,
      coverage: await openCoverage({
        ...coverageOptionsFromConfig(h.config),
        embedder: base.embedder,
        calibration: { ...base.tuning.calibration, threshold: 0 },
        // Every sentence scored alike: the best article's long sentences are all quoted, in text order.
        sentenceScorer: { weights: new Array(SENTENCE_FEATURES.length + 1).fill(0) },
      }),
    });
    onTestFinished(() => sure.stop());
    const question = 'What did the Varnholt water board decide about the desalination plant?';
    const raw = await sure.bot.coverage().answer(question);
    expect(raw.quotes.reduce((n, q) => n + q.text.length, 0)).toBeGreaterThan(4096);
    const { message } = await ask(sure.fake, question);
    const embed = message.api.embeds[0]!;
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embedChars(message.api.embeds)).toBeLessThanOrEqual(6000);
    for (const f of embed.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
    const quotes = shownQuotes(embed);
    expect(quotes.some((q) => q.cut)).toBe(true);
    await expectVerbatim(h, embed);
    const text = await h.articleText('varnholt-desalination');
    for (const q of quotes.filter((x) => x.cut)) {
      const after = text[text.indexOf(q.text) + q.text.length] ?? ' ';
      expect(after, `cut after "${q.text.slice(-20)}"`).toMatch(/[^\p{L}\p{N}]/u);
    }
  });

  it('"@everyone" and raw mentions inside an article or a question ping nobody', async () => {
    const { message } = await ask(h.fake, "What did Dunmore's town crier announce online?");
    expect(displayed(message.api.embeds[0]?.description ?? '')).toContain('@everyone and @here');
    expect(message.pings).toEqual({ users: [], roles: [], everyone: false });

    const asked = h.fake.dispatchMessage({
      content: `@everyone <@&${DEFAULT_IDS.moderatorRole}> what did Dunmore's town crier announce online?`,
      mentions: [DEFAULT_IDS.moderator],
    });
    const reply = await h.fake.waitForMessage(asked.id, (m) => m.api.embeds.length > 0, 10_000);
    expect(reply.pings).toEqual({ users: [], roles: [], everyone: false });
    const thread = h.bot.client.channels.cache.get(asked.id) as { name?: string };
    expect(thread.name!.length).toBeLessThanOrEqual(100);
  });

  it('a long channel question gets a thread name of at most 100 characters, cut between words', async () => {
    const long = `What did the Varnholt water board decide ${'about the plant and its buoys and its brine and its pipes '.repeat(5)}?`;
    const asked = h.fake.dispatchMessage({ content: long });
    await h.fake.waitForMessage(asked.id, (m) => m.api.embeds.length > 0, 10_000);
    const name = (h.bot.client.channels.cache.get(asked.id) as { name: string }).name;
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.endsWith('…')).toBe(true);
    expect(long.startsWith(name.slice(0, -1))).toBe(true);
    expect(long[name.length - 1]).toBe(' ');
  });

  it('answers 50 /ask interactions one after another and 50 at once, every one deferred in time and edited with an answer', async () => {
    const dev = (await readFile(PARAPHRASES, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { question: string }).question);
    const questions = Array.from({ length: 50 }, (_, i) => dev[i % dev.length]!);
    const report = (label: string, latencies: number[]) =>
      console.log(
        `/ask latency through FakeDiscord, ${label} (${latencies.length} questions, dispatch to edited reply): ` +
          `p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
      );

    const sequential: number[] = [];
    for (const question of questions) sequential.push((await ask(h.fake, question)).latencyMs);
    report('one at a time', sequential);

    const started = questions.map(() => 0);
    const sent = questions.map((question, i) => {
      started[i] = performance.now();
      return h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question } });
    });
    const concurrent = await Promise.all(
      sent.map(async (s, i) => {
        const edit = await h.fake.waitForResponse(s.id, (r) => r.kind === 'edit-original', 30_000);
        const latency = performance.now() - started[i]!;
        const [callback] = h.fake.interactionResponses(s.id);
        expect(callback?.callbackType).toBe(5);
        expect(h.fake.message(edit.messageId!)?.api.embeds[0]?.title).toBeTruthy();
        return latency;
      }),
    );
    report('50 at once', concurrent);
    expect(concurrent).toHaveLength(50);
  });

  it('survives a REST 429 with retry_after on the reply edit', async () => {
    h.fake.rateLimitNext('PATCH /webhooks/:appId/:token/messages/@original', 0.3);
    const started = Date.now();
    const { token, message } = await ask(h.fake, PRESIDENT);
    expect(message.api.embeds[0]?.title).toBe("Who is Niger's elected president?");
    const edits = h.fake.requests.filter((r) => r.path.includes(token) && r.method === 'PATCH').map((r) => r.status);
    expect(edits).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('an error gives the user a short apology with an error id, and the log the detail', async () => {
    h.fake.failNext('PATCH /webhooks/:appId/:token/messages/@original', { status: 400, body: { code: 50035, message: 'Invalid Form Body' } });
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: PRESIDENT } });
    const apology = await h.fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original' && typeof r.data?.['content'] === 'string' && r.data['content'] !== '');
    const errorId = /error id ([0-9a-f]{8})/.exec(String(apology.data?.['content']))?.[1];
    expect(errorId).toBeDefined();
    const detail = h.logs.find((l) => l['errorId'] === errorId && l.level >= 50);
    expect(detail?.['err']).toBeDefined();
    await vi.waitFor(() =>
      expect(h.logs.find((l) => l['event'] === 'interaction' && l['errorId'] === errorId)).toMatchObject({ outcome: 'error', command: 'ask' }),
    );
  });

  it('an error on the reply edit is logged without the interaction token, the bot token or the request body', async () => {
    // discord.js retries a 500 three times: fail them all, and the apology's edit too.
    h.fake.failNext('PATCH /webhooks/:appId/:token/messages/@original', { status: 500, times: 8 });
    const sent = h.fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: PRESIDENT } });
    await vi.waitFor(() => expect(h.logs.some((l) => l['event'] === 'interaction' && l['outcome'] === 'error')).toBe(true), { timeout: 20_000 });
    const failure = h.logs.find((l) => l.level >= 50 && l.msg === 'interaction failed' && JSON.stringify(l).includes('/webhooks/'))!;
    expect(failure).toBeDefined();
    const logged = JSON.stringify(failure);
    // The URL is there, to say what failed, with its token redacted.
    expect(logged).toMatch(/\/webhooks\/\d+\/\[redacted\]\/messages\/(@|%40)original/);
    expect(JSON.stringify(h.logs)).not.toContain(sent.token);
    expect(JSON.stringify(h.logs)).not.toContain(h.fake.token);
    expect(logged).not.toContain('Niger');
  });
});
