// `sigsock -a ACCOUNT daemon`: signal-cli's JSON-RPC daemon on TCP and/or a Unix socket, and, with
// --seed-socket, the seed's socket protocol in the same process over the same inbox.
import { join } from 'node:path';
import { listen, type Endpoint, type JsonRpcListener } from '../jsonrpc/server.js';
import { startSocketServer, type SocketServer } from '../socket/server.js';
import { stderrLog } from '../util/log.js';
import { dataDirOf, openMessenger, untilSignal } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { RECEIVE_POLICY_OPTIONS, receivePolicyOf } from './receivePolicy.js';
import { jsonRpcSettings, optionalValues, RECEIVE_OPTIONS, USE_DEFAULT } from './jsonRpcOptions.js';

export const DEFAULT_JSONRPC_TCP = 'localhost:7583';
const DEFAULT_SEED_PORT = 6789;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;

export const daemonCommand: Command = {
  name: 'daemon',
  summary: "serve signal-cli's JSON-RPC (--tcp, --socket) and optionally the seed socket protocol",
  usage: '-a +NUMBER daemon [--tcp[=HOST:PORT]] [--socket[=PATH]] [--seed-socket[=PORT]] [--receive-mode on-start|on-connection|manual] [--ignore-attachments]\n         [--receive-stories] [--send-read-receipts]',
  details: [
    'A drop-in for `signal-cli -a NUMBER daemon`: same methods, parameters, answers and notifications (docs/jsonrpc.md).',
    'Several transports at once; at least one is needed. Messages wait in the encrypted inbox until a client has',
    "them whole: each goes to one client, oldest first. --seed-socket also serves the seed protocol (`sigsock socket`'s)",
    'on 127.0.0.1:PORT (default 6789) from the same inbox. Runs until SIGINT or SIGTERM.',
  ].join('\n'),
  options: {
    tcp: { type: 'string', valueName: 'HOST:PORT', description: `JSON-RPC on TCP (default ${DEFAULT_JSONRPC_TCP})` },
    socket: { type: 'string', valueName: 'PATH', description: 'JSON-RPC on a Unix socket, created 0600 (default $XDG_RUNTIME_DIR/sigsock/jsonrpc.sock, else DATA_DIR/jsonrpc.sock)' },
    'seed-socket': { type: 'string', valueName: 'PORT', description: `also serve the seed socket protocol on 127.0.0.1:PORT (default ${DEFAULT_SEED_PORT})` },
    ...RECEIVE_OPTIONS,
    ...RECEIVE_POLICY_OPTIONS,
  },
  normalizeArgs: optionalValues(['tcp', 'socket', 'seed-socket']),
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`daemon takes no arguments (got "${ctx.positionals[0]}")`);
    const endpoints = endpointsOf(ctx);
    const seedPort = seedPortOf(ctx.values['seed-socket'] as string | undefined);
    if (endpoints.length === 0 && seedPort === undefined) throw new UsageError('daemon needs a transport: --tcp[=HOST:PORT], --socket[=PATH] or --seed-socket[=PORT]');
    const log = stderrLog(true);
    for (const e of endpoints) {
      if ('tcp' in e && !LOOPBACK.test(e.tcp.host)) {
        log(`warning: JSON-RPC on ${e.tcp.host} has no authentication: anyone who can reach the port can read and send this account's messages. Bind localhost, or use --socket.`);
      }
    }
    const engine = openMessenger(ctx, true, { policy: receivePolicyOf(ctx) });
    const settings = jsonRpcSettings(ctx, engine, log);
    const signals = untilSignal();
    const listeners: (JsonRpcListener | SocketServer)[] = [];
    try {
      engine.start();
      for (const endpoint of endpoints) listeners.push(await listen(endpoint, settings));
      if (seedPort !== undefined) listeners.push(await startSocketServer({ messenger: engine, port: seedPort, log }));
      const signal = await signals.promise;
      log(`${signal}: shutting down`);
      return 0;
    } finally {
      signals.dispose();
      await Promise.all(listeners.map((l) => l.close()));
      await engine.stop();
    }
  },
};

function endpointsOf(ctx: CommandContext): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const tcp = ctx.values.tcp as string | undefined;
  if (tcp !== undefined) endpoints.push({ tcp: hostPort(tcp === USE_DEFAULT ? DEFAULT_JSONRPC_TCP : tcp) });
  const socket = ctx.values.socket as string | undefined;
  if (socket !== undefined) endpoints.push({ unix: socket === USE_DEFAULT ? defaultSocketPath(dataDirOf(ctx)) : socket });
  return endpoints;
}

export function defaultSocketPath(dataDir: string, runtimeDir = process.env.XDG_RUNTIME_DIR): string {
  return runtimeDir ? join(runtimeDir, 'sigsock', 'jsonrpc.sock') : join(dataDir, 'jsonrpc.sock');
}

export function hostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new UsageError(`--tcp takes HOST:PORT (e.g. ${DEFAULT_JSONRPC_TCP}), not "${text}"`);
  return { host: match[1] ?? (match[2] || 'localhost'), port };
}

function seedPortOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === USE_DEFAULT) return DEFAULT_SEED_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--seed-socket takes a TCP port, not "${value}"`);
  return port;
}
