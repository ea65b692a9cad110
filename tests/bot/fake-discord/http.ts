// HTTP plumbing for the fake REST API: reading JSON and multipart bodies as discord.js sends them, route patterns
// like `POST /channels/:channelId/messages`, and writing responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedFile } from './records.js';

export interface ParsedBody {
  kind: 'none' | 'json' | 'multipart' | 'invalid';
  json: unknown;
  files: RecordedFile[];
}

async function collect(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * discord.js sends JSON, or multipart/form-data with the files as `files[n]` and the JSON as a `payload_json` part
 * (some routes append the JSON fields as parts instead). Multipart is parsed by undici's FormData, which ships with Node.
 */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await collect(req);
  if (raw.length === 0) return { kind: 'none', json: null, files: [] };
  const type = req.headers['content-type'] ?? '';
  try {
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const fields: Record<string, unknown> = {};
      const files: RecordedFile[] = [];
      let json: unknown = null;
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') json = JSON.parse(value);
          else fields[field] = value;
        } else {
          files.push({ field, filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
        }
      }
      return { kind: 'multipart', json: json ?? fields, files };
    }
    return { kind: 'json', json: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return { kind: 'invalid', json: null, files: [] };
  }
}

export interface RoutePattern {
  method: string | null;
  regex: RegExp;
  source: string;
  /** A caller's RegExp, matched against `METHOD /path` and then `/path`. */
  raw: boolean;
}

/**
 * `'POST /interactions/:id/:token/callback'`, `'/channels/:id/messages'` (any method) or `'PATCH /webhooks/*'`:
 * `:name` matches one path segment, `*` the rest. A RegExp is matched against `METHOD /path`.
 */
export function compileRoutePattern(pattern: string | RegExp): RoutePattern {
  if (pattern instanceof RegExp) return { method: null, regex: pattern, source: pattern.source, raw: true };
  const match = /^(?:([A-Z]+)\s+)?(\/.*)$/.exec(pattern.trim());
  if (!match?.[2]) throw new Error(`FakeDiscord: route pattern "${pattern}" must look like "POST /channels/:id/messages"`);
  const path = match[2].replace(/\/+$/, '') || '/';
  const body = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return `(?<${segment.slice(1).replace(/\W/g, '_')}>[^/]+)`;
      return segment.replace(/[.*+?^${}()|[\]\\@]/g, '\\$&');
    })
    .join('/');
  return { method: match[1] ?? null, regex: new RegExp(`^${body}$`), source: pattern, raw: false };
}

export function patternMatches(pattern: RoutePattern, method: string, path: string): Record<string, string> | null {
  if (pattern.method && pattern.method !== method) return null;
  const m = pattern.raw ? (pattern.regex.exec(`${method} ${path}`) ?? pattern.regex.exec(path)) : pattern.regex.exec(path);
  if (!m) return null;
  return { ...(m.groups ?? {}) };
}

export interface ResponseSpec {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function writeResponse(res: ServerResponse, spec: ResponseSpec): void {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.body === undefined || spec.status === 204) {
    res.writeHead(spec.status, headers);
    res.end();
    return;
  }
  const payload = Buffer.from(JSON.stringify(spec.body));
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(payload.length);
  res.writeHead(spec.status, headers);
  res.end(payload);
}

export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Thrown by a route to answer with a Discord-style error instead of a result. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: number; message: string; errors?: Record<string, unknown> },
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.message}`);
  }
}

export const notFound = {
  channel: (): RestError => new RestError(404, { code: 10003, message: 'Unknown Channel' }),
  guild: (): RestError => new RestError(404, { code: 10004, message: 'Unknown Guild' }),
  member: (): RestError => new RestError(404, { code: 10007, message: 'Unknown Member' }),
  message: (): RestError => new RestError(404, { code: 10008, message: 'Unknown Message' }),
  user: (): RestError => new RestError(404, { code: 10013, message: 'Unknown User' }),
  webhook: (): RestError => new RestError(404, { code: 10015, message: 'Unknown Webhook' }),
  interaction: (): RestError => new RestError(404, { code: 10062, message: 'Unknown interaction' }),
  command: (): RestError => new RestError(404, { code: 10063, message: 'Unknown application command' }),
};

export const missingPermissions = (): RestError => new RestError(403, { code: 50013, message: 'Missing Permissions' });
export const missingAccess = (): RestError => new RestError(403, { code: 50001, message: 'Missing Access' });
