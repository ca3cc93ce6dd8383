// Listens on TCP (plain or TLS) or a Unix socket and gives each client its own Connection, up to
// the connection limit.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Messenger } from '../messenger/api.js';
import { tokenCheck } from './auth.js';
import { errorResponse } from './commands.js';
import { Connection } from './connection.js';
import { resolveLimits, type SocketLimits } from './limits.js';
import { StatusCode } from './statusCodes.js';
import type { TlsCredentials } from '../util/tls.js';
import { isAddressInUse, PortInUseError } from './portInUse.js';
import { listening, listeningPrivately, removeSocketFile } from '../util/listening.js';

export interface SocketServerOptions {
  messenger: Messenger;
  /** TCP address; default 127.0.0.1. Ignored when `path` is set. */
  host?: string;
  /** TCP port; default 6789, 0 picks a free one. */
  port?: number;
  /** Listen on this Unix domain socket instead of TCP. */
  path?: string;
  log: (line: string) => void;
  /** Lines only useful when chasing a problem; dropped unless given. */
  debug?: (line: string) => void;
  limits?: Partial<SocketLimits>;
  /** When set, every connection must present this token before any command runs (see docs/security.md). */
  authToken?: string;
  /** Serve TLS instead of plain TCP. Not with `path`. */
  tls?: TlsCredentials;
}

export interface SocketServer {
  /** `tcp://127.0.0.1:6789` or `unix:/path/to/socket`. */
  address: string;
  /** The bound TCP port (useful with port 0); undefined for a Unix socket. */
  port?: number;
  /** Stops accepting, answers what is in flight (within the shutdown grace time), closes every connection. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 6789;

/** How often, at most, hitting the connection limit is logged. */
const LIMIT_LOG_INTERVAL_MS = 60_000;
/** How long a refused client may take to close before it is cut. */
const REFUSAL_GRACE_MS = 1000;

export async function startSocketServer(options: SocketServerOptions): Promise<SocketServer> {
  if (options.tls && options.path) throw new Error('TLS is served over TCP only, not on a Unix socket');
  const limits = resolveLimits(options.limits);
  const checkToken = options.authToken === undefined ? undefined : tokenCheck(options.authToken);
  const connections = new Set<Connection>();
  let lastLimitLog = -Infinity;

  const accept = (socket: Socket) => {
    socket.setNoDelay(true);
    const peer = socket.remoteAddress === undefined ? undefined : `${socket.remoteAddress}:${socket.remotePort}`;
    if (connections.size >= limits.maxConnections) {
      if (Date.now() - lastLimitLog >= LIMIT_LOG_INTERVAL_MS) {
        lastLimitLog = Date.now();
        options.log(`connection limit of ${limits.maxConnections} reached: refusing new connections until some close`);
      }
      refuse(socket, `too many connections: this daemon serves at most ${limits.maxConnections} at once; try again later`);
      return;
    }
    const connection = new Connection(socket, { messenger: options.messenger, limits, debug: options.debug, log: options.log, checkToken, peer });
    connections.add(connection);
    void connection.done.then(() => connections.delete(connection));
  };
  // Half-open: `echo cmd | socat` closes its sending side at once and still waits for the answer.
  const server = options.tls
    ? createTlsServer({ ...options.tls, allowHalfOpen: true, handshakeTimeout: limits.tlsHandshakeTimeoutMs }, accept)
    : createServer({ allowHalfOpen: true, noDelay: true }, accept);
  // A failed handshake (a plain-text client, a bad certificate) concerns only that client. Node
  // reports a handshake timeout here but leaves the socket open, so it is closed here: without
  // that, silent or stalled clients would hold their connection forever.
  server.on('tlsClientError', (err: Error, tlsSocket: TLSSocket) => {
    options.debug?.(`TLS handshake failed: ${err.message}`);
    tlsSocket.destroy();
  });

  const scheme = options.tls ? 'tls' : 'tcp';
  const address = options.path ? await listenUnix(server, options.path) : await listenTcp(server, scheme, options.host ?? DEFAULT_HOST, options.port ?? DEFAULT_PORT);
  // Only once listening: a failure to listen is thrown to the caller, who words it.
  server.on('error', (err) => options.log(`socket server error: ${err.message}`));
  options.log(`listening on ${address.text}`);

  let closing: Promise<void> | undefined;
  return {
    address: address.text,
    port: address.port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.shutdown(limits.shutdownGraceMs)));
        await stopped;
        if (options.path) removeSocketFile(options.path);
      })();
      return closing;
    },
  };
}

/** One error line, then the connection is closed: for a client over the connection limit. */
function refuse(socket: Socket, message: string): void {
  socket.on('error', () => {});
  socket.end(JSON.stringify(errorResponse(null, StatusCode.UNKNOWN, message)) + '\n');
  setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS).unref();
  socket.resume();
}

async function listenTcp(server: Server, scheme: string, host: string, port: number): Promise<{ text: string; port: number }> {
  try {
    await listening(server, { host, port });
  } catch (err) {
    if (isAddressInUse(err)) throw new PortInUseError(host, port, { cause: err });
    throw err;
  }
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { text: `${scheme}://${shownHost}:${bound.port}`, port: bound.port };
}

async function listenUnix(server: Server, path: string): Promise<{ text: string; port?: number }> {
  await listeningPrivately(server, path);
  return { text: `unix:${path}` };
}
