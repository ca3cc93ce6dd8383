// signal-cli's HTTP transport (`daemon --http`): `POST /api/v1/rpc` runs one request or a batch,
// `GET /api/v1/events` streams the receive notifications (sse.ts), `GET /api/v1/check` says the
// daemon is up. As signal-cli: the Host header must name the address listened on (a page on
// another site cannot reach a loopback daemon through DNS rebinding), a request without a response
// (a notification) is answered 201 with no body. sigsock's additions: a bearer token and TLS.
import { createServer as createPlainServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { InboxEntry } from '../messenger/api.js';
import { listening } from '../util/listening.js';
import { acknowledge, ACK_METHOD } from './acknowledging.js';
import { callMethod, envelopeEncoding, runInput, type Call } from './dispatch.js';
import { encodeReceived } from './envelope.js';
import { RpcError, USER_ERROR, type RpcRequest } from './protocol.js';
import type { JsonRpcListener, JsonRpcSettings, NetworkSecurity } from './server.js';
import { EventStream, type EventSource } from './sse.js';
import { accountsOf } from './accounts.js';
import type { MethodContext } from './methods/index.js';
import { accountLog } from '../util/log.js';

export const DEFAULT_HTTP = 'localhost:8080';
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

export async function listenHttp(where: { host: string; port: number }, settings: JsonRpcSettings, security: NetworkSecurity = {}): Promise<JsonRpcListener> {
  const streams = new Set<EventStream>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  let boundPort = where.port;
  const accounts = accountsOf(settings);
  const allowedHosts = new Set(['localhost', '127.0.0.1', '::1', where.host.toLowerCase()]);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sigsock');
    const route = ROUTES[url.pathname];
    if (!route) return reply(res, 404);
    if (req.method !== route.method) return reply(res, 405, undefined, { Allow: route.method });
    if (route.name === 'check') return reply(res, 200);
    if (!ANY_ADDRESS.has(where.host) && !hostAllowed(req.headers.host, allowedHosts, boundPort)) return reply(res, 421, 'the Host header does not name this daemon');
    if (security.token && !security.token(bearerToken(req))) {
      const presented = req.headers.authorization !== undefined;
      return reply(res, 401, presented ? 'wrong token' : 'authentication required: send "Authorization: Bearer YOUR_TOKEN"', {
        'WWW-Authenticate': presented ? 'Bearer realm="sigsock", error="invalid_token"' : 'Bearer realm="sigsock"',
      });
    }
    if (route.name === 'events') return serveEvents(req, res, url);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return reply(res, 415, 'the request body must be Content-Type: application/json');
    const body = await readBody(req, settings.maxLineBytes);
    if (body === null) return reply(res, 413, `the request body is over ${settings.maxLineBytes} bytes`, { Connection: 'close' });
    await serveRpc(body, res);
  };

  const serveRpc = async (body: string, res: ServerResponse): Promise<void> => {
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const scope = { accounts, receiveMode: settings.receiveMode, signal: abort.signal, encode: encodeEntries };
    const call = (request: RpcRequest): Promise<Call> => {
      if (request.method === ACK_METHOD) {
        const holders = [...streams].flatMap((stream) => (stream.acks ? [stream.acks] : []));
        return Promise.resolve({ result: acknowledge(holders, request.params, 'open GET /api/v1/events?ack=true first') });
      }
      if (request.method === 'subscribeReceive' || request.method === 'unsubscribeReceive') {
        return Promise.reject(new RpcError(USER_ERROR, `${request.method} needs a connection; over HTTP, notifications come from GET /api/v1/events`));
      }
      return callMethod(request, scope);
    };
    const outcome = await runInput(body, call);
    if (outcome.text === undefined) {
      for (const lease of outcome.leases) lease.release();
      return reply(res, 201);
    }
    const written = await new Promise<boolean>((resolve) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(outcome.text!) });
      let settled = false;
      const settle = (ok: boolean) => !settled && ((settled = true), resolve(ok));
      res.once('close', () => setImmediate(() => settle(false)));
      // As for events (sse.ts): the callback comes without an error even when the connection was destroyed.
      const socket = res.socket;
      res.end(outcome.text, () => settle(socket !== null && !socket.destroyed));
    });
    for (const lease of outcome.leases) {
      if (written) lease.commit();
      else lease.release();
    }
  };

  const encodeEntries = (entries: InboxEntry[], ctx: MethodContext) => {
    const encoding = envelopeEncoding(ctx, settings.ignoreAttachments);
    return entries.map((entry) => encodeReceived(entry, encoding));
  };

  const serveEvents = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const account = url.searchParams.get('account');
    const source = (ctx: MethodContext): EventSource => ({
      takeInbox: (timeoutMs, signal) => ctx.engine.takeInbox(timeoutMs, signal),
      encoding: envelopeEncoding(ctx, settings.ignoreAttachments),
      log: settings.accounts ? accountLog(settings.log, ctx.account) : settings.log,
    });
    // Without ?account= in multi-account mode: every account's notifications (and those of the
    // accounts added while it is open), as signal-cli's; with it, that account's.
    const everyAccount = settings.accounts !== undefined && !account;
    let sources: EventSource[];
    try {
      sources = everyAccount ? accounts.all().map(source) : [source(accounts.forRequest(account ? { account } : undefined).ctx)];
    } catch (err) {
      const served = accounts.all().map((c) => c.account).join(', ');
      return reply(res, 400, `${err instanceof Error ? err.message : String(err)}: this daemon serves ${served}`);
    }
    const stream = new EventStream(req, res, {
      sources,
      onAdded: everyAccount ? (listener) => accounts.onAdded((added) => listener(source(added))) : undefined,
      ack: url.searchParams.get('ack') === 'true',
    });
    streams.add(stream);
    void stream.done.then(() => streams.delete(stream));
  };

  const requestListener = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    handle(req, res)
      .catch((err: unknown) => {
        settings.log(`jsonrpc http: could not answer a request: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) reply(res, 500);
        else res.destroy();
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) for (const wake of idleWaiters.splice(0)) wake();
      });
  };
  const server: Server = security.tls ? createTlsServer({ ...security.tls }, requestListener) : createPlainServer(requestListener);
  server.maxConnections = settings.maxConnections;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket: Socket) => socket.destroy());
  server.on('error', (err) => settings.log(`jsonrpc http server error: ${err.message}`));
  await listening(server as unknown as NetServer, where);
  const bound = server.address() as AddressInfo;
  boundPort = bound.port;
  const scheme = security.tls ? 'https' : 'http';
  const address = `${scheme}://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  settings.log(`JSON-RPC over HTTP listening on ${address}`);
  let closing: Promise<void> | undefined;
  return {
    address,
    port: bound.port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const stream of streams) stream.stop();
        const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([idle, new Promise<void>((r) => (timer = setTimeout(r, settings.shutdownGraceMs)))]);
        clearTimeout(timer);
        idleWaiters = [];
        for (const socket of sockets) socket.destroy();
        await stopped;
      })();
      return closing;
    },
  };
}

const ROUTES: Record<string, { name: 'rpc' | 'events' | 'check'; method: string }> = {
  '/api/v1/rpc': { name: 'rpc', method: 'POST' },
  '/api/v1/events': { name: 'events', method: 'GET' },
  '/api/v1/check': { name: 'check', method: 'GET' },
};

function reply(res: ServerResponse, status: number, text?: string, headers: Record<string, string> = {}): void {
  if (text === undefined) {
    res.writeHead(status, { 'Content-Length': 0, ...headers }).end();
    return;
  }
  const body = text + '\n';
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers }).end(body);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** signal-cli's rule: the Host header names one of the loopback names or the address bound, and the port bound. */
export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>, port: number): boolean {
  if (!header) return false;
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(header);
  if (!match) return false;
  const host = (match[1] ?? match[2]).toLowerCase();
  return allowed.has(host) && (match[3] === undefined || Number(match[3]) === port);
}

/** The body as text, or null when it is longer than `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
