// Building INTERACTION_CREATE payloads as Discord's client would produce them: options typed by the registered
// command (or inferred), resolved users/roles/channels/attachments, the clicked message for components, the shown
// modal for modal submits. What a real user could not do (click a missing or disabled button, omit a required
// option, answer a modal never shown) throws here, so tests cannot exercise impossible paths.
import { randomBytes } from 'node:crypto';
import { ApplicationCommandOptionType, ApplicationCommandType, ComponentType, InteractionType, Locale } from 'discord.js';
import type { APIApplicationCommand, APIApplicationCommandOption, APIAttachment, APIInteraction } from 'discord.js';
import type { FakeMessage } from './records.js';
import { nextSnowflake } from './snowflake.js';
import type { FakeState, InteractionState } from './state.js';
import { walkComponents, type RawComponent } from './validation.js';
import {
  channelPayload,
  channelPermissions,
  DEFAULT_IDS,
  guildOf,
  memberPayload,
  requireChannel,
  type ChannelState,
  type GuildState,
} from './world.js';

/** A file the user attached to a slash-command option; the fake serves it at the attachment's URL. */
export interface FakeUpload {
  filename: string;
  content: string | Uint8Array;
  contentType?: string;
}

export type OptionValue = string | number | boolean | FakeUpload;

export interface InteractionContext {
  guildId?: string;
  /** Defaults to the guild's #ask channel, else its first text channel; components default to their message's channel. */
  channelId?: string;
  /** The invoking user; defaults to the plain member. */
  userId?: string;
  /** Overrides the member's computed channel permissions (string or bigint bitfield). */
  permissions?: bigint | string;
  /** Overrides the bot's computed channel permissions. */
  appPermissions?: bigint | string;
  locale?: Locale;
}

export interface CommandSpec extends InteractionContext {
  kind: 'command';
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
}

export interface AutocompleteSpec extends InteractionContext {
  kind: 'autocomplete';
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /** The option being typed into; its value is the partial input. */
  focused: string;
}

export interface ButtonSpec extends InteractionContext {
  kind: 'button';
  customId: string;
  /** The message carrying the button; defaults to the newest bot message (in `channelId`, if given) that has it. */
  messageId?: string;
}

export interface SelectSpec extends InteractionContext {
  kind: 'select';
  customId: string;
  values: string[];
  messageId?: string;
}

export interface ModalSubmitSpec extends InteractionContext {
  kind: 'modal';
  /** The custom_id of a modal the bot showed (type 9 callback). */
  customId: string;
  /** Text input custom_id → what the user typed. */
  fields: Record<string, string>;
}

export type InteractionSpec = CommandSpec | AutocompleteSpec | ButtonSpec | SelectSpec | ModalSubmitSpec;

export interface DispatchedInteraction {
  id: string;
  token: string;
  applicationId: string;
  payload: APIInteraction;
}

type Json = Record<string, unknown>;

interface Resolved {
  users?: Record<string, unknown>;
  members?: Record<string, unknown>;
  roles?: Record<string, unknown>;
  channels?: Record<string, unknown>;
  attachments?: Record<string, APIAttachment>;
}

function isUpload(value: OptionValue): value is FakeUpload {
  return typeof value === 'object' && value !== null && 'filename' in value;
}

function findCommand(state: FakeState, guildId: string, name: string): APIApplicationCommand | undefined {
  const match = (c: APIApplicationCommand): boolean => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;
  return state.commands.get(guildId)?.find(match) ?? state.commands.get('global')?.find(match);
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (isUpload(value)) return ApplicationCommandOptionType.Attachment;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

function addUpload(state: FakeState, upload: FakeUpload): APIAttachment {
  const id = nextSnowflake();
  const data = Buffer.from(typeof upload.content === 'string' ? Buffer.from(upload.content, 'utf8') : upload.content);
  const contentType = upload.contentType ?? (upload.filename.endsWith('.txt') ? 'text/plain; charset=utf-8' : 'application/octet-stream');
  state.uploads.set(id, { id, filename: upload.filename, contentType, data });
  const url = `${state.origin}/attachments/${id}/${encodeURIComponent(upload.filename)}`;
  return { id, filename: upload.filename, size: data.length, url, proxy_url: url, content_type: contentType, ephemeral: true };
}

function buildOptions(
  state: FakeState,
  guild: GuildState,
  channel: ChannelState,
  command: string,
  defs: APIApplicationCommandOption[] | undefined,
  values: Record<string, OptionValue>,
  resolved: Resolved,
  focused: string | null,
): Json[] {
  const out: Json[] = [];
  for (const [name, value] of Object.entries(values)) {
    const def = defs?.find((o) => o.name === name);
    if (defs && !def) {
      throw new Error(`FakeDiscord: /${command} has no option "${name}"; its options are ${defs.map((o) => o.name).join(', ') || '(none)'}`);
    }
    const type = def?.type ?? inferType(value);
    const option: Json = { name, type };
    if (focused === name) {
      option['value'] = String(value);
      option['focused'] = true;
      out.push(option);
      continue;
    }
    switch (type) {
      case ApplicationCommandOptionType.Attachment: {
        if (!isUpload(value)) throw new Error(`FakeDiscord: option "${name}" of /${command} takes a file ({ filename, content })`);
        const attachment = addUpload(state, value);
        (resolved.attachments ??= {})[attachment.id] = attachment;
        option['value'] = attachment.id;
        break;
      }
      case ApplicationCommandOptionType.User:
      case ApplicationCommandOptionType.Role:
      case ApplicationCommandOptionType.Channel:
      case ApplicationCommandOptionType.Mentionable: {
        const id = String(value);
        option['value'] = id;
        resolveEntity(state, guild, channel, type, id, resolved, `option "${name}" of /${command}`);
        break;
      }
      case ApplicationCommandOptionType.Integer:
        if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`FakeDiscord: option "${name}" of /${command} takes an integer`);
        option['value'] = value;
        break;
      case ApplicationCommandOptionType.Number:
        if (typeof value !== 'number') throw new Error(`FakeDiscord: option "${name}" of /${command} takes a number`);
        option['value'] = value;
        break;
      case ApplicationCommandOptionType.Boolean:
        if (typeof value !== 'boolean') throw new Error(`FakeDiscord: option "${name}" of /${command} takes a boolean`);
        option['value'] = value;
        break;
      default:
        if (typeof value !== 'string') throw new Error(`FakeDiscord: option "${name}" of /${command} takes a string`);
        option['value'] = value;
    }
    const choices = def && 'choices' in def ? def.choices : undefined;
    if (choices && choices.length > 0 && !choices.some((c) => c.value === option['value'])) {
      throw new Error(`FakeDiscord: ${JSON.stringify(value)} is not a choice of option "${name}" of /${command}: ${choices.map((c) => JSON.stringify(c.value)).join(', ')}`);
    }
    out.push(option);
  }
  if (defs && focused === null) {
    const missing = defs.filter((d) => 'required' in d && d.required && !(d.name in values)).map((d) => d.name);
    if (missing.length > 0) throw new Error(`FakeDiscord: /${command} needs option(s) ${missing.join(', ')}; Discord would not send it without`);
  }
  return out;
}

function resolveEntity(state: FakeState, guild: GuildState, channel: ChannelState, type: ApplicationCommandOptionType, id: string, resolved: Resolved, what: string): void {
  const { world } = state;
  const user = world.users.get(id);
  const role = guild.roles.get(id);
  if ((type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Mentionable) && user) {
    (resolved.users ??= {})[id] = user;
    if (guild.members.has(id)) {
      const { user: _u, ...member } = memberPayload(world, guild, id);
      (resolved.members ??= {})[id] = { ...member, permissions: channelPermissions(world, channel.id, id).toString() };
    }
    return;
  }
  if ((type === ApplicationCommandOptionType.Role || type === ApplicationCommandOptionType.Mentionable) && role) {
    (resolved.roles ??= {})[id] = role;
    return;
  }
  const target = type === ApplicationCommandOptionType.Channel ? world.channels.get(id) : undefined;
  if (target) {
    (resolved.channels ??= {})[id] = { ...channelPayload(world, target), permissions: channelPermissions(world, target.id, world.bot.id).toString() };
    return;
  }
  throw new Error(`FakeDiscord: ${what} refers to unknown ${ApplicationCommandOptionType[type]} ${id}`);
}

function commandData(state: FakeState, spec: CommandSpec | AutocompleteSpec, guild: GuildState, channel: ChannelState): Json {
  const registered = findCommand(state, guild.id, spec.name);
  const resolved: Resolved = {};
  const focused = spec.kind === 'autocomplete' ? spec.focused : null;
  if (focused !== null && !(focused in (spec.options ?? {}))) {
    throw new Error(`FakeDiscord: focused option "${focused}" must be among the options given`);
  }
  let defs = registered?.options;
  const path: { type: ApplicationCommandOptionType; name: string }[] = [];
  for (const [type, name] of [
    [ApplicationCommandOptionType.SubcommandGroup, spec.subcommandGroup],
    [ApplicationCommandOptionType.Subcommand, spec.subcommand],
  ] as const) {
    if (!name) continue;
    const def = defs?.find((o) => o.name === name && o.type === type);
    if (registered && !def) throw new Error(`FakeDiscord: /${spec.name} has no ${ApplicationCommandOptionType[type]} "${name}"`);
    defs = def && 'options' in def ? (def.options as APIApplicationCommandOption[] | undefined) ?? [] : registered ? [] : undefined;
    path.push({ type, name });
  }
  if (registered && defs?.some((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup)) {
    throw new Error(`FakeDiscord: /${spec.name} needs a subcommand(Group): ${defs.map((o) => o.name).join(', ')}`);
  }
  let options = buildOptions(state, guild, channel, spec.name, defs, spec.options ?? {}, resolved, focused);
  for (const level of [...path].reverse()) options = [{ type: level.type, name: level.name, options }];
  const data: Json = {
    id: registered?.id ?? nextSnowflake(),
    name: spec.name,
    type: ApplicationCommandType.ChatInput,
    options,
  };
  if (registered?.guild_id) data['guild_id'] = registered.guild_id;
  if (Object.keys(resolved).length > 0) data['resolved'] = resolved;
  return data;
}

function findComponent(message: FakeMessage, customId: string): RawComponent | undefined {
  let found: RawComponent | undefined;
  walkComponents(message.api.components, (c) => {
    if (!found && c['custom_id'] === customId) found = c;
  });
  return found;
}

function componentMessage(state: FakeState, spec: ButtonSpec | SelectSpec): { message: FakeMessage; component: RawComponent } {
  if (spec.messageId) {
    const message = state.records.message(spec.messageId);
    if (!message || message.deleted) throw new Error(`FakeDiscord: no message ${spec.messageId} to click on`);
    const component = findComponent(message, spec.customId);
    if (!component) {
      const ids: string[] = [];
      walkComponents(message.api.components, (c) => {
        if (typeof c['custom_id'] === 'string') ids.push(c['custom_id']);
      });
      throw new Error(`FakeDiscord: message ${message.id} has no component "${spec.customId}"; it has ${ids.join(', ') || 'none'}`);
    }
    return { message, component };
  }
  const candidates = state.records
    .allMessages()
    .filter((m) => !m.deleted && m.author.id === state.world.bot.id && (!spec.channelId || m.channelId === spec.channelId))
    .reverse();
  for (const message of candidates) {
    const component = findComponent(message, spec.customId);
    if (component) return { message, component };
  }
  throw new Error(`FakeDiscord: no bot message${spec.channelId ? ` in ${spec.channelId}` : ''} has a component "${spec.customId}"`);
}

function modalData(state: FakeState, spec: ModalSubmitSpec): { data: Json; source: InteractionState } {
  const source = [...state.interactions.values()].reverse().find((i) => i.modal && i.modal['custom_id'] === spec.customId);
  if (!source?.modal) throw new Error(`FakeDiscord: the bot never showed a modal "${spec.customId}"`);
  const inputs: string[] = [];
  walkComponents(source.modal['components'], (c) => {
    if (c.type === ComponentType.TextInput) inputs.push(String(c['custom_id']));
  });
  const unknownFields = Object.keys(spec.fields).filter((f) => !inputs.includes(f));
  if (unknownFields.length > 0) throw new Error(`FakeDiscord: modal "${spec.customId}" has no field(s) ${unknownFields.join(', ')}; it has ${inputs.join(', ')}`);
  const mirror = (c: RawComponent): Json | null => {
    if (c.type === ComponentType.TextInput) {
      const id = String(c['custom_id']);
      const value = spec.fields[id] ?? '';
      const required = c['required'] !== false;
      if (required && value === '') throw new Error(`FakeDiscord: modal field "${id}" is required`);
      const min = typeof c['min_length'] === 'number' ? c['min_length'] : 0;
      const max = typeof c['max_length'] === 'number' ? c['max_length'] : 4000;
      if (value !== '' && (value.length < min || value.length > max)) {
        throw new Error(`FakeDiscord: modal field "${id}" must be ${min}–${max} characters`);
      }
      return { type: ComponentType.TextInput, id: c['id'], custom_id: id, value };
    }
    if (Array.isArray(c['components'])) {
      return { type: c.type, id: c['id'], components: (c['components'] as RawComponent[]).map(mirror).filter((x): x is Json => x !== null) };
    }
    if (c['component'] && typeof c['component'] === 'object') {
      const inner = mirror(c['component'] as RawComponent);
      return inner ? { type: c.type, id: c['id'], component: inner } : null;
    }
    return null;
  };
  const components = (source.modal['components'] as RawComponent[]).map(mirror).filter((x): x is Json => x !== null);
  return { data: { custom_id: spec.customId, components }, source };
}

function defaultChannel(state: FakeState, guild: GuildState): ChannelState {
  const channels = guild.channelIds.map((id) => requireChannel(state.world, id));
  const textual = channels.filter((c) => c.type === 0 || c.type === 5);
  const found = textual.find((c) => c.id === DEFAULT_IDS.ask) ?? textual.find((c) => c.name === 'ask') ?? textual[0];
  if (!found) throw new Error(`FakeDiscord: guild ${guild.name} has no text channel; pass channelId`);
  return found;
}

function defaultUser(guild: GuildState, botId: string): string {
  if (guild.members.has(DEFAULT_IDS.member)) return DEFAULT_IDS.member;
  const other = [...guild.members.keys()].find((id) => id !== botId && id !== guild.ownerId) ?? [...guild.members.keys()].find((id) => id !== botId);
  if (!other) throw new Error(`FakeDiscord: guild ${guild.name} has no member to act as the user`);
  return other;
}

/** Builds the payload and registers the interaction so its callback and webhook calls can be answered and recorded. */
export function buildInteraction(state: FakeState, spec: InteractionSpec): { interaction: InteractionState; payload: APIInteraction } {
  const { world } = state;
  let componentMsg: FakeMessage | null = null;
  let component: RawComponent | null = null;
  if (spec.kind === 'button' || spec.kind === 'select') {
    ({ message: componentMsg, component } = componentMessage(state, spec));
  }
  let channel: ChannelState;
  if (componentMsg) channel = requireChannel(world, componentMsg.channelId);
  else if (spec.channelId) channel = requireChannel(world, spec.channelId);
  else {
    const home = spec.guildId ? world.guilds.get(spec.guildId) : world.guilds.values().next().value;
    if (!home) throw new Error(`FakeDiscord: unknown guild ${spec.guildId ?? '(none)'}`);
    channel = defaultChannel(state, home);
  }
  const guild = guildOf(world, channel);
  if (spec.guildId && spec.guildId !== guild.id) throw new Error(`FakeDiscord: channel ${channel.id} is not in guild ${spec.guildId}`);
  const userId = spec.userId ?? defaultUser(guild, world.bot.id);
  if (!guild.members.has(userId)) throw new Error(`FakeDiscord: user ${userId} is not a member of guild ${guild.name}`);
  const memberPerms = spec.permissions !== undefined ? BigInt(spec.permissions) : channelPermissions(world, channel.id, userId);
  const appPerms = spec.appPermissions !== undefined ? BigInt(spec.appPermissions) : channelPermissions(world, channel.id, world.bot.id);

  let type: InteractionType;
  let data: Json;
  let modalSource: InteractionState | null = null;
  switch (spec.kind) {
    case 'command':
      type = InteractionType.ApplicationCommand;
      data = commandData(state, spec, guild, channel);
      break;
    case 'autocomplete':
      type = InteractionType.ApplicationCommandAutocomplete;
      data = commandData(state, spec, guild, channel);
      break;
    case 'button':
      type = InteractionType.MessageComponent;
      if (component?.type !== ComponentType.Button) throw new Error(`FakeDiscord: component "${spec.customId}" is not a button`);
      if (component['disabled'] === true) throw new Error(`FakeDiscord: button "${spec.customId}" is disabled; a user cannot click it`);
      data = { custom_id: spec.customId, component_type: ComponentType.Button };
      break;
    case 'select': {
      type = InteractionType.MessageComponent;
      if (component?.type !== ComponentType.StringSelect) throw new Error(`FakeDiscord: component "${spec.customId}" is not a string select (the fake clicks only those)`);
      const allowed = ((component['options'] ?? []) as { value: string }[]).map((o) => o.value);
      const bad = spec.values.filter((v) => !allowed.includes(v));
      if (bad.length > 0) throw new Error(`FakeDiscord: select "${spec.customId}" has no option(s) ${bad.join(', ')}`);
      data = { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: spec.values };
      break;
    }
    case 'modal': {
      type = InteractionType.ModalSubmit;
      const built = modalData(state, spec);
      data = built.data;
      modalSource = built.source;
      break;
    }
  }

  const id = nextSnowflake();
  const token = `fake-interaction-${randomBytes(24).toString('base64url')}`;
  const { user, ...memberRest } = memberPayload(world, guild, userId);
  const payload: Json = {
    id,
    application_id: world.applicationId,
    type,
    data,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.preferredLocale, features: [] },
    channel: { ...channelPayload(world, channel), permissions: memberPerms.toString() },
    channel_id: channel.id,
    member: { ...memberRest, user, permissions: memberPerms.toString() },
    token,
    version: 1,
    app_permissions: appPerms.toString(),
    locale: spec.locale ?? Locale.EnglishUS,
    guild_locale: guild.preferredLocale,
    entitlements: [],
    authorizing_integration_owners: { 0: guild.id },
    context: 0,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  const sourceMessage = componentMsg ?? (modalSource?.componentMessageId ? state.records.message(modalSource.componentMessageId) ?? null : null);
  if (sourceMessage) payload['message'] = sourceMessage.api;

  const interaction: InteractionState = {
    id,
    token,
    type,
    channelId: channel.id,
    guildId: guild.id,
    userId,
    payload: payload as unknown as APIInteraction,
    dispatchedAt: Date.now(),
    callbackType: null,
    originalMessageId: null,
    componentMessageId: sourceMessage?.id ?? null,
    followupIds: [],
    responses: [],
    modal: null,
  };
  return { interaction, payload: interaction.payload };
}
