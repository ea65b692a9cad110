// The fake's shared mutable state, handed to the REST routes, the gateway and the test-facing helpers.
import type { APIApplicationCommand, APIInteraction } from 'discord.js';
import type { FakeGateway } from './gateway.js';
import type { RoutePattern } from './http.js';
import type { InteractionResponseRecord, Records } from './records.js';
import type { World, WorldOptions } from './world.js';

export interface FakeDiscordOptions extends WorldOptions {
  /** The bot token the fake accepts over REST (`Authorization: Bot …`) and in IDENTIFY. */
  token?: string;
  /** Whether the application may use privileged intents (MessageContent, GuildMembers, GuildPresences); false answers IDENTIFY asking for one with close code 4014. */
  privilegedIntents?: boolean;
  heartbeatIntervalMs?: number;
  /** Shard count recommended by GET /gateway/bot. */
  shards?: number;
  /** Discord refuses an interaction callback later than 3 s after the interaction (10062 Unknown interaction). */
  interactionDeadlineMs?: number;
  applicationName?: string;
}

export type ResolvedOptions = Required<Omit<FakeDiscordOptions, keyof WorldOptions>>;

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string;
  userId: string;
  payload: APIInteraction;
  dispatchedAt: number;
  callbackType: number | null;
  /** The message @original refers to once acknowledged: the reply for commands, the clicked message for components. */
  originalMessageId: string | null;
  /** For component interactions: the message carrying the component. */
  componentMessageId: string | null;
  followupIds: string[];
  responses: InteractionResponseRecord[];
  /** The modal a type-9 callback showed, so a later modal submit can be checked against it. */
  modal: Record<string, unknown> | null;
}

export interface FaultRule {
  pattern: RoutePattern;
  remaining: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface Upload {
  id: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface FakeState {
  world: World;
  records: Records;
  gateway: FakeGateway;
  options: ResolvedOptions;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  interactions: Map<string, InteractionState>;
  interactionsByToken: Map<string, InteractionState>;
  /** Registered commands: key `global` or a guild id. */
  commands: Map<string, APIApplicationCommand[]>;
  /** Files served under /attachments/:id/:filename (uploaded by tests or by the bot). */
  uploads: Map<string, Upload>;
  faults: FaultRule[];
}
