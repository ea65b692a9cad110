// Proves the fake Discord is faithful enough for bot tests: the real discord.js Client logs in against it, receives
// messages and interactions, and its replies, edits, threads and retries land in the fake's records; raw-protocol
// checks cover what discord.js does not exercise by default (bad tokens, zlib-stream, resume replay, deadlines).
import { once } from 'node:events';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  REST,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ClientEvents,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_IDS, FakeDiscord } from './fake-discord/index.js';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

function clientFor(fake: FakeDiscord, intents: GatewayIntentBits[] = INTENTS): Client {
  return new Client({ intents, rest: { api: fake.apiUrl }, allowedMentions: { parse: [] } });
}

async function login(client: Client, token: string): Promise<void> {
  const ready = once(client, Events.ClientReady);
  await client.login(token);
  await ready;
}

/** Runs `handler` on the next event passing `filter`, and settles with its outcome, so assertion failures inside surface in the test. */
function handleNext<E extends keyof ClientEvents, T>(
  client: Client,
  event: E,
  handler: (...args: ClientEvents[E]) => Promise<T>,
  filter: (...args: ClientEvents[E]) => boolean = () => true,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (...args: ClientEvents[E]): void => {
      if (!filter(...args)) return;
      client.off(event, listener);
      handler(...args).then(resolve, reject);
    };
    client.on(event, listener);
  });
}

const commands = [
  new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask the coverage a question')
    .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true))
    .addIntegerOption((o) => o.setName('limit').setDescription('Most quotes to show').setMinValue(1).setMaxValue(10)),
  new SlashCommandBuilder()
    .setName('source')
    .setDescription('Look up a source')
    .addStringOption((o) => o.setName('outlet').setDescription('Outlet name').setRequired(true).setAutocomplete(true)),
  new SlashCommandBuilder()
    .setName('ingest')
    .setDescription('Add an article')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addAttachmentOption((o) => o.setName('file').setDescription('Article text').setRequired(true)),
].map((c) => c.toJSON());

describe('FakeDiscord with the real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ heartbeatIntervalMs: 100 });
    client = clientFor(fake);
    await login(client, fake.token);
    await client.application?.commands.set(commands);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.stop();
  });

  it('logs in: READY and GUILD_CREATE fill the cache, intents are recorded, heartbeats are acknowledged', async () => {
    expect(client.user?.id).toBe(DEFAULT_IDS.bot);
    const guild = client.guilds.cache.get(DEFAULT_IDS.guild);
    expect(guild?.name).toBe('Coverage Test Guild');
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['ask', 'general']);
    expect(guild?.roles.cache.find((r) => r.name === 'Moderator')?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(guild?.members.me?.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(guild?.members.cache.get(DEFAULT_IDS.moderator)?.roles.cache.has(DEFAULT_IDS.moderatorRole)).toBe(true);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]?.intents).toBe(INTENTS.reduce((a, b) => a | b, 0));
    expect(fake.identifies[0]?.rejectedWith).toBeNull();
    expect(fake.commands().map((c) => c.name)).toEqual(['ask', 'source', 'ingest']);
    expect(fake.commands().find((c) => c.name === 'ingest')?.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    await vi.waitFor(() => expect(fake.gatewayLog.some((e) => e.direction === 'out' && e.op === 11)).toBe(true), { timeout: 5000 });
    expect(fake.unhandledRequests()).toEqual([]);
  });

  it('a slash command arrives typed by its registration; deferReply then editReply with an embed land as one reply', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`expected a chat input command, got type ${interaction.type}`);
      expect(interaction.commandName).toBe('ask');
      expect(interaction.options.getString('question', true)).toBe('What did the minister say?');
      expect(interaction.options.getInteger('limit')).toBe(3);
      expect(interaction.channel?.id).toBe(DEFAULT_IDS.ask);
      expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
      await interaction.deferReply();
      await interaction.editReply({
        embeds: [new EmbedBuilder().setTitle('What the coverage says').setDescription('> "We will act," the minister said.')],
      });
      return interaction.id;
    });
    const sent = fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: 'What did the minister say?', limit: 3 } });
    expect(await handled).toBe(sent.id);

    const edit = await fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original');
    expect(fake.interactionResponses(sent.id).map((r) => [r.kind, r.callbackType])).toEqual([
      ['callback', 5],
      ['edit-original', null],
    ]);
    const reply = fake.message(edit.messageId ?? '');
    expect(reply?.channelId).toBe(DEFAULT_IDS.ask);
    expect(reply?.api.embeds[0]?.title).toBe('What the coverage says');
    expect((reply?.api.flags ?? 0) & MessageFlags.Loading).toBe(0);
    expect(reply?.bodies.at(-1)?.['allowed_mentions']).toEqual({ parse: [] });
    expect(reply?.pings).toEqual({ users: [], roles: [], everyone: false });
  });

  it('an ephemeral reply to a moderator is recorded but never broadcast, and permissions follow roles', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
      expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
      await interaction.reply({ content: 'Only you can see this.', flags: MessageFlags.Ephemeral });
    });
    const sent = fake.dispatchInteraction({ kind: 'command', name: 'ask', userId: DEFAULT_IDS.moderator, options: { question: 'Status?' } });
    await handled;
    const callback = await fake.waitForResponse(sent.id);
    expect(callback.callbackType).toBe(4);
    const message = fake.message(callback.messageId ?? '');
    expect(message?.ephemeral).toBe(true);
    expect(fake.gatewayLog.filter((e) => e.t === 'MESSAGE_CREATE' && e.at >= callback.at)).toEqual([]);
  });

  it('an uploaded file is served by the fake for the bot to download', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      const file = interaction.options.getAttachment('file', true);
      const text = await (await fetch(file.url)).text();
      await interaction.reply({ content: `Read ${file.name}: ${text.length} characters`, flags: MessageFlags.Ephemeral });
      return text;
    });
    const article = 'Headline\n\nThe council approved the budget on Tuesday.';
    const sent = fake.dispatchInteraction({
      kind: 'command',
      name: 'ingest',
      userId: DEFAULT_IDS.moderator,
      options: { file: { filename: 'budget.txt', content: article } },
    });
    expect(await handled).toBe(article);
    const callback = await fake.waitForResponse(sent.id);
    expect(callback.data?.['content']).toBe(`Read budget.txt: ${article.length} characters`);
  });

  it('autocomplete reaches the bot with the focused option and respond() records the choices', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      expect(interaction.options.getFocused(true)).toMatchObject({ name: 'outlet', value: 'bb' });
      await interaction.respond([{ name: 'BBC News', value: 'bbc' }]);
    });
    const sent = fake.dispatchInteraction({ kind: 'autocomplete', name: 'source', options: { outlet: 'bb' }, focused: 'outlet' });
    await handled;
    const response = await fake.waitForResponse(sent.id);
    expect(response.callbackType).toBe(8);
    expect(response.data?.['choices']).toEqual([{ name: 'BBC News', value: 'bbc' }]);
  });

  it('a button press carries its message, and update() rewrites that message', async () => {
    const channel = client.channels.cache.get(DEFAULT_IDS.ask) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('more:1').setLabel('More quotes').setStyle(ButtonStyle.Primary),
    );
    const posted = await channel.send({ content: 'Three quotes found.', components: [row] });
    expect(() => fake.dispatchInteraction({ kind: 'button', customId: 'no-such-button', messageId: posted.id })).toThrow(/no component/);

    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      expect(interaction.customId).toBe('more:1');
      expect(interaction.message.id).toBe(posted.id);
      await interaction.update({ content: 'Five quotes found.', components: [] });
    });
    const sent = fake.dispatchInteraction({ kind: 'button', customId: 'more:1' });
    await handled;
    const response = await fake.waitForResponse(sent.id);
    expect(response.callbackType).toBe(7);
    expect(response.messageId).toBe(posted.id);
    expect(fake.message(posted.id)?.api.content).toBe('Five quotes found.');
    expect(fake.message(posted.id)?.api.components).toEqual([]);
    // The MESSAGE_UPDATE reached the client's cache too.
    await vi.waitFor(() => expect(channel.messages.cache.get(posted.id)?.content).toBe('Five quotes found.'), { timeout: 5000 });
  });

  it('a user message reaches messageCreate; reply(), startThread() and thread.send() land without pinging', async () => {
    const handled = handleNext(
      client,
      Events.MessageCreate,
      async (message) => {
        expect(message.content).toBe(`<@${DEFAULT_IDS.bot}> What did the coverage say about the budget?`);
        expect(message.mentions.users.has(DEFAULT_IDS.bot)).toBe(true);
        expect(message.member?.id).toBe(DEFAULT_IDS.member);
        await message.channel.sendTyping();
        const reply = await message.reply({ content: 'Here is what I found.' });
        const thread = await message.startThread({ name: 'Budget coverage' });
        await thread.send({ content: '> "The council approved the budget." — Local News, 2024-03-01' });
        return { reply: reply.id, thread: thread.id };
      },
      (message) => !message.author.bot,
    );
    const asked = fake.dispatchMessage({ content: 'What did the coverage say about the budget?', mentionBot: true });
    const { reply, thread } = await handled;

    const replied = fake.message(reply);
    expect(replied?.api.message_reference?.message_id).toBe(asked.id);
    expect(replied?.api.type).toBe(19);
    expect(replied?.pings).toEqual({ users: [], roles: [], everyone: false });
    expect(thread).toBe(asked.id);
    const quote = await fake.waitForMessage(thread, (m) => m.api.content.startsWith('> "The council'));
    expect(quote.bodies[0]?.['allowed_mentions']).toEqual({ parse: [] });
    expect(client.channels.cache.get(thread)?.type).toBe(ChannelType.PublicThread);
    expect(fake.requests.some((r) => r.route === 'POST /channels/:channelId/typing' && r.status === 204)).toBe(true);
  });

  it('Discord limits are enforced: a 2,001-character message is a 50035 error, a second callback a 40060', async () => {
    const channel = client.channels.cache.get(DEFAULT_IDS.general) as TextChannel;
    const tooLong = channel.send({ content: 'x'.repeat(2001) });
    await expect(tooLong).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(tooLong).rejects.toMatchObject({ code: 50035, message: expect.stringMatching(/content\[BASE_TYPE_MAX_LENGTH\]/) });

    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      const route = Routes.interactionCallback(interaction.id, interaction.token);
      await client.rest.post(route, { body: { type: 4, data: { content: 'first' } }, auth: false });
      await client.rest.post(route, { body: { type: 4, data: { content: 'second' } }, auth: false });
    });
    fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: 'Twice?' } });
    await expect(handled).rejects.toMatchObject({ code: 40060 });
  });

  it('a 429 on the interaction callback or on the webhook edit is retried and the reply still lands', async () => {
    fake.rateLimitNext('POST /interactions/:id/:token/callback', 0.2);
    fake.rateLimitNext('PATCH /webhooks/:appId/:token/messages/@original', 0.2);
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      await interaction.deferReply();
      await interaction.editReply({ content: 'Answer after two rate limits.' });
    });
    const started = Date.now();
    const sent = fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: 'Rate limited?' } });
    await handled;
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    const edit = await fake.waitForResponse(sent.id, (r) => r.kind === 'edit-original');
    expect(fake.message(edit.messageId ?? '')?.api.content).toBe('Answer after two rate limits.');
    const statuses = fake.requests
      .filter((r) => r.path.includes(sent.id) || r.path.includes(sent.token))
      .map((r) => `${r.method} ${r.status}`);
    expect(statuses).toEqual(['POST 429', 'POST 204', 'PATCH 429', 'PATCH 200']);
    const limited = fake.requests.find((r) => r.status === 429);
    expect(limited?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.2, global: false });
  });

  it('a select opens a modal; its submission is answered with deferUpdate and an ephemeral followUp', async () => {
    const channel = client.channels.cache.get(DEFAULT_IDS.ask) as TextChannel;
    const select = new StringSelectMenuBuilder()
      .setCustomId('rate')
      .addOptions({ label: 'Helpful', value: 'good' }, { label: 'Not helpful', value: 'bad' });
    const posted = await channel.send({ content: 'Was this answer helpful?', components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select)] });

    const modalShown = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isStringSelectMenu()) throw new Error('expected a string select');
      expect(interaction.values).toEqual(['bad']);
      const input = new TextInputBuilder().setCustomId('reason').setStyle(TextInputStyle.Paragraph).setMaxLength(200);
      await interaction.showModal(
        new ModalBuilder().setCustomId('feedback').setTitle('Feedback').addLabelComponents(new LabelBuilder().setLabel('What was wrong?').setTextInputComponent(input)),
      );
    });
    const selected = fake.dispatchInteraction({ kind: 'select', customId: 'rate', values: ['bad'] });
    await modalShown;
    expect((await fake.waitForResponse(selected.id)).callbackType).toBe(9);
    expect(() => fake.dispatchInteraction({ kind: 'modal', customId: 'feedback', fields: { nope: 'x' } })).toThrow(/no field/);

    const submitted = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      expect(interaction.fields.getTextInputValue('reason')).toBe('The quote was cut short.');
      expect(interaction.message?.id).toBe(posted.id);
      await interaction.deferUpdate();
      await interaction.followUp({ content: 'Thanks for the feedback.', flags: MessageFlags.Ephemeral });
    });
    const submit = fake.dispatchInteraction({ kind: 'modal', customId: 'feedback', fields: { reason: 'The quote was cut short.' } });
    await submitted;
    const followUp = await fake.waitForResponse(submit.id, (r) => r.kind === 'followup');
    expect(fake.interactionResponses(submit.id).map((r) => r.callbackType ?? r.kind)).toEqual([6, 'followup']);
    expect(fake.message(followUp.messageId ?? '')?.ephemeral).toBe(true);
    expect(fake.message(posted.id)?.api.content).toBe('Was this answer helpful?');
  });

  it('the first followUp after deferReply fills the thinking message, as Discord documents; fetchReply and deleteReply work', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat input command');
      await interaction.deferReply();
      const first = await interaction.followUp('First part of the answer.');
      const second = await interaction.followUp('Second part.');
      const fetched = await interaction.fetchReply();
      await interaction.deleteReply();
      return { first: first.id, second: second.id, fetched: fetched.content };
    });
    const sent = fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: 'Long answer?' } });
    const { first, second, fetched } = await handled;
    const [callback] = fake.interactionResponses(sent.id);
    expect(first).toBe(callback?.messageId);
    expect(second).not.toBe(first);
    expect(fetched).toBe('First part of the answer.');
    expect(fake.interactionResponses(sent.id).map((r) => r.kind)).toEqual(['callback', 'followup', 'followup', 'delete-original']);
    expect(fake.message(first)?.deleted).toBe(true);
    expect(fake.message(second)?.api.content).toBe('Second part.');
  });

  it('channel, guild, member and role lookups answer like Discord, unknown ids included', async () => {
    const guild = await client.guilds.fetch({ guild: DEFAULT_IDS.guild, force: true });
    expect(guild.ownerId).toBe(DEFAULT_IDS.owner);
    const channel = await client.channels.fetch(DEFAULT_IDS.general, { force: true });
    expect(channel?.type).toBe(ChannelType.GuildText);
    const moderator = await guild.members.fetch({ user: DEFAULT_IDS.moderator, force: true });
    expect(moderator.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    const plain = await guild.members.fetch({ user: DEFAULT_IDS.member, force: true });
    expect(plain.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(false);
    const roles = await guild.roles.fetch();
    expect(roles.map((r) => r.name)).toEqual(expect.arrayContaining(['@everyone', 'Moderator', 'coverage-bot']));
    await expect(guild.members.fetch({ user: '1234567890123456789', force: true })).rejects.toMatchObject({ code: 10007 });
  });

  it('after a dropped connection the client resumes and gets the events it missed', async () => {
    fake.dropGatewayConnections(4000);
    await vi.waitFor(() => expect(fake.gatewaySessions().every((s) => !s.connected)).toBe(true), { timeout: 5000 });
    const handled = handleNext(client, Events.MessageCreate, async (message) => message.content, (m) => !m.author.bot);
    fake.dispatchMessage({ channelId: DEFAULT_IDS.general, content: 'sent while the bot was away' });
    expect(await handled).toBe('sent while the bot was away');
    expect(fake.identifies).toHaveLength(1);
    expect(fake.gatewayLog.some((e) => e.direction === 'in' && e.op === 6)).toBe(true);
    expect(fake.gatewayLog.some((e) => e.t === 'RESUMED')).toBe(true);
  });

  it('client.destroy() closes the session cleanly', async () => {
    await client.destroy();
    await vi.waitFor(() => expect(fake.gatewaySessions()).toEqual([]), { timeout: 5000 });
    expect(() => fake.dispatchInteraction({ kind: 'command', name: 'ask', options: { question: 'Anyone?' } })).toThrow(/no gateway session/);
  });
});

describe('FakeDiscord without privileged intents', () => {
  let fake: FakeDiscord;
  const clients: Client[] = [];

  beforeAll(async () => {
    fake = await FakeDiscord.start({ privilegedIntents: false });
  });

  afterAll(async () => {
    for (const client of clients) await client.destroy();
    await fake?.stop();
  });

  it('asking for MessageContent fails login with 4014; without it the bot logs in and sees content only when mentioned', async () => {
    const denied = clientFor(fake);
    clients.push(denied);
    await expect(denied.login(fake.token)).rejects.toThrow('Used disallowed intents');
    expect(fake.identifies[0]?.rejectedWith).toBe(4014);

    const fallback = clientFor(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    clients.push(fallback);
    await login(fallback, fake.token);
    const contents: string[] = [];
    const both = new Promise<void>((resolve) => {
      fallback.on(Events.MessageCreate, (message) => {
        contents.push(message.content);
        if (contents.length === 2) resolve();
      });
    });
    fake.dispatchMessage({ content: 'not for the bot' });
    fake.dispatchMessage({ content: 'for the bot', mentionBot: true });
    await both;
    expect(contents).toEqual(['', `<@${DEFAULT_IDS.bot}> for the bot`]);
  });

  it('a wrong token is refused over REST before the gateway is tried', async () => {
    const client = clientFor(fake, [GatewayIntentBits.Guilds]);
    clients.push(client);
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
  });
});

interface RawGateway {
  ws: WebSocket;
  frames: (Buffer | string)[];
  next: () => Promise<{ op: number; t: string | null; s: number | null; d: Record<string, unknown> }>;
  closed: Promise<number>;
}

async function rawGateway(url: string): Promise<RawGateway> {
  const ws = new WebSocket(url);
  const frames: (Buffer | string)[] = [];
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (data: Buffer, isBinary) => {
    frames.push(isBinary ? data : data.toString('utf8'));
    if (!isBinary) queue.push(data.toString('utf8'));
    wake?.();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await once(ws, 'open');
  const next = async (): Promise<{ op: number; t: string | null; s: number | null; d: Record<string, unknown> }> => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return JSON.parse(queue.shift() ?? '');
  };
  return { ws, frames, next, closed };
}

describe('FakeDiscord protocol details', () => {
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ interactionDeadlineMs: 50 });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('IDENTIFY with a wrong token is closed with 4004', async () => {
    const gw = await rawGateway(`${fake.gatewayUrl}?v=10&encoding=json`);
    expect((await gw.next()).op).toBe(10);
    gw.ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    expect(await gw.closed).toBe(4004);
  });

  it('compress=zlib-stream sends one deflate stream, sync-flushed per payload', async () => {
    const gw = await rawGateway(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    await vi.waitFor(() => expect(gw.frames).toHaveLength(1), { timeout: 5000 });
    const first = gw.frames[0] as Buffer;
    expect(first.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
    const hello = inflateSync(first, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
    expect(JSON.parse(hello)).toMatchObject({ op: 10, d: { heartbeat_interval: 41250 } });
    gw.ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
    await vi.waitFor(() => expect(gw.frames.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    // Later frames only inflate as a continuation of the first: the compression context is shared.
    const all = inflateSync(Buffer.concat(gw.frames as Buffer[]), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
    const ready = JSON.parse(all.slice(hello.length, all.indexOf('{"op":0,"t":"GUILD_CREATE"')));
    expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1, d: { user: { id: DEFAULT_IDS.bot } } });
    gw.ws.close(1000);
    await gw.closed;
  });

  it('RESUME replays the events sent while disconnected, then RESUMED; an unknown session gets op 9', async () => {
    const first = await rawGateway(`${fake.gatewayUrl}?v=10&encoding=json`);
    await first.next();
    first.ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: (1 << 0) | (1 << 9) | (1 << 15), properties: {} } }));
    const ready = await first.next();
    const guildCreate = await first.next();
    expect(guildCreate.t).toBe('GUILD_CREATE');
    first.ws.close(4000);
    await first.closed;

    const missed = fake.dispatchMessage({ content: 'while away' });
    const second = await rawGateway(`${String(ready.d['resume_gateway_url'])}?v=10&encoding=json`);
    await second.next();
    second.ws.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: ready.d['session_id'], seq: guildCreate.s } }));
    const replayed = await second.next();
    expect(replayed).toMatchObject({ t: 'MESSAGE_CREATE', d: { id: missed.id, content: 'while away' } });
    expect((await second.next()).t).toBe('RESUMED');
    second.ws.close(1000);
    await second.closed;

    const third = await rawGateway(`${fake.gatewayUrl}?v=10&encoding=json`);
    await third.next();
    third.ws.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: ready.d['session_id'], seq: 1 } }));
    expect(await third.next()).toMatchObject({ op: 9, d: false });
    third.ws.close(1000);
    await third.closed;
  });

  it('a callback after the deadline is 10062 Unknown interaction; unknown routes are 404 and recorded', async () => {
    const gw = await rawGateway(`${fake.gatewayUrl}?v=10&encoding=json`);
    await gw.next();
    gw.ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
    await gw.next();
    const sent = fake.dispatchInteraction({ kind: 'command', name: 'anything', options: { text: 'hi' } });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const late = await fetch(`${fake.apiUrl}/v10/interactions/${sent.id}/${sent.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'too late' } }),
    });
    expect(late.status).toBe(404);
    expect(await late.json()).toEqual({ code: 10062, message: 'Unknown interaction' });

    const unknownRoute = await fetch(`${fake.apiUrl}/v10/guilds/${DEFAULT_IDS.guild}/bans`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toEqual({ message: 'Unknown route', code: 0 });
    expect(fake.unhandledRequests().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /guilds/${DEFAULT_IDS.guild}/bans`]);
    gw.ws.close(1000);
    await gw.closed;
  });

  it('a 429 carries the headers discord.js reads', async () => {
    fake.rateLimitNext('GET /users/@me', 1.5);
    const limited = await fetch(`${fake.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1.5');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset-after')).toBe('1.5');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited.headers.has('x-ratelimit-global')).toBe(false);
    const after = await fetch(`${fake.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(after.status).toBe(200);
  });
});

describe('FakeDiscord configured worlds', () => {
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      token: 'custom-token',
      bot: { username: 'quote-bot' },
      guilds: [
        {
          name: 'Newsroom',
          roles: [{ name: 'Editors', permissions: PermissionFlagsBits.ManageGuild }],
          members: [
            { user: { username: 'chief-editor' }, roles: ['Editors'] },
            { user: { username: 'reader' } },
          ],
          channels: [
            { name: 'desk' },
            {
              name: 'announcements',
              type: ChannelType.GuildAnnouncement,
              permissionOverwrites: [{ id: DEFAULT_IDS.bot, type: 1, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }],
            },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('builds guilds from options and applies channel overwrites to what the bot may do', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken('custom-token');
    const desk = fake.channelId('desk');
    const sent = (await rest.post(Routes.channelMessages(desk), { body: { content: 'Morning briefing', allowed_mentions: { parse: [] } } })) as { id: string };
    expect(fake.message(sent.id)?.author.username).toBe('quote-bot');
    await expect(rest.post(Routes.channelMessages(fake.channelId('announcements')), { body: { content: 'Blocked' } })).rejects.toMatchObject({
      status: 403,
      code: 50013,
    });
    const members = (await rest.get(Routes.guildMembers(fake.message(sent.id)?.guildId ?? ''), { query: new URLSearchParams({ limit: '10' }) })) as {
      user: { username: string };
      roles: string[];
    }[];
    expect(members.map((m) => m.user.username).sort()).toEqual(['chief-editor', 'quote-bot', 'reader']);
    const wrongToken = new REST({ api: fake.apiUrl, retries: 0 }).setToken('fake-bot-token');
    await expect(wrongToken.get(Routes.user('@me'))).rejects.toMatchObject({ status: 401 });
  });

  it('without allowed_mentions a user mention pings, as on Discord', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken('custom-token');
    const reader = fake.dispatchMessage({ channelId: fake.channelId('desk'), content: 'hello' }).author.id;
    const sent = (await rest.post(Routes.channelMessages(fake.channelId('desk')), { body: { content: `Hi <@${reader}>` } })) as { id: string };
    expect(fake.message(sent.id)?.pings.users).toEqual([reader]);
    const quiet = (await rest.post(Routes.channelMessages(fake.channelId('desk')), { body: { content: `Hi <@${reader}>`, allowed_mentions: { parse: [] } } })) as { id: string };
    expect(fake.message(quiet.id)?.pings.users).toEqual([]);
  });
});
