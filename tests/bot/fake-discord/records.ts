// What the fake saw and did: every HTTP request, every message (with each body the bot sent), gateway identifies and
// traffic; and the waiting that lets a test await the bot's asynchronous reaction to an event.
import type { APIMessage, APIUser } from 'discord.js';

export interface RecordedFile {
  /** The multipart field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Path below the API root, without the version: `/channels/123/messages`. */
  path: string;
  /** The fake's route that handled it (`POST /channels/:channelId/messages`), or null when no route matched (answered 404). */
  route: string | null;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body; null without a body. */
  body: unknown;
  files: RecordedFile[];
  status: number;
  /** The response body the fake sent, for error diagnosis. */
  response: unknown;
  at: number;
}

/** Who created a message: the test (as a user), the bot over the channel API, or the bot answering an interaction. */
export type MessageOrigin = 'user' | 'channel' | 'interaction';

/** Who would have been notified, by Discord's allowed_mentions rules (creation and every edit counted, to be safe). */
export interface Pings {
  users: string[];
  roles: string[];
  everyone: boolean;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  origin: MessageOrigin;
  interactionId: string | null;
  author: APIUser;
  /** The message as the API returns it now, after every edit. */
  api: APIMessage;
  /** Every body the bot sent for this message (create first, then each edit), verbatim: `allowed_mentions` is here. */
  bodies: Record<string, unknown>[];
  files: RecordedFile[];
  pings: Pings;
  ephemeral: boolean;
  deleted: boolean;
}

export type InteractionResponseKind =
  | 'callback'
  | 'edit-original'
  | 'delete-original'
  | 'followup'
  | 'edit-followup'
  | 'delete-followup';

export interface InteractionResponseRecord {
  kind: InteractionResponseKind;
  /** The callback's `type` (4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal); null for webhook calls. */
  callbackType: number | null;
  /** The callback's `data`, or the webhook call's body. */
  data: Record<string, unknown> | null;
  files: RecordedFile[];
  /** The message this response created or changed, if any. */
  messageId: string | null;
  at: number;
}

export interface IdentifyRecord {
  token: string;
  intents: number;
  shard: [number, number] | null;
  properties: unknown;
  compress: boolean;
  /** Null when accepted; otherwise the close code the fake answered with. */
  rejectedWith: number | null;
  at: number;
}

export interface GatewayLogEntry {
  direction: 'in' | 'out';
  op: number;
  t: string | null;
  sessionId: string | null;
  at: number;
}

export class Records {
  readonly requests: RecordedRequest[] = [];
  readonly identifies: IdentifyRecord[] = [];
  readonly gatewayLog: GatewayLogEntry[] = [];
  readonly #messages = new Map<string, FakeMessage>();
  readonly #byChannel = new Map<string, FakeMessage[]>();
  readonly #listeners = new Set<() => void>();
  #stopped: string | null = null;

  addMessage(message: FakeMessage): void {
    this.#messages.set(message.id, message);
    const list = this.#byChannel.get(message.channelId) ?? [];
    list.push(message);
    this.#byChannel.set(message.channelId, list);
    this.changed();
  }

  message(id: string): FakeMessage | undefined {
    return this.#messages.get(id);
  }

  messages(channelId: string): FakeMessage[] {
    return [...(this.#byChannel.get(channelId) ?? [])];
  }

  allMessages(): FakeMessage[] {
    return [...this.#messages.values()];
  }

  /** Wakes every waiter to re-check its condition. */
  changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  /** Resolves with the first non-undefined result of `check`, tried now and after every change, or rejects after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    if (this.#stopped) return Promise.reject(new Error(`FakeDiscord stopped (${this.#stopped}) while waiting for ${describe()}`));
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      };
      const listener = (): void => {
        if (this.#stopped) {
          finish();
          reject(new Error(`FakeDiscord stopped (${this.#stopped}) while waiting for ${describe()}`));
          return;
        }
        let result: T | undefined;
        try {
          result = check();
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (result !== undefined) {
          finish();
          resolve(result);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      this.#listeners.add(listener);
    });
  }

  stop(reason: string): void {
    this.#stopped = reason;
    this.changed();
  }
}
