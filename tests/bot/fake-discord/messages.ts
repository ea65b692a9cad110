// Creating, editing and deleting messages the way Discord does: attachments served by the fake, mentions parsed and
// filtered by allowed_mentions (so a test can see who would have been pinged), and MESSAGE_* gateway events,
// with content blanked for sessions that lack the MessageContent intent.
import { GatewayIntentBits, MessageFlags, MessageType, PermissionFlagsBits } from 'discord.js';
import type { APIAttachment, APIMessage, APIUser } from 'discord.js';
import { notFound, RestError } from './http.js';
import type { FakeMessage, MessageOrigin, Pings, RecordedFile } from './records.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeState, InteractionState } from './state.js';
import { channelPermissions, guildOf, memberPayload, type ChannelState } from './world.js';

export const emptyMessage = (): RestError => new RestError(400, { code: 50006, message: 'Cannot send an empty message' });

export interface CreateMessageInput {
  channel: ChannelState;
  author: APIUser;
  origin: MessageOrigin;
  body: Record<string, unknown>;
  files?: RecordedFile[];
  interaction?: InteractionState;
  type?: MessageType;
  /** A deferred reply's "thinking…" placeholder, the one message Discord lets be empty. */
  loading?: boolean;
  referenced?: FakeMessage | null;
}

interface MentionScan {
  users: string[];
  roles: string[];
  everyone: boolean;
}

function scanMentions(content: string): MentionScan {
  const users = [...content.matchAll(/<@!?(\d{1,20})>/g)].map((m) => m[1] ?? '');
  const roles = [...content.matchAll(/<@&(\d{1,20})>/g)].map((m) => m[1] ?? '');
  return { users: [...new Set(users)], roles: [...new Set(roles)], everyone: /@(everyone|here)\b/.test(content) };
}

/** Who a message notifies: content mentions filtered by allowed_mentions (absent = parse everything), plus the replied-to author. */
function resolvePings(state: FakeState, channel: ChannelState, author: APIUser, body: Record<string, unknown>, content: string, referenced: FakeMessage | null): Pings {
  const scan = scanMentions(content);
  const am = body['allowed_mentions'] as { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean } | null | undefined;
  const parse = am ? (am.parse ?? []) : ['users', 'roles', 'everyone'];
  const guild = guildOf(state.world, channel);
  const canMentionEveryone = (channelPermissions(state.world, channel.id, author.id) & PermissionFlagsBits.MentionEveryone) !== 0n;
  const users = scan.users.filter((id) => state.world.users.has(id) && (parse.includes('users') || (am?.users ?? []).includes(id)));
  const roles = scan.roles.filter((id) => {
    const role = guild.roles.get(id);
    if (!role || !(parse.includes('roles') || (am?.roles ?? []).includes(id))) return false;
    return role.mentionable || canMentionEveryone;
  });
  if (referenced && !referenced.deleted && (am ? am.replied_user === true : true) && !users.includes(referenced.author.id)) {
    users.push(referenced.author.id);
  }
  return { users, roles, everyone: scan.everyone && parse.includes('everyone') && canMentionEveryone };
}

function mergePings(a: Pings, b: Pings): Pings {
  return {
    users: [...new Set([...a.users, ...b.users])],
    roles: [...new Set([...a.roles, ...b.roles])],
    everyone: a.everyone || b.everyone,
  };
}

/** Turns uploaded files (and `attachments` entries naming them by index) into attachments the fake serves over HTTP. */
function buildAttachments(state: FakeState, body: Record<string, unknown>, files: RecordedFile[], existing: APIAttachment[]): APIAttachment[] {
  const declared = Array.isArray(body['attachments']) ? (body['attachments'] as { id: string | number; filename?: string; description?: string }[]) : null;
  // On edit, `attachments` lists which existing attachments to keep; absent means keep them all.
  const kept = declared ? existing.filter((a) => declared.some((d) => String(d.id) === a.id)) : existing;
  const added = files.map((file, index) => {
    const entry = declared?.find((d) => String(d.id) === String(index) || String(d.id) === /\[(\d+)\]/.exec(file.field)?.[1]);
    const filename = entry?.filename ?? file.filename;
    const id = nextSnowflake();
    state.uploads.set(id, { id, filename, contentType: file.contentType, data: file.data });
    const url = `${state.origin}/attachments/${id}/${encodeURIComponent(filename)}`;
    const attachment: APIAttachment = { id, filename, size: file.data.length, url, proxy_url: url, content_type: file.contentType || undefined };
    if (entry?.description) attachment.description = entry.description;
    return attachment;
  });
  return [...kept, ...added];
}

function isEmpty(api: APIMessage): boolean {
  return api.content === '' && api.embeds.length === 0 && (api.components?.length ?? 0) === 0 && api.attachments.length === 0;
}

function mentionedUsers(state: FakeState, channel: ChannelState, pings: Pings): APIMessage['mentions'] {
  const guild = guildOf(state.world, channel);
  return pings.users.flatMap((id) => {
    const user = state.world.users.get(id);
    if (!user) return [];
    if (!guild.members.has(id)) return [user];
    const { user: _user, ...member } = memberPayload(state.world, guild, id);
    return [{ ...user, member }];
  });
}

function gatewayMessage(state: FakeState, message: FakeMessage): Record<string, unknown> {
  const channel = state.world.channels.get(message.channelId);
  const guild = channel ? guildOf(state.world, channel) : null;
  const out: Record<string, unknown> = { ...message.api, guild_id: message.guildId };
  if (guild && guild.members.has(message.author.id) && !message.api.webhook_id) {
    const { user: _user, ...member } = memberPayload(state.world, guild, message.author.id);
    out['member'] = member;
  }
  return out;
}

/** Without MessageContent, Discord blanks content, embeds, attachments and components unless the bot is mentioned or wrote it. */
function contentGated(state: FakeState, message: FakeMessage, data: Record<string, unknown>): (intents: number) => unknown {
  return (intents) => {
    if (intents & GatewayIntentBits.MessageContent) return data;
    const botId = state.world.bot.id;
    if (message.author.id === botId || message.api.mentions.some((u) => u.id === botId)) return data;
    return { ...data, content: '', embeds: [], attachments: [], components: [], poll: undefined };
  };
}

function dispatchMessageEvent(state: FakeState, t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: FakeMessage): void {
  if (message.ephemeral) return;
  const data = gatewayMessage(state, message);
  state.gateway.dispatch(t, data, {
    guildId: message.guildId,
    intent: GatewayIntentBits.GuildMessages,
    transform: contentGated(state, message, data),
  });
}

export function createMessage(state: FakeState, input: CreateMessageInput): FakeMessage {
  const { channel, author, body } = input;
  const files = input.files ?? [];
  const referenced = input.referenced ?? null;
  const content = typeof body['content'] === 'string' ? body['content'] : '';
  const flags = (typeof body['flags'] === 'number' ? body['flags'] : 0) | (input.loading ? MessageFlags.Loading : 0);
  const pings = resolvePings(state, channel, author, body, content, referenced);
  const id = nextSnowflake();
  const interaction = input.interaction;
  const api: APIMessage = {
    id,
    channel_id: channel.id,
    author,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body['tts'] === true,
    mention_everyone: pings.everyone,
    mentions: [],
    mention_roles: pings.roles,
    attachments: buildAttachments(state, body, files, []),
    embeds: Array.isArray(body['embeds']) ? (body['embeds'] as APIMessage['embeds']) : [],
    components: Array.isArray(body['components']) ? (body['components'] as APIMessage['components']) : [],
    pinned: false,
    type: input.type ?? (referenced ? MessageType.Reply : MessageType.Default),
    flags,
  };
  api.mentions = mentionedUsers(state, channel, pings);
  if (referenced) {
    api.message_reference = { type: 0, message_id: referenced.id, channel_id: referenced.channelId, guild_id: referenced.guildId ?? undefined };
    api.referenced_message = referenced.deleted ? null : referenced.api;
  }
  if (interaction) {
    api.webhook_id = state.world.applicationId;
    api.application_id = state.world.applicationId;
    const user = state.world.users.get(interaction.userId);
    if (user) {
      api.interaction_metadata = {
        id: interaction.id,
        type: interaction.type,
        user,
        authorizing_integration_owners: { 0: interaction.guildId },
      } as APIMessage['interaction_metadata'];
    }
  }
  if (!input.loading && isEmpty(api)) throw emptyMessage();
  const message: FakeMessage = {
    id,
    channelId: channel.id,
    guildId: channel.guildId,
    origin: input.origin,
    interactionId: interaction?.id ?? null,
    author,
    api,
    bodies: input.origin === 'user' ? [] : [body],
    files,
    pings,
    ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    deleted: false,
  };
  channel.lastMessageId = id;
  if (channel.thread) channel.thread.messageCount++;
  state.records.addMessage(message);
  dispatchMessageEvent(state, 'MESSAGE_CREATE', message);
  return message;
}

/** Applies an edit body: present fields replace, absent ones stay; a deferred reply's first edit clears its loading state. */
export function editMessage(state: FakeState, message: FakeMessage, body: Record<string, unknown>, files: RecordedFile[] = []): FakeMessage {
  const channel = state.world.channels.get(message.channelId);
  if (!channel) throw notFound.channel();
  const api: APIMessage = { ...message.api };
  const wasLoading = ((api.flags ?? 0) & MessageFlags.Loading) !== 0;
  if ('content' in body) api.content = typeof body['content'] === 'string' ? body['content'] : '';
  if ('embeds' in body) api.embeds = Array.isArray(body['embeds']) ? (body['embeds'] as APIMessage['embeds']) : [];
  if ('components' in body) api.components = Array.isArray(body['components']) ? (body['components'] as APIMessage['components']) : [];
  if ('attachments' in body || files.length > 0) api.attachments = buildAttachments(state, body, files, api.attachments);
  let flags = (api.flags ?? 0) & ~MessageFlags.Loading;
  if (typeof body['flags'] === 'number') {
    // Only these flags may change on edit; ephemerality is fixed at creation.
    const editable = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
    flags = (flags & ~editable) | (body['flags'] & editable);
  }
  api.flags = flags;
  if (isEmpty(api)) throw emptyMessage();
  const referenced = message.api.message_reference?.message_id ? state.records.message(message.api.message_reference.message_id) ?? null : null;
  const newPings = resolvePings(state, channel, message.author, body, api.content, wasLoading ? referenced : null);
  message.pings = mergePings(message.pings, newPings);
  api.mentions = mentionedUsers(state, channel, message.pings);
  api.mention_roles = message.pings.roles;
  api.mention_everyone = message.pings.everyone;
  if (!wasLoading) api.edited_timestamp = new Date().toISOString();
  message.api = api;
  message.bodies.push(body);
  message.files.push(...files);
  state.records.changed();
  dispatchMessageEvent(state, 'MESSAGE_UPDATE', message);
  return message;
}

export function deleteMessage(state: FakeState, message: FakeMessage): void {
  message.deleted = true;
  state.records.changed();
  if (message.ephemeral) return;
  state.gateway.dispatch(
    'MESSAGE_DELETE',
    { id: message.id, channel_id: message.channelId, guild_id: message.guildId },
    { guildId: message.guildId, intent: GatewayIntentBits.GuildMessages },
  );
}

/** The channel API's view of a stored message, or 404 if it is gone or elsewhere. */
export function requireMessage(state: FakeState, channelId: string, messageId: string): FakeMessage {
  const message = state.records.message(messageId);
  if (!message || message.deleted || message.channelId !== channelId || message.ephemeral) {
    throw notFound.message();
  }
  return message;
}
