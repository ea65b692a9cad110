// The public face of the fake Discord used by bot tests: the server class, its option and record types, and default ids.
export { FakeDiscord, type FailureOptions, type RateLimitOptions, type UserMessageSpec } from './fake-discord.js';
export type { GatewaySessionInfo } from './gateway.js';
export type {
  AutocompleteSpec,
  ButtonSpec,
  CommandSpec,
  DispatchedInteraction,
  FakeUpload,
  InteractionContext,
  InteractionSpec,
  ModalSubmitSpec,
  OptionValue,
  SelectSpec,
} from './interactions.js';
export type {
  FakeMessage,
  GatewayLogEntry,
  IdentifyRecord,
  InteractionResponseKind,
  InteractionResponseRecord,
  MessageOrigin,
  Pings,
  RecordedFile,
  RecordedRequest,
} from './records.js';
export type { FakeDiscordOptions } from './state.js';
export { LIMITS } from './validation.js';
export {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  DEFAULT_IDS,
  DEFAULT_MODERATOR_PERMISSIONS,
  type FakeChannelSpec,
  type FakeGuildSpec,
  type FakeMemberSpec,
  type FakeRoleSpec,
  type FakeUserSpec,
} from './world.js';
