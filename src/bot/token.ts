// A bot token Discord refuses (at login, or a REST 401) is a setting to fix, not a bug: one line saying what to do.
import { UserError } from '../errors.js';

/** Discord refused the bot's token: the user's to fix, and said in one line. */
export class TokenRejectedError extends UserError {}

/** A TokenRejectedError when `error` is Discord refusing the token (at login, or a REST 401), else null. */
export function tokenRejection(error: unknown): TokenRejectedError | null {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  if (code !== 'TokenInvalid' && status !== 401) return null;
  return new TokenRejectedError(
    'Discord rejected DISCORD_TOKEN: it is not the token of a bot, or it was reset. Copy the current token from ' +
      'https://discord.com/developers/applications (your application → Bot → Reset Token) into .env as DISCORD_TOKEN=..., then start again.',
    { cause: error },
  );
}
