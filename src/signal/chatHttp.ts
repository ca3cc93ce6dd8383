// REST requests carried over a chat WebSocket, for the routes libsignal has no typed service for
// (or whose typed service is gRPC-only and missing on some servers).
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(`${path}: HTTP ${status}${describeBody(body)}`);
    this.name = 'HttpError';
  }
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return ` (${body.message})`;
  return '';
}

export interface JsonRequest {
  verb: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  body?: unknown;
  headers?: [string, string][];
  timeoutMillis?: number;
}

export async function chatJson<T = unknown>(chat: ChatConnection, req: JsonRequest): Promise<T> {
  const headers: [string, string][] = [...(req.headers ?? [])];
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (req.body !== undefined) {
    headers.push(['content-type', 'application/json']);
    body = new Uint8Array(Buffer.from(JSON.stringify(req.body)));
  }
  const res = await chat.fetch({ verb: req.verb, path: req.path, headers, body, timeoutMillis: req.timeoutMillis ?? 30_000 });
  const parsed = parseBody(res.body);
  if (res.status < 200 || res.status >= 300) throw new HttpError(res.status, req.path, parsed);
  return parsed as T;
}

function parseBody(body: Uint8Array | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  const text = Buffer.from(body).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function basicAuth(username: string, password: string): [string, string] {
  return ['authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`];
}
