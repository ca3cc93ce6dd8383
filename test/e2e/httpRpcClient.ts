// Clients of the JSON-RPC daemon's HTTP transport as signal-cli's users write them: a POST to
// /api/v1/rpc, an SSE reader of /api/v1/events; and a JSON-RPC client over TLS.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { LinkedFixture } from '../support/harness.js';
import { spawnDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { rpcOver, type RpcClient } from './jsonRpcClient.js';

export interface HttpOptions {
  token?: string;
  /** The CA to trust (the daemon's self-signed certificate): the request goes over https. */
  ca?: Buffer;
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any;
}

export function httpCall(port: number, method: string, path: string, body?: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...(body !== undefined && { 'Content-Type': 'application/json' }), ...(options.token !== undefined && { Authorization: `Bearer ${options.token}` }), ...options.headers };
  const send = options.ca ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({ host: '127.0.0.1', port, method, path, headers, ...(options.ca && { ca: options.ca, servername: 'localhost' }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /api/v1/rpc with `payload` as JSON. */
export function postRpc(port: number, payload: unknown, options: HttpOptions = {}): Promise<HttpAnswer> {
  return httpCall(port, 'POST', '/api/v1/rpc', JSON.stringify(payload), options);
}

export interface EventReader {
  status: number;
  /** The next `receive` event's data, parsed. */
  next(timeoutMs?: number): Promise<any>;
  /** Drops the connection at once (a client that dies). */
  destroy(): void;
  /** Resolves once a keep-alive or event text arrives: the response is streaming. */
  socketLocalPort: number;
}

/** GET /api/v1/events (`query` e.g. `?account=+1…`); resolves once the response headers arrived. */
export function openEvents(port: number, query = '', options: HttpOptions = {}): Promise<EventReader> {
  const headers = options.token !== undefined ? { Authorization: `Bearer ${options.token}` } : {};
  const send = options.ca ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({ host: '127.0.0.1', port, path: `/api/v1/events${query}`, headers, ...(options.ca && { ca: options.ca, servername: 'localhost' }) }, (res) => {
      const events: any[] = [];
      const wake: (() => void)[] = [];
      // Chunks are kept apart until an event ends: a big event is not re-scanned at every chunk.
      let pieces: string[] = [];
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        if (!text.includes('\n\n') && !(text.startsWith('\n') && pieces.at(-1)?.endsWith('\n'))) {
          pieces.push(text);
          return;
        }
        let buffer = pieces.join('') + text;
        pieces = [];
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end < 0) break;
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n').filter((l) => !l.startsWith(':'));
          const event = lines.find((l) => l.startsWith('event:'))?.slice('event:'.length);
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice('data:'.length)).join('\n');
          if (event === 'receive') events.push(JSON.parse(data));
        }
        if (buffer) pieces.push(buffer);
        for (const w of wake.splice(0)) w();
      });
      const gone = () => {
        ended = true;
        for (const w of wake.splice(0)) w();
      };
      res.on('end', gone);
      res.on('close', gone);
      res.on('error', gone);
      resolve({
        status: res.statusCode!,
        socketLocalPort: req.socket!.localPort!,
        destroy: () => req.destroy(),
        async next(timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length === 0) {
            if (ended) throw new Error('the event stream ended');
            const left = deadline - Date.now();
            if (left <= 0) throw new Error('timed out waiting for an event');
            await new Promise<void>((r) => {
              const timer = setTimeout(r, left);
              wake.push(() => {
                clearTimeout(timer);
                r();
              });
            });
          }
          return events.shift();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A JSON-RPC client over TLS, trusting `ca`. */
export function tlsRpc(port: number, ca: Buffer): Promise<RpcClient & { socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.on('error', () => {});
      resolve({ ...rpcOver(socket, socket, new Promise((r) => socket.once('close', r))), socket });
    });
  });
}

const HTTP_LISTENING = /JSON-RPC over HTTP listening on https?:\/\/[^\s]*:(\d+)/;

/** The port of a daemon's HTTP transport (started with `--http=127.0.0.1:0`), once it listens. */
export async function httpPortOf(daemon: Daemon): Promise<number> {
  await waitForLog(daemon, HTTP_LISTENING);
  return Number(HTTP_LISTENING.exec(daemon.stderr())![1]);
}

/** `sigsock daemon --http=127.0.0.1:0 …`: resolves once the HTTP transport listens, with its port. */
export function startHttpDaemon(f: Pick<LinkedFixture, 'spawn'>, extraArgs: string[] = []): Promise<Daemon> {
  return spawnDaemon(f, ['daemon', '--http=127.0.0.1:0', ...extraArgs], HTTP_LISTENING);
}
