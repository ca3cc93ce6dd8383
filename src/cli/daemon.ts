// `sigsock -a ACCOUNT daemon`: signal-cli's JSON-RPC daemon on TCP, a Unix socket and/or HTTP, and,
// with --seed-socket, the seed's socket protocol in the same process over the same inbox.
import { join } from 'node:path';
import { DEFAULT_HTTP, listenHttp } from '../jsonrpc/http.js';
import { listen, type Endpoint, type JsonRpcListener, type NetworkSecurity } from '../jsonrpc/server.js';
import { startSocketServer, type SocketServer } from '../socket/server.js';
import { stderrLog } from '../util/log.js';
import { tokenCheck } from '../util/tokenCheck.js';
import { dataDirOf, untilSignal } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { optionalValues, RECEIVE_OPTIONS, USE_DEFAULT } from './jsonRpcOptions.js';
import { readAuthToken, readTls, SECURITY_OPTIONS, warnAboutExposure } from './securityOptions.js';
import { isMultiAccount, openServedAccounts } from './servedAccounts.js';
import { RECEIVE_POLICY_OPTIONS, receivePolicyOf } from './receivePolicy.js';

export const DEFAULT_JSONRPC_TCP = 'localhost:7583';
const DEFAULT_SEED_PORT = 6789;

export const daemonCommand: Command = {
  name: 'daemon',
  summary: "serve signal-cli's JSON-RPC (--tcp, --socket, --http) and optionally the seed socket protocol",
  usage: '[-a +NUMBER] daemon [--tcp[=HOST:PORT]] [--socket[=PATH]] [--http[=HOST:PORT]] [--seed-socket[=PORT]] [--auth-token-file FILE] [--tls-cert FILE --tls-key FILE] [--receive-mode on-start|on-connection|manual] [--ignore-attachments]\n         [--receive-stories | --ignore-stories] [--send-read-receipts]',
  details: [
    'A drop-in for `signal-cli -a NUMBER daemon`: same methods, parameters, answers and notifications (docs/jsonrpc.md).',
    'HTTP: POST /api/v1/rpc, GET /api/v1/events (SSE), GET /api/v1/check. --auth-token-file and --tls-* apply to TCP,',
    'HTTP and --seed-socket; on TCP send {"jsonrpc":"2.0","method":"auth","params":{"token":"TOKEN"},"id":1} first.',
    'Several transports at once; at least one is needed. Messages wait in the encrypted inbox until a client has',
    "them whole: each goes to one client, oldest first. --seed-socket also serves the seed protocol (`sigsock socket`'s)",
    'on 127.0.0.1:PORT (default 6789) from the same inbox. Runs until SIGINT or SIGTERM.',
    'Without -a: every account of the data directory (multi-account mode), each request naming params.account.',
  ].join('\n'),
  jsonOutput: true,
  options: {
    tcp: { type: 'string', valueName: 'HOST:PORT', description: `JSON-RPC on TCP (default ${DEFAULT_JSONRPC_TCP})` },
    http: { type: 'string', valueName: 'HOST:PORT', description: `JSON-RPC over HTTP (default ${DEFAULT_HTTP})` },
    socket: { type: 'string', valueName: 'PATH', description: 'JSON-RPC on a Unix socket, created 0600 (default $XDG_RUNTIME_DIR/sigsock/jsonrpc.sock, else DATA_DIR/jsonrpc.sock)' },
    'seed-socket': { type: 'string', valueName: 'PORT', description: `also serve the seed socket protocol on 127.0.0.1:PORT (default ${DEFAULT_SEED_PORT})` },
    ...SECURITY_OPTIONS,
    ...RECEIVE_OPTIONS,
    ...RECEIVE_POLICY_OPTIONS,
  },
  normalizeArgs: optionalValues(['tcp', 'socket', 'http', 'seed-socket']),
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`daemon takes no arguments (got "${ctx.positionals[0]}")`);
    const endpoints = endpointsOf(ctx);
    const seedPort = seedPortOf(ctx.values['seed-socket'] as string | undefined);
    const http = httpOf(ctx);
    if (endpoints.length === 0 && http === undefined && seedPort === undefined) throw new UsageError('daemon needs a transport: --tcp[=HOST:PORT], --socket[=PATH], --http[=HOST:PORT] or --seed-socket[=PORT]');
    if (seedPort !== undefined && isMultiAccount(ctx)) throw new UsageError('--seed-socket serves one account: give -a +NUMBER');
    const log = stderrLog(true);
    const { security, authToken } = securityOf(ctx, log);
    for (const e of endpoints) if ('tcp' in e) warnAboutExposure(e.tcp.host, security.token !== undefined, security.tls !== undefined, log);
    if (http) warnAboutExposure(http.host, security.token !== undefined, security.tls !== undefined, log);
    const served = openServedAccounts(ctx, log, true, receivePolicyOf(ctx));
    const { settings, engine } = served;
    const signals = untilSignal();
    const listeners: (JsonRpcListener | SocketServer)[] = [];
    try {
      served.start();
      for (const endpoint of endpoints) listeners.push(await listen(endpoint, settings, 'tcp' in endpoint ? security : {}));
      if (http) listeners.push(await listenHttp(http, settings, security));
      if (seedPort !== undefined && engine) listeners.push(await startSocketServer({ messenger: engine, port: seedPort, log, authToken, tls: security.tls }));
      const signal = await signals.promise;
      log(`${signal}: shutting down`);
      return 0;
    } finally {
      signals.dispose();
      await Promise.all(listeners.map((l) => l.close()));
      await served.stop();
    }
  },
};

function endpointsOf(ctx: CommandContext): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const tcp = ctx.values.tcp as string | undefined;
  if (tcp !== undefined) endpoints.push({ tcp: hostPort(tcp === USE_DEFAULT ? DEFAULT_JSONRPC_TCP : tcp, '--tcp') });
  const socket = ctx.values.socket as string | undefined;
  if (socket !== undefined) endpoints.push({ unix: socket === USE_DEFAULT ? defaultSocketPath(dataDirOf(ctx)) : socket });
  return endpoints;
}

export function defaultSocketPath(dataDir: string, runtimeDir = process.env.XDG_RUNTIME_DIR): string {
  return runtimeDir ? join(runtimeDir, 'sigsock', 'jsonrpc.sock') : join(dataDir, 'jsonrpc.sock');
}

function httpOf(ctx: CommandContext): { host: string; port: number } | undefined {
  const http = ctx.values.http as string | undefined;
  return http === undefined ? undefined : hostPort(http === USE_DEFAULT ? DEFAULT_HTTP : http, '--http');
}

/** The token and TLS of the network transports (TCP, HTTP, the seed socket); the Unix socket is guarded by its mode. */
function securityOf(ctx: CommandContext, log: (line: string) => void): { security: NetworkSecurity; authToken: string | undefined } {
  const authToken = readAuthToken(ctx, log);
  const tls = readTls(ctx, undefined, log);
  if (authToken !== undefined) log('clients on TCP, HTTP and the seed socket must authenticate with the token from --auth-token-file');
  return { security: { token: authToken === undefined ? undefined : tokenCheck(authToken), tls }, authToken };
}

export function hostPort(text: string, option: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new UsageError(`${option} takes HOST:PORT (e.g. ${option === '--http' ? DEFAULT_HTTP : DEFAULT_JSONRPC_TCP}), not "${text}"`);
  return { host: match[1] ?? (match[2] || 'localhost'), port };
}

function seedPortOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === USE_DEFAULT) return DEFAULT_SEED_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--seed-socket takes a TCP port, not "${value}"`);
  return port;
}
