// The bot module's public surface, for the command line: the Discord client on a Coverage, its log, sharding, slash
// command registration payloads and the explanation of Discord's errors. Importing it loads discord.js (~0.3 s), so
// the CLI imports it only when a command talks to Discord.
export { CoverageBot, type CoverageBotOptions } from './client.js';
export { commandPayloads } from './commands/index.js';
export { explainDiscordError } from './discord-errors.js';
export { createLogger, drainLogs, type Logger } from './log.js';
export { recommendedShards, startShards, stopShards } from './shards.js';
export { tokenRejection } from './token.js';
