// FakeDiscord: a local stand-in for Discord's REST API and gateway on 127.0.0.1, good enough for the real discord.js
// Client to log in, so a bot can be tested end to end: tests dispatch users' messages and interactions, then read
// back what the bot sent, and can inject rate limits, failures and gateway drops.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIApplicationCommand, APIUser } from 'discord.js';
import { FakeGateway, type GatewaySessionInfo } from './gateway.js';
import { compileRoutePattern, flatHeaders, patternMatches, readBody, RestError, writeResponse, type ResponseSpec } from './http.js';
import { buildInteraction, type DispatchedInteraction, type FakeUpload, type InteractionSpec } from './interactions.js';
import { createMessage } from './messages.js';
import {
  Records,
  type FakeMessage,
  type GatewayLogEntry,
  type IdentifyRecord,
  type InteractionResponseRecord,
  type RecordedFile,
  type RecordedRequest,
} from './records.js';
import { buildRoutes, type Route } from './rest.js';
import type { FakeDiscordOptions, FakeState, ResolvedOptions } from './state.js';
import { buildWorld, DEFAULT_IDS, guildOf, requireChannel, type ChannelState } from './world.js';

const DEFAULT_TIMEOUT_MS = 5000;

export interface UserMessageSpec {
  /** Defaults to the #ask channel. */
  channelId?: string;
  content: string;
  /** Author's user id; defaults to the plain member. */
  author?: string;
  /** User ids to mention; each is written into the content as `<@id>` if not already there. */
  mentions?: string[];
  /** Prefixes the content with `<@botId>`, as Discord's client does when a user mentions the bot. */
  mentionBot?: boolean;
  attachments?: FakeUpload[];
  /** Id of a message this one replies to. */
  replyTo?: string;
}

export interface RateLimitOptions {
  /** Adds `x-ratelimit-global: true`; discord.js then pauses every request, not just this route. */
  global?: boolean;
  scope?: 'user' | 'shared' | 'global';
  /** How many consecutive matching requests are limited (default 1). */
  times?: number;
}

export interface FailureOptions {
  status?: number;
  body?: unknown;
  times?: number;
}

function describeRequests(requests: readonly RecordedRequest[]): string {
  const tail = requests.slice(-8).map((r) => `${r.method} ${r.path} → ${r.status}`);
  return tail.length > 0 ? ` Last requests: ${tail.join('; ')}.` : ' No requests were made.';
}

export class FakeDiscord {
  readonly #server: Server;
  readonly #state: FakeState;
  readonly #routes: Route[] = buildRoutes();
  /** `http://127.0.0.1:PORT/api`, for `new Client({ rest: { api } })`; discord.js appends `/v10`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT/gateway`, as GET /gateway/bot reports it. */
  readonly gatewayUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;

  private constructor(server: Server, state: FakeState) {
    this.#server = server;
    this.#state = state;
    this.origin = state.origin;
    this.apiUrl = `${state.origin}/api`;
    this.gatewayUrl = `${state.origin.replace(/^http/, 'ws')}/gateway`;
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const resolved: ResolvedOptions = {
      token: options.token ?? 'fake-bot-token',
      privilegedIntents: options.privilegedIntents ?? true,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      shards: options.shards ?? 1,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      applicationName: options.applicationName ?? 'coverage-bot',
    };
    const world = buildWorld(options);
    let fake: FakeDiscord | null = null;
    const server = createServer((req, res) => {
      if (fake) void fake.#handle(req, res);
      else res.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    const records = new Records();
    const gateway = new FakeGateway({ world, records, options: resolved, url: () => `ws://127.0.0.1:${port}/gateway` });
    server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
    const state: FakeState = {
      world,
      records,
      gateway,
      options: resolved,
      origin,
      interactions: new Map(),
      interactionsByToken: new Map(),
      commands: new Map(),
      uploads: new Map(),
      faults: [],
    };
    fake = new FakeDiscord(server, state);
    return fake;
  }

  // ---------- identity ----------

  get token(): string {
    return this.#state.options.token;
  }

  get applicationId(): string {
    return this.#state.world.applicationId;
  }

  get botUser(): APIUser {
    return this.#state.world.bot;
  }

  /** The id of a channel by name (`'ask'`), in `guildId` or the first guild. */
  channelId(name: string, guildId?: string): string {
    const channel = this.#findChannel(name, guildId);
    return channel.id;
  }

  #findChannel(nameOrId: string, guildId?: string): ChannelState {
    const channel = [...this.#state.world.channels.values()].find(
      (c) => (c.id === nameOrId || c.name === nameOrId.replace(/^#/, '')) && (!guildId || c.guildId === guildId),
    );
    if (!channel) throw new Error(`FakeDiscord: no channel "${nameOrId}"`);
    return channel;
  }

  // ---------- records ----------

  /** Every HTTP request, in arrival order (API calls and attachment downloads). */
  get requests(): readonly RecordedRequest[] {
    return this.#state.records.requests;
  }

  /** Requests no route handled (answered 404 `Unknown route`): what the bot tried that the fake does not know. */
  unhandledRequests(): RecordedRequest[] {
    return this.#state.records.requests.filter((r) => r.route === null && r.status === 404);
  }

  get identifies(): readonly IdentifyRecord[] {
    return this.#state.records.identifies;
  }

  get gatewayLog(): readonly GatewayLogEntry[] {
    return this.#state.records.gatewayLog;
  }

  gatewaySessions(): GatewaySessionInfo[] {
    return this.#state.gateway.sessions();
  }

  /** Messages in a channel or thread, oldest first, including deleted and ephemeral ones (see their flags). */
  messages(channelId: string): FakeMessage[] {
    return this.#state.records.messages(channelId);
  }

  message(messageId: string): FakeMessage | undefined {
    return this.#state.records.message(messageId);
  }

  /** The callback and every later webhook call (edits of @original, follow-ups, deletes) for an interaction, in order. */
  interactionResponses(interactionId: string): InteractionResponseRecord[] {
    return [...(this.#state.interactions.get(interactionId)?.responses ?? [])];
  }

  /** Registered commands: global ones, or a guild's. */
  commands(guildId?: string): APIApplicationCommand[] {
    return [...(this.#state.commands.get(guildId ?? 'global') ?? [])];
  }

  // ---------- events from "users" ----------

  /** Sends INTERACTION_CREATE to the bot; throws if no logged-in session would receive it. */
  dispatchInteraction(spec: InteractionSpec): DispatchedInteraction {
    const { interaction, payload } = buildInteraction(this.#state, spec);
    if (!this.#state.gateway.hasSession(interaction.guildId)) {
      throw new Error('FakeDiscord: no gateway session to deliver the interaction to; has the client logged in?');
    }
    this.#state.interactions.set(interaction.id, interaction);
    this.#state.interactionsByToken.set(interaction.token, interaction);
    interaction.dispatchedAt = Date.now();
    this.#state.gateway.dispatch('INTERACTION_CREATE', payload, { guildId: interaction.guildId });
    return { id: interaction.id, token: interaction.token, applicationId: this.applicationId, payload };
  }

  /** A user posts a message: stored (so the bot can reply to it or start a thread on it) and sent as MESSAGE_CREATE. */
  dispatchMessage(spec: UserMessageSpec): FakeMessage {
    const { world } = this.#state;
    const channel = spec.channelId
      ? requireChannel(world, spec.channelId)
      : world.channels.has(DEFAULT_IDS.ask)
        ? requireChannel(world, DEFAULT_IDS.ask)
        : this.#findChannel('ask');
    const guild = guildOf(world, channel);
    const authorId = spec.author ?? (guild.members.has(DEFAULT_IDS.member) ? DEFAULT_IDS.member : [...guild.members.keys()].find((id) => id !== world.bot.id));
    const author = authorId ? world.users.get(authorId) : undefined;
    if (!author || !guild.members.has(author.id)) throw new Error(`FakeDiscord: author ${authorId ?? '(none)'} is not a member of ${guild.name}`);
    let content = spec.content;
    for (const id of [...(spec.mentions ?? [])].reverse()) {
      if (!content.includes(`<@${id}>`) && !content.includes(`<@!${id}>`)) content = `<@${id}> ${content}`;
    }
    if (spec.mentionBot && !content.includes(`<@${world.bot.id}>`)) content = `<@${world.bot.id}> ${content}`;
    const referenced = spec.replyTo ? this.#state.records.message(spec.replyTo) ?? null : null;
    if (spec.replyTo && !referenced) throw new Error(`FakeDiscord: no message ${spec.replyTo} to reply to`);
    const files: RecordedFile[] = (spec.attachments ?? []).map((a, i) => ({
      field: `files[${i}]`,
      filename: a.filename,
      contentType: a.contentType ?? 'text/plain; charset=utf-8',
      data: Buffer.from(typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content),
    }));
    return createMessage(this.#state, {
      channel,
      author,
      origin: 'user',
      body: { content, attachments: files.map((_, i) => ({ id: i })) },
      files,
      referenced,
    });
  }

  // ---------- waiting ----------

  /** The first response record (callback, then webhook calls) matching `predicate` (default: any), now or later. */
  waitForResponse(
    interactionId: string,
    predicate: (response: InteractionResponseRecord) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<InteractionResponseRecord> {
    return this.#state.records.waitFor(
      () => this.#state.interactions.get(interactionId)?.responses.find(predicate),
      timeoutMs,
      () => {
        const seen = this.interactionResponses(interactionId).map((r) => `${r.kind}${r.callbackType ? `(${r.callbackType})` : ''}`);
        return `a response to interaction ${interactionId}; seen: ${seen.join(', ') || 'none'}.${describeRequests(this.requests)}`;
      },
    );
  }

  /**
   * The first message the bot (not a test user) has in a channel that matches `predicate`, checked now and after every
   * message change, so it also resolves when an edit makes a message match. Use a predicate that identifies the reply
   * you expect (e.g. replying to the message you dispatched) so an earlier message cannot satisfy it.
   */
  waitForMessage(channelId: string, predicate: (message: FakeMessage) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<FakeMessage> {
    return this.#state.records.waitFor(
      () => this.#state.records.messages(channelId).find((m) => m.origin !== 'user' && !m.deleted && predicate(m)),
      timeoutMs,
      () => {
        const bot = this.messages(channelId).filter((m) => m.origin !== 'user');
        return `a bot message in ${channelId}; bot messages there: ${bot.length}.${describeRequests(this.requests)}`;
      },
    );
  }

  /** The first request matching a route pattern (see rateLimitNext) and predicate, now or later. */
  waitForRequest(pattern: string | RegExp, predicate: (request: RecordedRequest) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RecordedRequest> {
    const compiled = compileRoutePattern(pattern);
    return this.#state.records.waitFor(
      () => this.#state.records.requests.find((r) => patternMatches(compiled, r.method, r.path) !== null && predicate(r)),
      timeoutMs,
      () => `a request matching ${compiled.source}.${describeRequests(this.requests)}`,
    );
  }

  /** The first IDENTIFY (accepted or not) received, now or later. */
  waitForIdentify(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<IdentifyRecord> {
    return this.#state.records.waitFor(() => this.#state.records.identifies[0], timeoutMs, () => 'an IDENTIFY');
  }

  // ---------- faults ----------

  /**
   * The next `times` requests matching `pattern` (`'POST /interactions/:id/:token/callback'`, `'/channels/:id/messages'`
   * for any method, `'PATCH /webhooks/*'`, or a RegExp on `METHOD /path`) answer 429 with Discord's headers and body.
   */
  rateLimitNext(pattern: string | RegExp, retryAfterSeconds: number, opts: RateLimitOptions = {}): void {
    const resetAt = (Date.now() / 1000 + retryAfterSeconds).toFixed(3);
    const headers: Record<string, string> = {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': resetAt,
      'x-ratelimit-reset-after': String(retryAfterSeconds),
      'x-ratelimit-bucket': `fake-${Buffer.from(String(pattern)).toString('hex').slice(0, 16)}`,
      'x-ratelimit-scope': opts.scope ?? (opts.global ? 'global' : 'user'),
    };
    // discord.js treats the mere presence of x-ratelimit-global as global, so the header is only sent when it is.
    if (opts.global) headers['x-ratelimit-global'] = 'true';
    this.#state.faults.push({
      pattern: compileRoutePattern(pattern),
      remaining: opts.times ?? 1,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: opts.global ?? false },
      headers,
    });
  }

  /** The next `times` matching requests fail with `status` (default 500) and `body`. */
  failNext(pattern: string | RegExp, opts: FailureOptions = {}): void {
    const status = opts.status ?? 500;
    this.#state.faults.push({
      pattern: compileRoutePattern(pattern),
      remaining: opts.times ?? 1,
      status,
      body: opts.body ?? { message: `${status}: Injected failure`, code: 0 },
      headers: {},
    });
  }

  /** Closes the gateway connections with `code` (default 4000, after which discord.js resumes). */
  dropGatewayConnections(code = 4000): void {
    this.#state.gateway.dropConnections(code);
  }

  /** Sends op 7 RECONNECT to every connected client. */
  requestGatewayReconnect(): void {
    this.#state.gateway.requestReconnect();
  }

  async stop(): Promise<void> {
    this.#state.records.stop('stop() was called');
    await this.#state.gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---------- HTTP ----------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const state = this.#state;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', state.origin);
    const body = await readBody(req);
    // discord.js percent-encodes segments (`%40original`, emoji), so routes match on decoded segments.
    const pathname = url.pathname
      .split('/')
      .map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      })
      .join('/');
    const apiPath = /^\/api(?:\/v10)?(\/.*)$/.exec(pathname)?.[1];
    const path = apiPath ?? pathname;
    const entry: RecordedRequest = {
      method,
      path,
      route: null,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      body: body.json,
      files: body.files,
      status: 0,
      response: undefined,
      at: Date.now(),
    };
    const spec = this.#respond(method, path, apiPath !== undefined, url.searchParams, body.kind, entry, req);
    entry.status = spec.status;
    entry.response = spec.body;
    state.records.requests.push(entry);
    state.records.changed();
    if (spec.raw) {
      res.writeHead(spec.status, { 'content-type': spec.raw.contentType, 'content-length': String(spec.raw.data.length) });
      res.end(spec.raw.data);
      return;
    }
    writeResponse(res, spec);
  }

  #respond(
    method: string,
    path: string,
    isApi: boolean,
    query: URLSearchParams,
    bodyKind: string,
    entry: RecordedRequest,
    req: IncomingMessage,
  ): ResponseSpec & { raw?: { contentType: string; data: Buffer } } {
    const state = this.#state;
    const fault = state.faults.find((f) => f.remaining > 0 && patternMatches(f.pattern, method, path) !== null);
    if (fault) {
      fault.remaining--;
      if (fault.remaining === 0) state.faults.splice(state.faults.indexOf(fault), 1);
      return { status: fault.status, body: fault.body, headers: fault.headers };
    }
    if (!isApi) {
      const download = /^\/attachments\/(\d+)\/[^/]+$/.exec(path);
      const upload = download?.[1] ? state.uploads.get(download[1]) : undefined;
      if (method === 'GET' && upload) {
        entry.route = 'GET /attachments/:id/:filename';
        return { status: 200, raw: { contentType: upload.contentType, data: upload.data } };
      }
      return { status: 404, body: { message: 'Unknown route', code: 0 } };
    }
    for (const route of this.#routes) {
      const params = patternMatches(route.pattern, method, path);
      if (!params) continue;
      entry.route = route.pattern.source;
      if (route.auth && req.headers.authorization !== `Bot ${state.options.token}`) {
        return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      }
      if (bodyKind === 'invalid') return { status: 400, body: { code: 50109, message: 'The request body contains invalid JSON.' } };
      try {
        return route.handle({ state, params, query, body: entry.body, files: entry.files });
      } catch (error) {
        if (error instanceof RestError) return { status: error.status, body: error.body, headers: error.headers };
        // A bug in the fake, not the bot: make it loud in the test output as well as in the response.
        console.error('FakeDiscord route failed:', error);
        return { status: 500, body: { message: `FakeDiscord internal error: ${String(error)}`, code: 0 } };
      }
    }
    return { status: 404, body: { message: 'Unknown route', code: 0 } };
  }
}
