// JSON-RPC's transports: TCP and Unix-socket listeners (any number at once) and stdin/stdout, each
// client a Session over the same account engine, hence the same inbox.
import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { dirname } from 'node:path';
import { encodeLine, failure, INTERNAL_ERROR } from './protocol.js';
import type { ReceiveMode } from './receiving.js';
import { Session } from './session.js';
import { listening, listeningPrivately, removeSocketFile } from '../util/listening.js';
import type { MethodContext } from './methods/index.js';
import { accountsOf, type AccountContexts } from './accounts.js';
import type { TlsCredentials } from '../util/tls.js';
import type { TokenCheck } from '../util/tokenCheck.js';

export interface JsonRpcSettings {
  /** The one account served (`-a NUMBER`), or `accounts` for several (multi-account mode). */
  ctx?: MethodContext;
  accounts?: AccountContexts;
  receiveMode: ReceiveMode;
  ignoreAttachments: boolean;
  log: (line: string) => void;
  /** Longest request line (data: URI attachments travel inside it). */
  maxLineBytes: number;
  maxPending: number;
  maxConnections: number;
  shutdownGraceMs: number;
}

/** sigsock's additions on the network transports (TCP, HTTP): a token to present, TLS. */
export interface NetworkSecurity {
  /** When set, a connection authenticates before anything runs (authGate.ts; a bearer token on HTTP). */
  token?: TokenCheck;
  tls?: TlsCredentials;
}

/** A client that has not finished its TLS handshake by then is dropped (as on the seed socket). */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export type Endpoint = { tcp: { host: string; port: number } } | { unix: string };

export interface JsonRpcListener {
  /** `tcp://127.0.0.1:7583` or `unix:/run/user/1000/sigsock/jsonrpc.sock`. */
  address: string;
  port?: number;
  close(): Promise<void>;
}

export async function listen(endpoint: Endpoint, settings: JsonRpcSettings, security: NetworkSecurity = {}): Promise<JsonRpcListener> {
  if (security.tls && 'unix' in endpoint) throw new Error('TLS is served over TCP only, not on a Unix socket');
  const sessions = new Set<Session>();
  const accept = (socket: Socket) => {
    if (sessions.size >= settings.maxConnections) {
      socket.on('error', () => {});
      socket.end(encodeLine(failure(null, { code: INTERNAL_ERROR, message: `too many connections: at most ${settings.maxConnections} at once` })));
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const session = new Session({ ...sessionSettings(settings), input: socket, output: socket, socket: true, token: security.token });
    sessions.add(session);
    void session.done.then(() => {
      sessions.delete(session);
      socket.destroy();
    });
  };
  // Half-open: `(echo …; sleep 2) | nc` closes its sending side and still waits for the answers.
  const server = security.tls
    ? createTlsServer({ ...security.tls, allowHalfOpen: true, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, accept)
    : createServer({ allowHalfOpen: true, noDelay: true }, accept);
  server.on('tlsClientError', (_err: Error, tlsSocket: TLSSocket) => tlsSocket.destroy());
  server.on('error', (err) => settings.log(`jsonrpc server error: ${err.message}`));
  let address: string;
  let port: number | undefined;
  if ('tcp' in endpoint) {
    await listening(server, endpoint.tcp);
    const bound = server.address() as AddressInfo;
    port = bound.port;
    address = `${security.tls ? 'tls' : 'tcp'}://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  } else {
    await listenUnix(server, endpoint.unix);
    address = `unix:${endpoint.unix}`;
  }
  settings.log(`JSON-RPC listening on ${address}`);
  let closing: Promise<void> | undefined;
  return {
    address,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...sessions].map((s) => s.shutdown(settings.shutdownGraceMs)));
        await stopped;
        if ('unix' in endpoint) removeSocketFile(endpoint.unix);
      })();
      return closing;
    },
  };
}

/** `jsonRpc`: one session on stdin/stdout; resolves when stdin ended and everything was answered. */
export function serveStdio(settings: JsonRpcSettings): Session {
  return new Session({ ...sessionSettings(settings), input: process.stdin, output: process.stdout, socket: false });
}

function sessionSettings(settings: JsonRpcSettings) {
  const { receiveMode, ignoreAttachments, log, maxLineBytes, maxPending } = settings;
  return { accounts: accountsOf(settings), receiveMode, ignoreAttachments, log, maxLineBytes, maxPending };
}

async function listenUnix(server: Server, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await listeningPrivately(server, path);
}
