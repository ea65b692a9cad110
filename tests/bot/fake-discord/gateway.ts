// The fake WebSocket gateway: HELLO, IDENTIFY (token and intent checks with Discord's close codes), READY and
// GUILD_CREATE, heartbeats, RESUME with replay of missed events, member requests, optional zlib-stream compression,
// and dispatch of events to the sessions that would receive them on Discord (by shard and intents).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { constants as zlibConstants, createDeflate, type Deflate } from 'node:zlib';
import { ApplicationFlags, GatewayCloseCodes, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { WebSocket, WebSocketServer } from 'ws';
import type { Records } from './records.js';
import type { ResolvedOptions } from './state.js';
import { guildCreatePayload, memberPayload, type World } from './world.js';

export const KNOWN_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((all, bit) => all | bit, 0);
export const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

const REPLAY_BUFFER = 1000;

interface Connection {
  socket: WebSocket;
  session: Session | null;
  /** Set when the client asked for `compress=zlib-stream`: one deflate context for the whole connection, flushed per payload. */
  deflate: Deflate | null;
  sendChain: Promise<void>;
}

interface Session {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  buffer: { s: number; text: string; t: string }[];
  connection: Connection | null;
}

export interface GatewaySessionInfo {
  sessionId: string;
  intents: number;
  shard: [number, number];
  connected: boolean;
  seq: number;
}

export interface DispatchOptions {
  /** Only sessions whose shard holds this guild receive the event. */
  guildId?: string | null;
  /** Only sessions that identified with this intent receive the event. */
  intent?: number;
  /** Per-session rewrite, e.g. to blank message content for a session without the MessageContent intent. */
  transform?: (intents: number) => unknown;
}

export interface GatewayDeps {
  world: World;
  records: Records;
  options: ResolvedOptions;
  /** `ws://127.0.0.1:PORT/gateway` */
  url: () => string;
}

function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export class FakeGateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.replace(/\/+$/, '') !== '/gateway') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, url.searchParams));
  }

  #accept(socket: WebSocket, query: URLSearchParams): void {
    const connection: Connection = {
      socket,
      session: null,
      deflate: query.get('compress') === 'zlib-stream' ? createDeflate() : null,
      sendChain: Promise.resolve(),
    };
    this.#connections.add(connection);
    socket.on('close', (code) => {
      this.#connections.delete(connection);
      connection.deflate?.close();
      const session = connection.session;
      if (!session) return;
      session.connection = null;
      // A client closing with 1000/1001 ends its session on Discord: it cannot be resumed.
      if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.#onMessage(connection, text);
    });
    socket.on('error', () => socket.terminate());

    if (query.get('v') !== null && query.get('v') !== '10') {
      this.#close(connection, GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      this.#close(connection, GatewayCloseCodes.DecodeError, 'The fake gateway only speaks encoding=json');
      return;
    }
    this.#send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#deps.options.heartbeatIntervalMs } });
  }

  #onMessage(connection: Connection, text: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: unknown; d?: unknown };
    } catch {
      this.#close(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.#deps.records.gatewayLog.push({ direction: 'in', op, t: null, sessionId: connection.session?.id ?? null, at: Date.now() });
    const d = (payload.d ?? {}) as Record<string, unknown>;
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(connection, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.#identify(connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, d);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
        if (!connection.session) this.#close(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return;
      case GatewayOpcodes.RequestGuildMembers:
        this.#requestMembers(connection, d);
        return;
      default:
        this.#close(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #identify(connection: Connection, d: Record<string, unknown>): void {
    const { options, records, world } = this.#deps;
    const intents = typeof d['intents'] === 'number' ? d['intents'] : NaN;
    const rawShard = d['shard'];
    const shard: [number, number] =
      Array.isArray(rawShard) && rawShard.length === 2 ? [Number(rawShard[0]), Number(rawShard[1])] : [0, 1];
    const record = {
      token: String(d['token'] ?? ''),
      intents,
      shard: Array.isArray(rawShard) ? shard : null,
      properties: d['properties'],
      compress: d['compress'] === true,
      rejectedWith: null as number | null,
      at: Date.now(),
    };
    records.identifies.push(record);
    records.changed();
    const reject = (code: number, reason: string): void => {
      record.rejectedWith = code;
      records.changed();
      this.#close(connection, code, reason);
    };
    if (connection.session) return reject(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (record.token !== options.token) return reject(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    if (!Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      return reject(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
    }
    if (!options.privilegedIntents && (intents & PRIVILEGED_INTENTS) !== 0) {
      return reject(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
    }
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) return reject(GatewayCloseCodes.InvalidShard, 'Invalid shard.');

    const session: Session = { id: randomBytes(16).toString('hex'), intents, shard, seq: 0, buffer: [], connection };
    this.#sessions.set(session.id, session);
    connection.session = session;
    const guilds = [...world.guilds.values()].filter((g) => shardOf(g.id, shard[1]) === shard[0]);
    const flags = options.privilegedIntents
      ? ApplicationFlags.GatewayPresence | ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayMessageContent
      : 0;
    this.#dispatchTo(session, 'READY', {
      v: 10,
      user: world.bot,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.#deps.url(),
      shard,
      application: { id: world.applicationId, flags, flags_new: String(flags) },
    });
    if (intents & GatewayIntentBits.Guilds) {
      for (const guild of guilds) this.#dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(world, guild));
    }
  }

  #resume(connection: Connection, d: Record<string, unknown>): void {
    if (connection.session) return this.#close(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (d['token'] !== this.#deps.options.token) {
      return this.#close(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    }
    const session = this.#sessions.get(String(d['session_id'] ?? ''));
    if (!session || session.connection) {
      this.#send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    const seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
    if (seq > session.seq) return this.#close(connection, GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
    if (session.buffer.length > 0 && (session.buffer[0]?.s ?? 0) > seq + 1) {
      // The events the client missed are no longer buffered: it must identify afresh.
      this.#send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    session.connection = connection;
    connection.session = session;
    for (const entry of session.buffer) {
      if (entry.s > seq) this.#sendText(connection, entry.text, 0, entry.t);
    }
    this.#dispatchTo(session, 'RESUMED', null);
  }

  #requestMembers(connection: Connection, d: Record<string, unknown>): void {
    const session = connection.session;
    if (!session) return this.#close(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
    const { world } = this.#deps;
    const guildIds = Array.isArray(d['guild_id']) ? (d['guild_id'] as string[]) : [String(d['guild_id'] ?? '')];
    const query = typeof d['query'] === 'string' ? d['query'].toLowerCase() : null;
    const userIds = Array.isArray(d['user_ids']) ? (d['user_ids'] as string[]) : typeof d['user_ids'] === 'string' ? [d['user_ids']] : null;
    const limit = typeof d['limit'] === 'number' && d['limit'] > 0 ? d['limit'] : Infinity;
    if (query === '' && limit === Infinity && !(session.intents & GatewayIntentBits.GuildMembers)) {
      return this.#close(connection, GatewayCloseCodes.DisallowedIntents, 'Listing all members needs the GuildMembers intent.');
    }
    for (const guildId of guildIds) {
      const guild = world.guilds.get(guildId);
      if (!guild) continue;
      const ids = [...guild.members.keys()].filter((id) => {
        if (userIds) return userIds.includes(id);
        const user = world.users.get(id);
        const nick = guild.members.get(id)?.nick ?? '';
        return query === null || !!user?.username.toLowerCase().startsWith(query) || nick.toLowerCase().startsWith(query);
      });
      this.#dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
        guild_id: guildId,
        members: ids.slice(0, limit).map((id) => memberPayload(world, guild, id)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: userIds ? userIds.filter((id) => !guild.members.has(id)) : [],
        nonce: d['nonce'],
      });
    }
  }

  /** Sends (or buffers, for a session awaiting RESUME) an event to every session that would receive it; returns how many. */
  dispatch(t: string, data: unknown, opts: DispatchOptions = {}): number {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (opts.guildId && shardOf(opts.guildId, session.shard[1]) !== session.shard[0]) continue;
      if (opts.intent !== undefined && (session.intents & opts.intent) === 0) continue;
      this.#dispatchTo(session, t, opts.transform ? opts.transform(session.intents) : data);
      count++;
    }
    return count;
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq++;
    const text = JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s: session.seq, d });
    session.buffer.push({ s: session.seq, text, t });
    if (session.buffer.length > REPLAY_BUFFER) session.buffer.shift();
    if (session.connection) this.#sendText(session.connection, text, GatewayOpcodes.Dispatch, t);
  }

  #send(connection: Connection, payload: { op: number; d?: unknown }): void {
    this.#sendText(connection, JSON.stringify({ d: null, ...payload, s: null, t: null }), payload.op, null);
  }

  #sendText(connection: Connection, text: string, op: number, t: string | null): void {
    this.#deps.records.gatewayLog.push({ direction: 'out', op, t, sessionId: connection.session?.id ?? null, at: Date.now() });
    const { socket, deflate } = connection;
    if (!deflate) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      return;
    }
    // zlib-stream: every payload is flushed with Z_SYNC_FLUSH so it ends in 00 00 ff ff, the client's cue to inflate.
    connection.sendChain = connection.sendChain.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const onData = (chunk: Buffer): void => {
            chunks.push(chunk);
          };
          deflate.on('data', onData);
          deflate.write(text);
          deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
            deflate.off('data', onData);
            if (socket.readyState === WebSocket.OPEN) socket.send(Buffer.concat(chunks));
            resolve();
          });
        }),
    );
  }

  #close(connection: Connection, code: number, reason: string): void {
    // Let queued (compressed) payloads go out first, so the client sees what came before the close.
    void connection.sendChain.then(() => connection.socket.close(code, reason));
  }

  /** Closes every live connection with `code`; sessions survive so the client may RESUME, as after a network drop. */
  dropConnections(code: number, reason = 'Dropped by the test'): void {
    for (const connection of this.#connections) this.#close(connection, code, reason);
  }

  /** Sends op 7 RECONNECT, asking every client to reconnect and resume. */
  requestReconnect(): void {
    for (const connection of this.#connections) this.#send(connection, { op: GatewayOpcodes.Reconnect });
  }

  sessions(): GatewaySessionInfo[] {
    return [...this.#sessions.values()].map((s) => ({
      sessionId: s.id,
      intents: s.intents,
      shard: s.shard,
      connected: s.connection !== null,
      seq: s.seq,
    }));
  }

  hasSession(guildId: string): boolean {
    return [...this.#sessions.values()].some((s) => shardOf(guildId, s.shard[1]) === s.shard[0]);
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
