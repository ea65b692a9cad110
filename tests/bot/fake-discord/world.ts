// The fake's guilds: users, roles, channels and members built from options (with defaults a coverage-bot test needs),
// Discord's permission arithmetic, and the API payloads that describe them.
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type {
  APIChannel,
  APIGuild,
  APIGuildMember,
  APIOverwrite,
  APIRole,
  APIThreadChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  RoleFlags,
  ThreadMemberFlags,
  UserFlags,
} from 'discord.js';
import { nextSnowflake } from './snowflake.js';

/** Fixed ids of the default world, so tests can name them without looking them up. */
export const DEFAULT_IDS = {
  bot: '1100000000000000001',
  guild: '1100000000000000100',
  general: '1100000000000000200',
  ask: '1100000000000000201',
  moderatorRole: '1100000000000000300',
  botRole: '1100000000000000301',
  owner: '1100000000000000400',
  member: '1100000000000000401',
  moderator: '1100000000000000402',
} as const;

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

const P = PermissionFlagsBits;
/** What @everyone may do in the default guild: read and talk, use commands, but nothing moderative. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.ReadMessageHistory |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.UseExternalEmojis |
  P.UseApplicationCommands;
export const DEFAULT_MODERATOR_PERMISSIONS = P.ManageGuild | P.ManageMessages | P.ManageThreads | P.ModerateMembers;
/** The bot's managed role: what an invite link asking for the bot's needs would grant. */
export const DEFAULT_BOT_PERMISSIONS =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.CreatePublicThreads |
  P.ReadMessageHistory |
  P.EmbedLinks |
  P.AttachFiles |
  P.AddReactions |
  P.UseApplicationCommands;

export interface FakeUserSpec {
  id?: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

export interface FakeRoleSpec {
  id?: string;
  name: string;
  permissions?: bigint | string;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export type FakeChannelKind =
  | ChannelType.GuildText
  | ChannelType.GuildAnnouncement
  | ChannelType.GuildCategory
  | ChannelType.GuildVoice;

export interface FakeChannelSpec {
  id?: string;
  name: string;
  type?: FakeChannelKind;
  /** Id or name of a category channel declared earlier in the same guild. */
  parent?: string;
  topic?: string;
  nsfw?: boolean;
  permissionOverwrites?: APIOverwrite[];
}

export interface FakeMemberSpec {
  user: FakeUserSpec;
  /** Role ids or names from the same guild. */
  roles?: string[];
  nick?: string;
}

export interface FakeGuildSpec {
  id?: string;
  name?: string;
  /** Defaults to the first member. */
  ownerId?: string;
  everyonePermissions?: bigint | string;
  roles?: FakeRoleSpec[];
  channels?: FakeChannelSpec[];
  members?: FakeMemberSpec[];
  /** Permissions of the bot's managed role in this guild. */
  botPermissions?: bigint | string;
  /** Extra (non-managed) roles the bot holds, by id or name. */
  botRoles?: string[];
  preferredLocale?: Locale;
}

export interface MemberState {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface ThreadState {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  createdAt: string;
  messageCount: number;
  memberIds: Set<string>;
}

export interface ChannelState {
  id: string;
  guildId: string;
  type: FakeChannelKind | ChannelType.PublicThread | ChannelType.PrivateThread;
  name: string;
  parentId: string | null;
  topic: string | null;
  nsfw: boolean;
  position: number;
  overwrites: APIOverwrite[];
  lastMessageId: string | null;
  thread: ThreadState | null;
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: Locale;
  joinedAt: string;
  roles: Map<string, APIRole>;
  members: Map<string, MemberState>;
  channelIds: string[];
}

export interface World {
  bot: APIUser;
  applicationId: string;
  users: Map<string, APIUser>;
  guilds: Map<string, GuildState>;
  channels: Map<string, ChannelState>;
}

export interface WorldOptions {
  bot?: Partial<FakeUserSpec>;
  applicationId?: string;
  guilds?: FakeGuildSpec[];
}

function defaultGuild(): FakeGuildSpec {
  return {
    id: DEFAULT_IDS.guild,
    name: 'Coverage Test Guild',
    ownerId: DEFAULT_IDS.owner,
    roles: [{ id: DEFAULT_IDS.moderatorRole, name: 'Moderator', permissions: DEFAULT_MODERATOR_PERMISSIONS, hoist: true }],
    channels: [
      { id: DEFAULT_IDS.general, name: 'general', topic: 'General chat' },
      { id: DEFAULT_IDS.ask, name: 'ask', topic: 'Ask the coverage bot' },
    ],
    members: [
      { user: { id: DEFAULT_IDS.owner, username: 'guild-owner' } },
      { user: { id: DEFAULT_IDS.member, username: 'plain-member', globalName: 'Plain Member' } },
      { user: { id: DEFAULT_IDS.moderator, username: 'news-moderator', globalName: 'News Moderator' }, roles: ['Moderator'] },
    ],
  };
}

function toBigInt(value: bigint | string | undefined, fallback: bigint): bigint {
  return value === undefined ? fallback : BigInt(value);
}

function makeUser(spec: FakeUserSpec): APIUser {
  return {
    id: spec.id ?? nextSnowflake(),
    username: spec.username,
    discriminator: '0',
    global_name: spec.globalName ?? null,
    avatar: null,
    bot: spec.bot ?? false,
    system: false,
    public_flags: 0 as UserFlags,
  };
}

function role(spec: FakeRoleSpec, position: number, extra: Partial<APIRole> = {}): APIRole {
  return {
    id: spec.id ?? nextSnowflake(),
    name: spec.name,
    color: spec.color ?? 0,
    colors: { primary_color: spec.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: spec.hoist ?? false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: toBigInt(spec.permissions, 0n).toString(),
    managed: false,
    mentionable: spec.mentionable ?? false,
    flags: 0 as RoleFlags,
    ...extra,
  };
}

function resolveRoleRef(guild: GuildState, ref: string, context: string): string {
  if (guild.roles.has(ref)) return ref;
  const found = [...guild.roles.values()].find((r) => r.name === ref);
  if (!found) {
    const known = [...guild.roles.values()].map((r) => `${r.name} (${r.id})`).join(', ');
    throw new Error(`FakeDiscord: ${context} refers to unknown role "${ref}" in guild ${guild.name}; roles: ${known}`);
  }
  return found.id;
}

/** Builds the world from options; anything not given falls back to the default guild's parts. */
export function buildWorld(options: WorldOptions = {}): World {
  const bot = makeUser({ id: DEFAULT_IDS.bot, username: 'coverage-bot', ...options.bot, bot: true });
  const world: World = {
    bot,
    applicationId: options.applicationId ?? bot.id,
    users: new Map([[bot.id, bot]]),
    guilds: new Map(),
    channels: new Map(),
  };
  const specs = options.guilds ?? [defaultGuild()];
  if (specs.length === 0) throw new Error('FakeDiscord: at least one guild is needed');
  const defaults = defaultGuild();
  specs.forEach((spec, index) => {
    // Only the first guild may reuse the default fixed ids; later guilds get fresh ones so nothing collides.
    const base = index === 0 ? defaults : stripIds(defaults);
    addGuild(world, {
      ...spec,
      id: spec.id ?? (index === 0 ? base.id : nextSnowflake()),
      roles: spec.roles ?? base.roles,
      channels: spec.channels ?? base.channels,
      members: spec.members ?? base.members,
      ownerId: spec.ownerId ?? (spec.members ? undefined : base.ownerId),
    });
  });
  return world;
}

function stripIds(spec: FakeGuildSpec): FakeGuildSpec {
  return {
    ...spec,
    id: undefined,
    ownerId: undefined,
    roles: spec.roles?.map((r) => ({ ...r, id: undefined })),
    channels: spec.channels?.map((c) => ({ ...c, id: undefined })),
    members: spec.members?.map((m) => ({ ...m, user: { ...m.user, id: undefined } })),
  };
}

function addGuild(world: World, spec: FakeGuildSpec): void {
  const id = spec.id ?? nextSnowflake();
  const joinedAt = new Date().toISOString();
  const guild: GuildState = {
    id,
    name: spec.name ?? 'Fake Guild',
    ownerId: '',
    preferredLocale: spec.preferredLocale ?? Locale.EnglishUS,
    joinedAt,
    roles: new Map(),
    members: new Map(),
    channelIds: [],
  };
  // @everyone shares the guild's id, as on Discord.
  guild.roles.set(id, role({ id, name: '@everyone', permissions: toBigInt(spec.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS) }, 0));
  (spec.roles ?? []).forEach((r, i) => {
    const built = role(r, i + 1);
    guild.roles.set(built.id, built);
  });
  const botRole = role(
    { id: id === DEFAULT_IDS.guild ? DEFAULT_IDS.botRole : undefined, name: world.bot.username, permissions: toBigInt(spec.botPermissions, DEFAULT_BOT_PERMISSIONS) },
    guild.roles.size,
    { managed: true, tags: { bot_id: world.bot.id } },
  );
  guild.roles.set(botRole.id, botRole);

  for (const memberSpec of spec.members ?? []) {
    const user = ensureUser(world, memberSpec.user);
    guild.members.set(user.id, {
      userId: user.id,
      roles: (memberSpec.roles ?? []).map((r) => resolveRoleRef(guild, r, `member ${user.username}`)),
      nick: memberSpec.nick ?? null,
      joinedAt,
    });
  }
  guild.members.set(world.bot.id, {
    userId: world.bot.id,
    roles: [botRole.id, ...(spec.botRoles ?? []).map((r) => resolveRoleRef(guild, r, 'botRoles'))],
    nick: null,
    joinedAt,
  });
  guild.ownerId = spec.ownerId ?? [...guild.members.keys()][0] ?? world.bot.id;
  if (!guild.members.has(guild.ownerId)) {
    throw new Error(`FakeDiscord: owner ${guild.ownerId} of guild ${guild.name} is not one of its members`);
  }

  world.guilds.set(id, guild);
  (spec.channels ?? []).forEach((c, position) => {
    const parentId = c.parent ? resolveChannelRef(world, guild, c.parent) : null;
    const channel: ChannelState = {
      id: c.id ?? nextSnowflake(),
      guildId: id,
      type: c.type ?? ChannelType.GuildText,
      name: c.name,
      parentId,
      topic: c.topic ?? null,
      nsfw: c.nsfw ?? false,
      position,
      overwrites: c.permissionOverwrites ?? [],
      lastMessageId: null,
      thread: null,
    };
    world.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
  });
}

function ensureUser(world: World, spec: FakeUserSpec): APIUser {
  const existing = spec.id ? world.users.get(spec.id) : undefined;
  if (existing) return existing;
  const user = makeUser(spec);
  world.users.set(user.id, user);
  return user;
}

function resolveChannelRef(world: World, guild: GuildState, ref: string): string {
  for (const id of guild.channelIds) {
    const channel = world.channels.get(id);
    if (channel && (channel.id === ref || channel.name === ref)) return channel.id;
  }
  throw new Error(`FakeDiscord: unknown parent channel "${ref}" in guild ${guild.name}`);
}

/** Adds a thread channel under `parentId`; `id` is the starting message's id when started from a message, as on Discord. */
export function addThread(
  world: World,
  parent: ChannelState,
  opts: { id: string; name: string; ownerId: string; type: ChannelType.PublicThread | ChannelType.PrivateThread; autoArchiveDuration: ThreadAutoArchiveDuration },
): ChannelState {
  const thread: ChannelState = {
    id: opts.id,
    guildId: parent.guildId,
    type: opts.type,
    name: opts.name,
    parentId: parent.id,
    topic: null,
    nsfw: parent.nsfw,
    position: 0,
    overwrites: [],
    lastMessageId: null,
    thread: {
      ownerId: opts.ownerId,
      archived: false,
      locked: false,
      autoArchiveDuration: opts.autoArchiveDuration,
      createdAt: new Date().toISOString(),
      messageCount: 0,
      memberIds: new Set([opts.ownerId]),
    },
  };
  world.channels.set(thread.id, thread);
  return thread;
}

// ---------- Permissions ----------

/** Guild-level permissions: owner and Administrator get everything; otherwise @everyone plus every role held. */
export function guildPermissions(guild: GuildState, userId: string): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  if (!member) return 0n;
  let perms = BigInt(guild.roles.get(guild.id)?.permissions ?? '0');
  for (const roleId of member.roles) perms |= BigInt(guild.roles.get(roleId)?.permissions ?? '0');
  return perms & P.Administrator ? ALL_PERMISSIONS : perms;
}

/** Channel permissions by Discord's overwrite order: @everyone, then all roles together, then the member. Threads use their parent's. */
export function channelPermissions(world: World, channelId: string, userId: string): bigint {
  const channel = world.channels.get(channelId);
  if (!channel) return 0n;
  const guild = world.guilds.get(channel.guildId);
  if (!guild) return 0n;
  const base = guildPermissions(guild, userId);
  if (base === ALL_PERMISSIONS && (guild.ownerId === userId || base & P.Administrator)) return ALL_PERMISSIONS;
  const source = channel.thread && channel.parentId ? world.channels.get(channel.parentId) ?? channel : channel;
  const member = guild.members.get(userId);
  const overwrites = source.overwrites;
  let perms = base;
  const apply = (o: APIOverwrite | undefined): void => {
    if (!o) return;
    perms = (perms & ~BigInt(o.deny)) | BigInt(o.allow);
  };
  apply(overwrites.find((o) => o.id === guild.id));
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guild.id && member?.roles.includes(o.id)) {
      roleAllow |= BigInt(o.allow);
      roleDeny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~roleDeny) | roleAllow;
  apply(overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId));
  // Without View Channel nothing else in the channel is usable.
  return perms & P.ViewChannel ? perms : 0n;
}

// ---------- Payloads ----------

export function memberPayload(world: World, guild: GuildState, userId: string): APIGuildMember {
  const member = guild.members.get(userId);
  const user = world.users.get(userId);
  if (!member || !user) throw new Error(`FakeDiscord: ${userId} is not a member of guild ${guild.id}`);
  return {
    user,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function channelPayload(world: World, channel: ChannelState): APIChannel {
  const common = {
    id: channel.id,
    guild_id: channel.guildId,
    name: channel.name,
    nsfw: channel.nsfw,
    flags: 0,
    permission_overwrites: channel.overwrites,
  };
  if (channel.thread) {
    const t = channel.thread;
    const thread: APIThreadChannel = {
      ...common,
      type: channel.type as ChannelType.PublicThread | ChannelType.PrivateThread,
      parent_id: channel.parentId ?? undefined,
      owner_id: t.ownerId,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: 0,
      message_count: t.messageCount,
      total_message_sent: t.messageCount,
      member_count: Math.min(t.memberIds.size, 50),
      thread_metadata: {
        archived: t.archived,
        locked: t.locked,
        auto_archive_duration: t.autoArchiveDuration,
        archive_timestamp: t.createdAt,
        create_timestamp: t.createdAt,
      },
      applied_tags: [],
    };
    if (t.memberIds.has(world.bot.id)) {
      thread.member = { id: channel.id, user_id: world.bot.id, join_timestamp: t.createdAt, flags: 0 as ThreadMemberFlags };
    }
    return thread;
  }
  switch (channel.type) {
    case ChannelType.GuildCategory:
      return { ...common, type: channel.type, position: channel.position, parent_id: null };
    case ChannelType.GuildVoice:
      return {
        ...common,
        type: channel.type,
        position: channel.position,
        parent_id: channel.parentId,
        bitrate: 64000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: 0,
      };
    default:
      return {
        ...common,
        type: channel.type as ChannelType.GuildText | ChannelType.GuildAnnouncement,
        position: channel.position,
        parent_id: channel.parentId,
        topic: channel.topic,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: 0,
        default_auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
      } as APIChannel;
  }
}

export function guildPayload(guild: GuildState): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...guild.roles.values()],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channelIds[0] ?? null,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/** GUILD_CREATE as the gateway sends it to a bot: the guild plus its channels, active threads and members (the bot included). */
export function guildCreatePayload(world: World, guild: GuildState): GatewayGuildCreateDispatchData {
  const channels = [...world.channels.values()].filter((c) => c.guildId === guild.id);
  return {
    ...guildPayload(guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.keys()].map((id) => memberPayload(world, guild, id)),
    channels: channels.filter((c) => !c.thread).map((c) => channelPayload(world, c)) as GatewayGuildCreateDispatchData['channels'],
    threads: channels
      .filter((c) => c.thread && !c.thread.archived)
      .map((c) => channelPayload(world, c)) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function requireChannel(world: World, channelId: string): ChannelState {
  const channel = world.channels.get(channelId);
  if (!channel) {
    const known = [...world.channels.values()].map((c) => `#${c.name} (${c.id})`).join(', ');
    throw new Error(`FakeDiscord: unknown channel ${channelId}; channels: ${known}`);
  }
  return channel;
}

export function guildOf(world: World, channel: ChannelState): GuildState {
  const guild = world.guilds.get(channel.guildId);
  if (!guild) throw new Error(`FakeDiscord: channel ${channel.id} belongs to unknown guild ${channel.guildId}`);
  return guild;
}
