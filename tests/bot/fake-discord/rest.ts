// The fake REST API: the routes a coverage bot uses (gateway discovery, identity, command registration, interaction
// callbacks and webhooks, channel messages, threads, guild lookups), each answering like Discord, errors included.
import {
  ApplicationCommandType,
  ApplicationFlags,
  ChannelType,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { APIApplication, APIApplicationCommand, APIMessage } from 'discord.js';
import type { z } from 'zod';
import { compileRoutePattern, missingAccess, missingPermissions, notFound, RestError, type ResponseSpec, type RoutePattern } from './http.js';
import { createMessage, deleteMessage, editMessage, requireMessage } from './messages.js';
import type { FakeMessage, InteractionResponseRecord, RecordedFile } from './records.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeState, InteractionState } from './state.js';
import {
  commandListSchema,
  commandSchema,
  fieldError,
  formBodyError,
  interactionCallbackSchema,
  messageBodySchema,
  threadFromMessageSchema,
  threadWithoutMessageSchema,
  type CommandBody,
} from './validation.js';
import { addThread, channelPayload, channelPermissions, guildPayload, memberPayload, type ChannelState, type GuildState } from './world.js';

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

export interface Route {
  pattern: RoutePattern;
  /** Interaction callbacks and webhook-token routes are called without the bot token, as discord.js does. */
  auth: boolean;
  handle: (ctx: RouteContext) => ResponseSpec;
}

const P = PermissionFlagsBits;

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new RestError(400, formBodyError(result.error));
  return result.data;
}

function ok(body: unknown, status = 200): ResponseSpec {
  return { status, body };
}

const noContent: ResponseSpec = { status: 204 };

// ---------- lookups ----------

function channelFor(state: FakeState, channelId: string | undefined, need: bigint = P.ViewChannel): ChannelState {
  const channel = state.world.channels.get(channelId ?? '');
  if (!channel) throw notFound.channel();
  const perms = channelPermissions(state.world, channel.id, state.world.bot.id);
  if (!(perms & P.ViewChannel)) throw missingAccess();
  if ((perms & need) !== need) throw missingPermissions();
  return channel;
}

function guildFor(state: FakeState, guildId: string | undefined): GuildState {
  const guild = state.world.guilds.get(guildId ?? '');
  if (!guild) throw notFound.guild();
  return guild;
}

function interactionFor(state: FakeState, id: string | undefined, token: string | undefined): InteractionState {
  const interaction = state.interactions.get(id ?? '');
  if (!interaction || interaction.token !== token) throw notFound.interaction();
  return interaction;
}

function webhookInteraction(state: FakeState, appId: string | undefined, token: string | undefined): InteractionState {
  const interaction = state.interactionsByToken.get(token ?? '');
  if (!interaction || appId !== state.world.applicationId) throw notFound.webhook();
  return interaction;
}

function webhookMessage(state: FakeState, interaction: InteractionState, ref: string | undefined): FakeMessage {
  const id = ref === '@original' ? interaction.originalMessageId : ref;
  const allowed = id !== null && id !== undefined && (id === interaction.originalMessageId || interaction.followupIds.includes(id));
  const message = allowed ? state.records.message(id) : undefined;
  if (!message || message.deleted) throw notFound.message();
  return message;
}

function record(interaction: InteractionState, state: FakeState, entry: Omit<InteractionResponseRecord, 'at'>): void {
  interaction.responses.push({ ...entry, at: Date.now() });
  state.records.changed();
}

// ---------- commands ----------

function storeCommand(state: FakeState, body: CommandBody, guildId: string | undefined, existing: APIApplicationCommand | undefined): APIApplicationCommand {
  const type = (body.type ?? ApplicationCommandType.ChatInput) as ApplicationCommandType;
  const command = {
    ...body,
    id: existing?.id ?? nextSnowflake(),
    application_id: state.world.applicationId,
    version: nextSnowflake(),
    type,
    name: body.name,
    description: body.description ?? '',
    options: body.options ?? undefined,
    default_member_permissions: body.default_member_permissions ?? null,
    nsfw: body.nsfw ?? false,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
  } as APIApplicationCommand;
  if (guildId) command.guild_id = guildId;
  return command;
}

function commandScope(state: FakeState, params: Record<string, string>): { key: string; guildId: string | undefined } {
  if (params['appId'] !== state.world.applicationId) throw missingAccess();
  if (params['guildId']) {
    guildFor(state, params['guildId']);
    return { key: params['guildId'], guildId: params['guildId'] };
  }
  return { key: 'global', guildId: undefined };
}

const commandRoutes = (prefix: string): [string, boolean, Route['handle']][] => [
  [
    `GET ${prefix}`,
    true,
    ({ state, params }) => ok(state.commands.get(commandScope(state, params).key) ?? []),
  ],
  [
    `PUT ${prefix}`,
    true,
    ({ state, params, body }) => {
      const { key, guildId } = commandScope(state, params);
      const list = parse(commandListSchema, body ?? []);
      const before = state.commands.get(key) ?? [];
      // Discord keeps a command's id when a bulk overwrite re-declares the same name and type.
      const stored = list.map((c) => storeCommand(state, c, guildId, before.find((b) => b.name === c.name && b.type === (c.type ?? 1))));
      state.commands.set(key, stored);
      state.records.changed();
      return ok(stored);
    },
  ],
  [
    `POST ${prefix}`,
    true,
    ({ state, params, body }) => {
      const { key, guildId } = commandScope(state, params);
      const c = parse(commandSchema, body);
      const list = state.commands.get(key) ?? [];
      const existing = list.find((b) => b.name === c.name && b.type === (c.type ?? 1));
      const stored = storeCommand(state, c, guildId, existing);
      state.commands.set(key, [...list.filter((b) => b !== existing), stored]);
      state.records.changed();
      return ok(stored, existing ? 200 : 201);
    },
  ],
  [
    `GET ${prefix}/:commandId`,
    true,
    ({ state, params }) => {
      const found = (state.commands.get(commandScope(state, params).key) ?? []).find((c) => c.id === params['commandId']);
      if (!found) throw notFound.command();
      return ok(found);
    },
  ],
  [
    `PATCH ${prefix}/:commandId`,
    true,
    ({ state, params, body }) => {
      const { key, guildId } = commandScope(state, params);
      const list = state.commands.get(key) ?? [];
      const found = list.find((c) => c.id === params['commandId']);
      if (!found) throw notFound.command();
      const merged = parse(commandSchema, { ...found, ...(body as object) });
      const stored = storeCommand(state, merged, guildId, found);
      state.commands.set(key, list.map((c) => (c === found ? stored : c)));
      state.records.changed();
      return ok(stored);
    },
  ],
  [
    `DELETE ${prefix}/:commandId`,
    true,
    ({ state, params }) => {
      const { key } = commandScope(state, params);
      const list = state.commands.get(key) ?? [];
      if (!list.some((c) => c.id === params['commandId'])) throw notFound.command();
      state.commands.set(key, list.filter((c) => c.id !== params['commandId']));
      state.records.changed();
      return noContent;
    },
  ],
];

// ---------- interactions ----------

const ALLOWED_CALLBACKS: Record<number, number[]> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
  [InteractionType.ApplicationCommandAutocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};

function interactionCallback({ state, params, body, files, query }: RouteContext): ResponseSpec {
  const interaction = interactionFor(state, params['interactionId'], params['token']);
  if (interaction.callbackType !== null) {
    throw new RestError(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
  }
  // Discord forgets an unanswered interaction after 3 s: the user sees "This interaction failed".
  if (Date.now() - interaction.dispatchedAt > state.options.interactionDeadlineMs) throw notFound.interaction();
  const callback = parse(interactionCallbackSchema, body);
  const type = callback.type;
  const allowed = ALLOWED_CALLBACKS[interaction.type] ?? [];
  const needsMessage = (type === 6 || type === 7) && interaction.componentMessageId === null;
  if (!allowed.includes(type) || needsMessage) {
    throw new RestError(
      400,
      fieldError(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Callback type ${type} is not valid for interaction type ${InteractionType[interaction.type] ?? interaction.type}.`),
    );
  }
  const channel = state.world.channels.get(interaction.channelId);
  if (!channel) throw notFound.channel();
  const data = ('data' in callback && callback.data ? callback.data : null) as Record<string, unknown> | null;
  let messageId: string | null = null;
  let loading = false;
  const replyType = interaction.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const message = createMessage(state, { channel, author: state.world.bot, origin: 'interaction', body: data ?? {}, files, interaction, type: replyType });
      messageId = message.id;
      interaction.originalMessageId = message.id;
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = (typeof data?.['flags'] === 'number' ? data['flags'] : 0) & MessageFlags.Ephemeral;
      const message = createMessage(state, { channel, author: state.world.bot, origin: 'interaction', body: { content: '', flags }, interaction, type: replyType, loading: true });
      messageId = message.id;
      loading = true;
      interaction.originalMessageId = message.id;
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
      messageId = interaction.componentMessageId;
      interaction.originalMessageId = messageId;
      break;
    case InteractionResponseType.UpdateMessage: {
      const target = state.records.message(interaction.componentMessageId ?? '');
      if (!target || target.deleted) throw notFound.message();
      editMessage(state, target, data ?? {}, files);
      messageId = target.id;
      interaction.originalMessageId = target.id;
      break;
    }
    case InteractionResponseType.Modal:
      interaction.modal = data;
      break;
    default:
      break;
  }
  interaction.callbackType = type;
  record(interaction, state, { kind: 'callback', callbackType: type, data, files, messageId });
  if (query.get('with_response') !== 'true') return noContent;
  const message = messageId ? state.records.message(messageId) : undefined;
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      response_message_id: message?.id,
      response_message_loading: message ? loading : undefined,
      response_message_ephemeral: message ? message.ephemeral : undefined,
    },
    resource: { type, message: message?.api },
  });
}

function webhookExecute({ state, params, body, files, query }: RouteContext): ResponseSpec {
  const interaction = webhookInteraction(state, params['appId'], params['token']);
  if (interaction.callbackType === null) throw notFound.webhook();
  const data = parse(messageBodySchema, body) as Record<string, unknown>;
  const original = interaction.originalMessageId ? state.records.message(interaction.originalMessageId) : undefined;
  let message: FakeMessage;
  if (original && ((original.api.flags ?? 0) & MessageFlags.Loading) !== 0) {
    // Documented Discord behaviour: the first follow-up after a deferred reply edits the "thinking…" message.
    message = editMessage(state, original, data, files);
  } else {
    const channel = state.world.channels.get(interaction.channelId);
    if (!channel) throw notFound.channel();
    message = createMessage(state, { channel, author: state.world.bot, origin: 'interaction', body: data, files, interaction });
    interaction.followupIds.push(message.id);
  }
  record(interaction, state, { kind: 'followup', callbackType: null, data, files, messageId: message.id });
  return query.get('wait') === 'false' ? noContent : ok(message.api);
}

function webhookEdit({ state, params, body, files }: RouteContext): ResponseSpec {
  const interaction = webhookInteraction(state, params['appId'], params['token']);
  const message = webhookMessage(state, interaction, params['messageId']);
  const data = parse(messageBodySchema, body) as Record<string, unknown>;
  editMessage(state, message, data, files);
  const kind = message.id === interaction.originalMessageId ? 'edit-original' : 'edit-followup';
  record(interaction, state, { kind, callbackType: null, data, files, messageId: message.id });
  return ok(message.api);
}

function webhookDelete({ state, params }: RouteContext): ResponseSpec {
  const interaction = webhookInteraction(state, params['appId'], params['token']);
  const message = webhookMessage(state, interaction, params['messageId']);
  deleteMessage(state, message);
  const kind = message.id === interaction.originalMessageId ? 'delete-original' : 'delete-followup';
  record(interaction, state, { kind, callbackType: null, data: null, files: [], messageId: message.id });
  return noContent;
}

// ---------- channels ----------

function sendPermission(channel: ChannelState): bigint {
  return channel.thread ? P.SendMessagesInThreads : P.SendMessages;
}

function postChannelMessage({ state, params, body, files }: RouteContext): ResponseSpec {
  const probe = channelFor(state, params['channelId']);
  const channel = channelFor(state, probe.id, P.ViewChannel | sendPermission(probe) | (files.length > 0 ? P.AttachFiles : 0n));
  if (channel.thread?.archived || channel.thread?.locked) throw new RestError(400, { code: 50083, message: 'Thread is archived' });
  const data = parse(messageBodySchema, body) as Record<string, unknown>;
  const ref = data['message_reference'] as { message_id?: string; fail_if_not_exists?: boolean } | null | undefined;
  let referenced: FakeMessage | null = null;
  if (ref?.message_id) {
    const target = state.records.message(ref.message_id);
    if (target && !target.deleted && target.channelId === channel.id && !target.ephemeral) referenced = target;
    else if (ref.fail_if_not_exists !== false) {
      throw new RestError(400, fieldError(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message'));
    }
  }
  const message = createMessage(state, { channel, author: state.world.bot, origin: 'channel', body: data, files, referenced });
  return ok(message.api);
}

function listMessages({ state, params, query }: RouteContext): ResponseSpec {
  const channel = channelFor(state, params['channelId'], P.ViewChannel | P.ReadMessageHistory);
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 50) || 50, 1), 100);
  let list = state.records.messages(channel.id).filter((m) => !m.deleted && !m.ephemeral);
  const before = query.get('before');
  const after = query.get('after');
  const around = query.get('around');
  if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
  if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
  if (around) {
    const index = list.findIndex((m) => m.id === around);
    const start = Math.max(0, index - Math.floor(limit / 2));
    list = index < 0 ? [] : list.slice(start, start + limit);
  }
  const newestFirst = list.reverse();
  return ok((after && !before ? newestFirst.slice(-limit) : newestFirst.slice(0, limit)).map((m) => m.api));
}

function editChannelMessage({ state, params, body, files }: RouteContext): ResponseSpec {
  const channel = channelFor(state, params['channelId']);
  const message = requireMessage(state, channel.id, params['messageId'] ?? '');
  if (message.author.id !== state.world.bot.id || message.interactionId !== null) {
    throw new RestError(403, { code: 50005, message: 'Cannot edit a message authored by another user' });
  }
  const data = parse(messageBodySchema, body) as Record<string, unknown>;
  editMessage(state, message, data, files);
  return ok(message.api);
}

function deleteChannelMessage({ state, params }: RouteContext): ResponseSpec {
  const channel = channelFor(state, params['channelId']);
  const message = requireMessage(state, channel.id, params['messageId'] ?? '');
  if (message.author.id !== state.world.bot.id) channelFor(state, channel.id, P.ViewChannel | P.ManageMessages);
  deleteMessage(state, message);
  return noContent;
}

function startThreadFromMessage({ state, params, body }: RouteContext): ResponseSpec {
  const parent = channelFor(state, params['channelId'], P.ViewChannel | P.CreatePublicThreads);
  if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
    throw new RestError(400, { code: 50024, message: 'Cannot execute action on this channel type' });
  }
  const message = requireMessage(state, parent.id, params['messageId'] ?? '');
  if (state.world.channels.has(message.id)) {
    throw new RestError(400, { code: 160004, message: 'A thread has already been created for this message' });
  }
  const data = parse(threadFromMessageSchema, body);
  const thread = addThread(state.world, parent, {
    id: message.id,
    name: data.name,
    ownerId: state.world.bot.id,
    type: ChannelType.PublicThread,
    autoArchiveDuration: (data.auto_archive_duration ?? ThreadAutoArchiveDuration.OneDay) as ThreadAutoArchiveDuration,
  });
  const payload = channelPayload(state.world, thread);
  message.api = { ...message.api, thread: payload, flags: (message.api.flags ?? 0) | MessageFlags.HasThread } as APIMessage;
  state.records.changed();
  state.gateway.dispatch('THREAD_CREATE', { ...payload, newly_created: true }, { guildId: thread.guildId, intent: GatewayIntentBits.Guilds });
  return ok(payload, 201);
}

function startThread({ state, params, body }: RouteContext): ResponseSpec {
  const data = parse(threadWithoutMessageSchema, body);
  const type = (data.type ?? ChannelType.PrivateThread) as ChannelType.PublicThread | ChannelType.PrivateThread;
  const parent = channelFor(state, params['channelId'], P.ViewChannel | (type === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads));
  if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
    throw new RestError(400, { code: 50024, message: 'Cannot execute action on this channel type' });
  }
  const thread = addThread(state.world, parent, {
    id: nextSnowflake(),
    name: data.name,
    ownerId: state.world.bot.id,
    type,
    autoArchiveDuration: (data.auto_archive_duration ?? ThreadAutoArchiveDuration.OneDay) as ThreadAutoArchiveDuration,
  });
  const payload = channelPayload(state.world, thread);
  state.records.changed();
  state.gateway.dispatch('THREAD_CREATE', { ...payload, newly_created: true }, { guildId: thread.guildId, intent: GatewayIntentBits.Guilds });
  return ok(payload, 201);
}

function react(add: boolean) {
  return ({ state, params }: RouteContext): ResponseSpec => {
    const channel = channelFor(state, params['channelId'], P.ViewChannel | P.ReadMessageHistory | (add ? P.AddReactions : 0n));
    const message = requireMessage(state, channel.id, params['messageId'] ?? '');
    const emoji = params['emoji'] ?? '';
    const [name, id] = emoji.includes(':') ? emoji.split(':') : [emoji, null];
    const reactions = (message.api.reactions ?? []).filter((r) => r.emoji.name !== name);
    const existing = (message.api.reactions ?? []).find((r) => r.emoji.name === name);
    const others = existing ? existing.count - (existing.me ? 1 : 0) : 0;
    if (add || others > 0) {
      reactions.push({
        emoji: { id: id ?? null, name: name ?? null },
        count: others + (add ? 1 : 0),
        me: add,
        me_burst: false,
        burst_colors: [],
        count_details: { burst: 0, normal: others + (add ? 1 : 0) },
      });
    }
    message.api = { ...message.api, reactions };
    state.records.changed();
    return noContent;
  };
}

// ---------- the table ----------

function application(state: FakeState): APIApplication {
  const flags = state.options.privilegedIntents
    ? ApplicationFlags.GatewayPresence | ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayMessageContent
    : 0;
  return {
    id: state.world.applicationId,
    name: state.options.applicationName,
    icon: null,
    description: 'Answers questions about news coverage with cited quotes (fake application).',
    summary: '',
    bot_public: false,
    bot_require_code_grant: false,
    bot: state.world.bot,
    verify_key: '0'.repeat(64),
    team: null,
    flags,
    flags_new: String(flags),
    approximate_guild_count: state.world.guilds.size,
  };
}

export function buildRoutes(): Route[] {
  const table: [string, boolean, Route['handle']][] = [
    ['GET /gateway', false, ({ state }) => ok({ url: `${state.origin.replace(/^http/, 'ws')}/gateway` })],
    [
      'GET /gateway/bot',
      true,
      ({ state }) =>
        ok({
          url: `${state.origin.replace(/^http/, 'ws')}/gateway`,
          shards: state.options.shards,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
    ],
    ['GET /users/@me', true, ({ state }) => ok(state.world.bot)],
    [
      'GET /users/:userId',
      true,
      ({ state, params }) => {
        const user = state.world.users.get(params['userId'] ?? '');
        if (!user) throw notFound.user();
        return ok(user);
      },
    ],
    ['GET /applications/@me', true, ({ state }) => ok(application(state))],
    ...commandRoutes('/applications/:appId/commands'),
    ...commandRoutes('/applications/:appId/guilds/:guildId/commands'),
    ['POST /interactions/:interactionId/:token/callback', false, interactionCallback],
    ['POST /webhooks/:appId/:token', false, webhookExecute],
    [
      'GET /webhooks/:appId/:token/messages/:messageId',
      false,
      ({ state, params }) => ok(webhookMessage(state, webhookInteraction(state, params['appId'], params['token']), params['messageId']).api),
    ],
    ['PATCH /webhooks/:appId/:token/messages/:messageId', false, webhookEdit],
    ['DELETE /webhooks/:appId/:token/messages/:messageId', false, webhookDelete],
    ['GET /channels/:channelId', true, ({ state, params }) => ok(channelPayload(state.world, channelFor(state, params['channelId'])))],
    ['GET /channels/:channelId/messages', true, listMessages],
    ['POST /channels/:channelId/messages', true, postChannelMessage],
    [
      'GET /channels/:channelId/messages/:messageId',
      true,
      ({ state, params }) => {
        const channel = channelFor(state, params['channelId'], P.ViewChannel | P.ReadMessageHistory);
        return ok(requireMessage(state, channel.id, params['messageId'] ?? '').api);
      },
    ],
    ['PATCH /channels/:channelId/messages/:messageId', true, editChannelMessage],
    ['DELETE /channels/:channelId/messages/:messageId', true, deleteChannelMessage],
    ['POST /channels/:channelId/messages/:messageId/threads', true, startThreadFromMessage],
    ['POST /channels/:channelId/threads', true, startThread],
    ['PUT /channels/:channelId/messages/:messageId/reactions/:emoji/@me', true, react(true)],
    ['DELETE /channels/:channelId/messages/:messageId/reactions/:emoji/@me', true, react(false)],
    [
      'POST /channels/:channelId/typing',
      true,
      ({ state, params }) => {
        const probe = channelFor(state, params['channelId']);
        channelFor(state, probe.id, P.ViewChannel | sendPermission(probe));
        return noContent;
      },
    ],
    [
      'PUT /channels/:channelId/thread-members/@me',
      true,
      ({ state, params }) => {
        const channel = channelFor(state, params['channelId']);
        if (!channel.thread) throw new RestError(400, { code: 50024, message: 'Cannot execute action on this channel type' });
        channel.thread.memberIds.add(state.world.bot.id);
        return noContent;
      },
    ],
    [
      'GET /guilds/:guildId',
      true,
      ({ state, params, query }) => {
        const guild = guildFor(state, params['guildId']);
        const body = guildPayload(guild);
        if (query.get('with_counts') === 'true') {
          body.approximate_member_count = guild.members.size;
          body.approximate_presence_count = 0;
        }
        return ok(body);
      },
    ],
    [
      'GET /guilds/:guildId/channels',
      true,
      ({ state, params }) => {
        const guild = guildFor(state, params['guildId']);
        return ok(guild.channelIds.flatMap((id) => {
          const channel = state.world.channels.get(id);
          return channel ? [channelPayload(state.world, channel)] : [];
        }));
      },
    ],
    ['GET /guilds/:guildId/roles', true, ({ state, params }) => ok([...guildFor(state, params['guildId']).roles.values()])],
    [
      'GET /guilds/:guildId/members/:userId',
      true,
      ({ state, params }) => {
        const guild = guildFor(state, params['guildId']);
        if (!guild.members.has(params['userId'] ?? '')) throw notFound.member();
        return ok(memberPayload(state.world, guild, params['userId'] ?? ''));
      },
    ],
    [
      'GET /guilds/:guildId/members',
      true,
      ({ state, params, query }) => {
        const guild = guildFor(state, params['guildId']);
        // Listing members needs the privileged GuildMembers intent to be enabled for the application.
        if (!state.options.privilegedIntents) throw missingAccess();
        const limit = Math.min(Math.max(Number(query.get('limit') ?? 1) || 1, 1), 1000);
        const after = BigInt(query.get('after') ?? '0');
        const ids = [...guild.members.keys()].filter((id) => BigInt(id) > after).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
        return ok(ids.slice(0, limit).map((id) => memberPayload(state.world, guild, id)));
      },
    ],
  ];
  return table.map(([pattern, auth, handle]) => ({ pattern: compileRoutePattern(pattern), auth, handle }));
}
