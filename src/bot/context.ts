// What every command and message handler is handed: the coverage answering now, the configuration, the log, the
// guards and the answer memory; plus the no-pings rule every message the bot sends carries.
import type { MessageMentionOptions } from 'discord.js';
import type { Coverage } from '../answer/index.js';
import type { Config } from '../config.js';
import type { AnswerMemory, Memory, QuoteRefKey } from './answers.js';
import type { ConcurrencyLimit, QuestionAllowance } from './guards.js';
import type { Logger } from './log.js';

/** Nobody is ever pinged: not @everyone, not a role, not a user, not the author of the message replied to. */
export const NO_PINGS: MessageMentionOptions = { parse: [], repliedUser: false };

/** One /refresh, as handed to the process that owns refreshes (this one, or shard 0 through the sharding manager). */
export interface RefreshJob {
  applicationId: string;
  /** The interaction token: its deferred reply is edited with progress and the result, from whichever process runs the job. */
  token: string;
  userHash: string;
  upload?: { name: string; url: string; size: number };
}

/** An article a user can pick in /source's autocomplete. */
export interface SourceChoice {
  id: string;
  /** Lowercased id, outlet and title, matched against what the user types. */
  haystack: string;
  label: string;
}

export interface BotContext {
  readonly config: Config;
  readonly log: Logger;
  /** The coverage answering now; read it once per request, a refresh may swap it meanwhile. */
  coverage(): Coverage;
  /** /source's autocomplete choices for the current coverage. */
  sourceChoices(): Promise<readonly SourceChoice[]>;
  readonly answers: AnswerMemory;
  /** Signs the quote references in answer buttons' custom ids (see quoteRefKey). */
  readonly quoteRefKey: QuoteRefKey;
  /** First question of each thread the bot answered in, by thread id. */
  readonly threads: Memory<string>;
  readonly allowance: QuestionAllowance;
  readonly answering: ConcurrencyLimit;
  /** Runs the refresh here, or hands it to the process that owns refreshes. */
  requestRefresh(job: RefreshJob): Promise<void>;
  /** When this process started answering (ms since the epoch). */
  readonly startedAt: number;
  /** What /status reports about this process beyond the index. */
  runtime(): { refreshing: boolean; messageContent: boolean; shards: readonly number[] | null; shardCount: number | null };
}
