import { UsageError, type Command } from './command.js';

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'try sigsock with no phone and no account: a local Signal network, a linked daemon, scripted contacts',
  usage: 'sandbox [--port PORT] [--jsonrpc-port PORT] [--http-port PORT] [--state-dir DIR]  |  sandbox network --out FILE [--port PORT]',
  details: [
    'Starts Signal\'s own mock server on 127.0.0.1, a phone account, the contacts Echo and Greeter and the',
    '"Sandbox group", links a sigsock daemon to the phone and serves the socket protocol on --port (6789)',
    "and signal-cli's JSON-RPC on --jsonrpc-port (7583) and over HTTP on --http-port (8080), all over the same inbox.",
    'Echo answers every text with the same text, returns every attachment and reacts 👍 to every message',
    '(in the group too); Greeter says hello right after start. When ready, one JSON line goes to stdout.',
    '',
    'A sandbox is not resumed: its Signal network lives in memory, so each run has a new account and new contacts.',
    '--state-dir keeps the run\'s files for inspection after it stops; a second run refuses a directory that is',
    'not empty (use a new one, or remove the old one). Started through npx, the sandbox stops when npx does.',
    '',
    '`sandbox network --out FILE` runs only the network (phone, Echo, Greeter, group) and writes a server',
    'file; then `sigsock --server-config FILE link` links a daemon to the sandbox phone by itself, and',
    '`sigsock --server-config FILE -a NUMBER socket` runs it as a separate process.',
  ].join('\n'),
  options: {
    port: { type: 'string', short: 'p', valueName: 'PORT', description: 'socket protocol port (default 6789); with `network`: the mock server port (default: any free)' },
    'jsonrpc-port': { type: 'string', valueName: 'PORT', description: "signal-cli's JSON-RPC port (default 7583; 0 picks a free one); not with `network`" },
    'http-port': { type: 'string', valueName: 'PORT', description: "signal-cli's JSON-RPC over HTTP (POST /api/v1/rpc, GET /api/v1/events; default 8080; 0 picks a free one); not with `network`" },
    'state-dir': { type: 'string', valueName: 'DIR', description: 'keep this run\'s files here for inspection, not resumed; must be new or empty (default: a temporary directory, removed at exit)' },
    out: { type: 'string', short: 'o', valueName: 'FILE', description: 'with `network`: where to write the server file' },
  },
  async run(ctx) {
    // Imported on demand: the mock server is heavy and no other command needs it.
    if (ctx.positionals[0] === 'network') return (await import('./sandboxNetwork.js')).runSandboxNetwork(ctx);
    if (ctx.positionals.length > 0) throw new UsageError(`unknown sandbox mode "${ctx.positionals[0]}"`);
    return (await import('./sandboxRun.js')).runFullSandbox(ctx);
  },
};
