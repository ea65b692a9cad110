// Failures talking to Discord that are the user's to fix (a wrong token, no route to the API), turned into one line
// saying what to do; anything else stays as it is, a bug to report with its stack.
import { UserError } from '../errors.js';
import { tokenRejection } from './token.js';

/** Discord could not be reached at all (a refused token is a TokenRejectedError). */
export class DiscordConnectionError extends UserError {}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A TokenRejectedError for a rejected token (discord.js's TokenInvalid, or HTTP 401), a DiscordConnectionError for an
 * unreachable API (connection refused, DNS failure, timeout); `error` itself otherwise.
 */
export function explainDiscordError(error: unknown, apiUrl: string | undefined): unknown {
  const where = apiUrl ? `the Discord API at ${apiUrl} (DISCORD_API_URL)` : 'the Discord API (discord.com)';
  const rejected = tokenRejection(error);
  if (rejected) return rejected;
  const code = codeOf(error);
  if (code && NETWORK_CODES.has(code)) {
    return new DiscordConnectionError(
      `Cannot reach ${where} (${code}): check the network connection${apiUrl ? ' and DISCORD_API_URL' : ''}, then start again.`,
      { cause: error },
    );
  }
  return error;
}
