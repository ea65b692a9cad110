// The bot: a discord.js Client and the Coverage it answers from, swapped in whole when a refresh finishes. Routes
// interactions to the command registry and messages to the channel-question handler, logs one line per interaction,
// owns /refresh (or hands it to shard 0), and shuts down gracefully.
import { once } from 'node:events';
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Options,
  Routes,
  type APIEmbed,
  type Interaction,
  type Message,
} from 'discord.js';
import type { Coverage } from '../answer/index.js';
import type { Config } from '../config.js';
import { lruMemory, quoteRefKey, type AnswerMemory, type Memory, type QuoteRefKey } from './answers.js';
import { commandNamed } from './commands/index.js';
import { sourceChoices } from './commands/source.js';
import { NO_PINGS, type BotContext, type RefreshJob, type SourceChoice } from './context.js';
import { isUserError } from '../errors.js';
import { COLOURS } from './format.js';
import { concurrencyLimit, questionAllowance, type ConcurrencyLimit, type QuestionAllowance } from './guards.js';
import { fitContent, fitEmbeds } from './limits.js';
import { newErrorId, userHash, type Logger, type Outcome } from './log.js';
import { handleMessage } from './messages.js';
import { runRefresh } from './refresh.js';
import { tokenRejection } from './token.js';
import { isShardMessage, type ShardMessage } from './shards.js';

export interface CoverageBotOptions {
  config: Config;
  coverage: Coverage;
  log: Logger;
  /** How long stop() waits for replies in flight (ms). */
  graceMs?: number;
}

const BASE_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
/** How often a bot on a shared database checks for a generation another process made live. */
const GENERATION_CHECK_MS = 1000;
/** How long a replaced coverage stays open for the requests that started on it. */
const CLOSE_AFTER_SWAP_MS = 60_000;

export class CoverageBot implements BotContext {
  readonly config: Config;
  log: Logger;
  readonly answers: AnswerMemory = lruMemory(1000);
  readonly quoteRefKey: QuoteRefKey;
  readonly threads: Memory<string> = lruMemory(5000);
  readonly allowance: QuestionAllowance;
  readonly answering: ConcurrencyLimit;
  readonly startedAt = Date.now();
  #coverage: Coverage;
  #choices: Promise<SourceChoice[]>;
  #client: Client | null = null;
  #messageContent = false;
  #accepting = true;
  readonly #inFlight = new Set<Promise<unknown>>();
  #refresh: Promise<unknown> | null = null;
  #refreshJob: RefreshJob | null = null;
  /** Set when shutdown cut a refresh short: its reply then says so, and nothing the refresh still does edits it. */
  #refreshInterrupted = false;
  #reload: Promise<void> | null = null;
  readonly #graceMs: number;
  #onShardMessage: ((message: unknown) => void) | null = null;
  #generationWatch: NodeJS.Timeout | null = null;

  constructor(opts: CoverageBotOptions) {
    this.config = opts.config;
    this.log = opts.log;
    this.quoteRefKey = quoteRefKey(opts.config.DISCORD_TOKEN);
    this.#coverage = opts.coverage;
    this.#choices = this.#choicesOf(opts.coverage);
    this.allowance = questionAllowance(opts.config.QUESTIONS_PER_MINUTE);
    this.answering = concurrencyLimit(opts.config.MAX_CONCURRENT_ANSWERS);
    this.#graceMs = opts.graceMs ?? 15_000;
  }

  get client(): Client {
    if (!this.#client) throw new Error('The bot is not connected; call start() first.');
    return this.#client;
  }

  coverage(): Coverage {
    return this.#coverage;
  }

  sourceChoices(): Promise<readonly SourceChoice[]> {
    return this.#choices;
  }

  /** /source's choices for a coverage, read once; a store that fails to list them leaves autocomplete empty, not broken. */
  #choicesOf(coverage: Coverage): Promise<SourceChoice[]> {
    return coverage
      .sources()
      .then(sourceChoices)
      .catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not list the sources for autocomplete');
        return [];
      });
  }

  /** Replaces the coverage answering questions; requests already running finish on the one they started with. */
  swap(next: Coverage): void {
    const previous = this.#coverage;
    this.#coverage = next;
    // Requests read the coverage once and may still be using the old one: it is closed after they are surely done.
    if (previous !== next) {
      setTimeout(() => void previous.close().catch((error: unknown) => this.log.warn({ err: error }, 'could not close the previous index')), CLOSE_AFTER_SWAP_MS).unref();
    }
    this.#choices = this.#choicesOf(next);
    const status = next.status();
    this.log.info({ event: 'swap', articles: status.articles, passages: status.passages, builtAt: status.builtAt }, 'now answering from the new index');
  }

  runtime(): ReturnType<BotContext['runtime']> {
    const shard = this.#client?.shard;
    return { refreshing: this.#refresh !== null, messageContent: this.#messageContent, shards: shard?.ids ?? null, shardCount: shard?.count ?? null };
  }

  /** This process runs refreshes itself unless it is a shard other than shard 0. */
  get ownsRefresh(): boolean {
    const shard = this.#client?.shard;
    return !shard || shard.ids.includes(0);
  }

  // ---------- connecting ----------

  /** Logs in, with the Message Content intent if the application may use it, else without (slash commands and mentions only). */
  async start(): Promise<void> {
    try {
      await this.#connect(true);
    } catch (error) {
      if (!/disallowed intents/i.test((error as Error).message ?? '')) throw error;
      this.log.warn(
        'The Message Content intent is not enabled for this application, so only mentions of the bot are read as channel ' +
          'questions. Enable it under Bot → Privileged Gateway Intents in the Discord Developer Portal. Continuing with slash commands.',
      );
      await this.#connect(false);
    }
    const shard = this.#client?.shard;
    if (shard) this.log = this.log.child({ shard: shard.ids });
    this.#listenToShardManager();
    this.#watchGeneration();
    this.log.info({ event: 'ready', user: this.client.user?.tag, messageContent: this.#messageContent, guilds: this.client.guilds.cache.size }, 'bot ready');
    void this.#warnIfUnregistered();
  }

  async #connect(messageContent: boolean): Promise<void> {
    const client = new Client({
      intents: messageContent ? [...BASE_INTENTS, GatewayIntentBits.MessageContent] : BASE_INTENTS,
      allowedMentions: NO_PINGS,
      rest: this.config.DISCORD_API_URL ? { api: this.config.DISCORD_API_URL } : {},
      // Answers are looked up by id in the answer memory, so few messages need caching.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 50 }),
    });
    client.on(Events.InteractionCreate, (interaction) => this.#track(this.#handleInteraction(interaction)));
    client.on(Events.MessageCreate, (message) => this.#track(this.#handleMessage(message)));
    client.on(Events.Error, (error) => this.log.error({ err: error }, 'discord client error'));
    client.on(Events.ShardError, (error, shardId) => this.log.warn({ err: error, shardId }, 'gateway connection error'));
    client.rest.on('rateLimited', (info) => this.log.warn({ event: 'rate-limited', route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'));
    const ready = once(client, Events.ClientReady);
    // A refused login also fails `ready` (with the gateway's error); the login's rejection is the one reported.
    ready.catch(() => {});
    try {
      await client.login(this.config.DISCORD_TOKEN);
      await ready;
    } catch (error) {
      await client.destroy();
      throw tokenRejection(error) ?? error;
    }
    this.#client = client;
    this.#messageContent = messageContent;
  }

  /** A hint in the log when the application has no commands registered yet. */
  async #warnIfUnregistered(): Promise<void> {
    if (!this.ownsRefresh) return;
    try {
      const application = this.client.application;
      if (!application) return;
      const global = await application.commands.fetch();
      const guildId = this.config.DISCORD_GUILD_ID;
      const guild = guildId ? await application.commands.fetch({ guildId }).catch(() => null) : null;
      if (global.size === 0 && (!guild || guild.size === 0)) {
        this.log.warn('No slash commands are registered for this application: run `npx coverage-bot register` once.');
      }
    } catch (error) {
      this.log.debug({ err: error }, 'could not check registered commands');
    }
  }

  #track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  // ---------- interactions ----------

  async #handleInteraction(interaction: Interaction): Promise<void> {
    const started = performance.now();
    let command = 'unknown';
    let outcome: Outcome = 'ok';
    let errorId: string | undefined;
    const kind = interaction.isChatInputCommand() ? 'command' : interaction.isAutocomplete() ? 'autocomplete' : interaction.isButton() ? 'button' : 'other';
    try {
      if (interaction.isChatInputCommand() || interaction.isAutocomplete()) command = interaction.commandName;
      else if (interaction.isButton()) command = interaction.customId.split(':')[0] ?? 'unknown';
      if (!this.#accepting) {
        if (interaction.isAutocomplete()) await interaction.respond([]);
        else if (interaction.isRepliable()) {
          await interaction.reply({ content: 'The bot is restarting: try again in a moment.', flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
        }
        outcome = 'shutting-down';
        return;
      }
      const handler = commandNamed(command);
      if (interaction.isChatInputCommand()) {
        outcome = handler ? await handler.execute(interaction, this) : await this.#unknown(interaction);
      } else if (interaction.isAutocomplete()) {
        if (handler?.autocomplete) outcome = await handler.autocomplete(interaction, this);
        else await interaction.respond([]);
      } else if (interaction.isButton()) {
        const args = interaction.customId.split(':').slice(1);
        outcome = handler?.button ? await handler.button(interaction, this, args) : await this.#unknown(interaction);
      } else outcome = 'ignored';
    } catch (error) {
      if (isUserError(error)) {
        // The user's to fix (an outlet no article comes from, an empty question): say what, not "something went wrong".
        outcome = 'invalid';
        await this.#answerPrivately(interaction, error.message).catch((e: unknown) => this.log.warn({ err: e }, 'could not send the explanation'));
      } else {
        outcome = 'error';
        errorId = newErrorId();
        this.log.error({ err: error, errorId, command, kind }, 'interaction failed');
        const apology = `Sorry, something went wrong (error id ${errorId}). Please try again; if it keeps happening, tell a moderator the error id.`;
        await this.#answerPrivately(interaction, apology).catch((e: unknown) => this.log.warn({ err: e, errorId }, 'could not send the apology'));
      }
    } finally {
      this.log.info(
        { event: 'interaction', kind, command, user: userHash(interaction.user.id), latencyMs: Math.round(performance.now() - started), outcome, errorId },
        'interaction',
      );
    }
  }

  async #unknown(interaction: Interaction): Promise<Outcome> {
    if (interaction.isRepliable()) {
      await interaction.reply({ content: 'This command is not known to this version of the bot.', flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
    }
    return 'invalid';
  }

  /** Replaces the reply (deferred or not) with `content`, shown to this user only when there is no reply yet. */
  async #answerPrivately(interaction: Interaction, content: string): Promise<void> {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable()) return;
    if (interaction.deferred || interaction.replied) await interaction.editReply({ content, embeds: [], components: [], allowedMentions: NO_PINGS });
    else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  }

  async #handleMessage(message: Message): Promise<void> {
    if (!this.#accepting) return;
    await handleMessage(message, this);
  }

  // ---------- refresh ----------

  async requestRefresh(job: RefreshJob): Promise<void> {
    if (this.ownsRefresh) {
      this.#startRefresh(job);
      return;
    }
    const message: ShardMessage = { coverageBot: 'refresh', job };
    await this.client.shard!.send(message);
  }

  /** Edits the reply of a /refresh interaction (from any process: the interaction token is all it takes). */
  async #editRefreshReply(job: RefreshJob, body: { content?: string; embeds?: APIEmbed[] }): Promise<void> {
    await this.client.rest.patch(Routes.webhookMessage(job.applicationId, job.token), {
      auth: false,
      body: {
        ...(body.content !== undefined ? { content: fitContent(body.content) } : {}),
        ...(body.embeds ? { embeds: fitEmbeds(body.embeds) } : {}),
        allowed_mentions: { parse: [] },
      },
    });
  }

  #startRefresh(job: RefreshJob): void {
    if (this.#refresh) {
      void this.#editRefreshReply(job, { content: 'A refresh is already running. Its reply will show the result; try again after it finishes.' }).catch(
        (error: unknown) => this.log.warn({ err: error }, 'could not answer a second /refresh'),
      );
      this.log.info({ event: 'refresh', outcome: 'already-running', user: job.userHash }, 'refresh refused: one is running');
      return;
    }
    const run = runRefresh(job, {
      config: this.config,
      log: this.log,
      current: () => this.#coverage,
      swap: (next) => {
        this.swap(next);
        const message: ShardMessage = { coverageBot: 'refreshed' };
        this.#client?.shard?.send(message).catch((error: unknown) => this.log.warn({ err: error }, 'could not tell the other shards about the refresh'));
      },
      edit: (body) => (this.#refreshInterrupted ? Promise.resolve() : this.#editRefreshReply(job, body)),
    });
    this.#refresh = run;
    this.#refreshJob = job;
    void run.finally(() => {
      this.#refresh = null;
      this.#refreshJob = null;
    });
  }

  /** Reopens the index from disk (another process refreshed it); the old coverage keeps answering if that fails. */
  reload(): Promise<void> {
    const previous = this.#reload ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        this.swap(await this.#coverage.reopen());
      } catch (error) {
        this.log.error({ err: error }, 'could not load the refreshed index; still answering from the previous one');
      }
    });
    this.#reload = next;
    void next.finally(() => {
      if (this.#reload === next) this.#reload = null;
    });
    return next;
  }

  /**
   * With a shared database, any process may refresh the index: every bot checks each second whether another
   * generation went live and reloads it (the shards of one process are also told by message).
   */
  #watchGeneration(): void {
    if (this.config.STORE !== 'postgres') return;
    let checking = false;
    this.#generationWatch = setInterval(() => {
      if (checking || this.#refresh || this.#reload || !this.#accepting) return;
      checking = true;
      this.#coverage
        .isLive()
        .then((live) => (live ? undefined : this.reload()))
        .catch((error: unknown) => this.log.warn({ err: error }, 'could not check whether the index was refreshed elsewhere'))
        .finally(() => (checking = false));
    }, GENERATION_CHECK_MS);
    this.#generationWatch.unref();
  }

  #listenToShardManager(): void {
    if (!this.#client?.shard) return;
    this.#onShardMessage = (message: unknown) => {
      if (!isShardMessage(message)) return;
      if (message.coverageBot === 'refresh' && this.ownsRefresh) this.#startRefresh(message.job);
      else if (message.coverageBot === 'reload' && !this.ownsRefresh) void this.reload();
    };
    process.on('message', this.#onShardMessage);
  }

  // ---------- shutting down ----------

  /** Stops taking new work, lets replies in flight finish (up to the grace period), releases the index lock, disconnects. */
  async stop(): Promise<void> {
    if (!this.#accepting) return;
    this.#accepting = false;
    this.log.info({ event: 'shutdown', inFlight: this.#inFlight.size, refreshing: this.#refresh !== null }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.#graceMs)));
    const settled = Promise.allSettled([...this.#inFlight, ...(this.#refresh ? [this.#refresh] : []), ...(this.#reload ? [this.#reload] : [])]);
    const result = await Promise.race([settled, grace]);
    clearTimeout(timer);
    if (result === 'timeout') this.log.warn({ inFlight: this.#inFlight.size }, 'shutdown grace period over; disconnecting with work unfinished');
    const cutShort = this.#refreshJob;
    if (cutShort) {
      // Left alone, the moderator's reply would stay at its last progress line ("embedding… (3840/6873)") for good.
      this.#refreshInterrupted = true;
      await this.#editRefreshReply(cutShort, {
        content: '',
        embeds: [
          {
            title: 'Refresh interrupted',
            description: 'The bot was shut down before the refresh finished. The previous index is still answering questions; run /refresh again once the bot is back.',
            color: COLOURS.warning,
          },
        ],
      }).catch((error: unknown) => this.log.warn({ err: error }, 'could not say the refresh was interrupted'));
    }
    if (this.#refresh && (await this.#coverage.releaseIndexLock().catch(() => false))) {
      this.log.warn('released the index lock held by the unfinished refresh; the previous index stays live');
    }
    if (this.#onShardMessage) process.off('message', this.#onShardMessage);
    if (this.#generationWatch) clearInterval(this.#generationWatch);
    await this.#client?.destroy();
    await this.#coverage.close().catch((error: unknown) => this.log.warn({ err: error }, 'could not close the index'));
    this.log.info({ event: 'stopped' }, 'bot stopped');
  }
}
