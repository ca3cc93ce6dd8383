// `sigsock sandbox`: the full sandbox in one process. Loaded only when that command runs, because
// the mock server and its own libsignal build are heavy and the daemon never needs them.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountMessenger } from '../messenger/accountMessenger.js';
import { linkAccount } from '../messenger/linkAccount.js';
import { startSandboxWorld, type SandboxWorld } from '../sandbox/sandboxWorld.js';
import { listen as listenJsonRpc, type JsonRpcListener } from '../jsonrpc/server.js';
import { listenHttp } from '../jsonrpc/http.js';
import { startSocketServer } from '../socket/server.js';
import { stderrLog } from '../util/log.js';
import { untilSignal } from './accountSetup.js';
import { UsageError, type CommandContext } from './command.js';
import { advisingOnPortInUse } from './portAdvice.js';
import { checkPortFree } from '../socket/portInUse.js';
import { jsonRpcSettingsFor } from './jsonRpcOptions.js';

const DEFAULT_JSONRPC_PORT = 7583;
/** signal-cli's daemon's `--http` port. */
const DEFAULT_HTTP_PORT = 8080;

export async function runFullSandbox(ctx: CommandContext): Promise<number> {
  const port = ctx.values.port === undefined ? 6789 : Number(ctx.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
  const jsonRpcPort = portOption(ctx, 'jsonrpc-port', DEFAULT_JSONRPC_PORT);
  const httpPort = portOption(ctx, 'http-port', DEFAULT_HTTP_PORT);
  const log = stderrLog(ctx.global.verbose);
  const keptDir = ctx.values['state-dir'] as string | undefined;
  if (keptDir !== undefined) refuseEarlierRun(keptDir);
  const stateDir = keptDir ?? mkdtempSync(join(tmpdir(), 'sigsock-sandbox-'));
  const temporary = keptDir === undefined;
  const signals = untilSignal();
  let world: SandboxWorld | undefined;
  let messenger: AccountMessenger | undefined;
  let server: Awaited<ReturnType<typeof startSocketServer>> | undefined;
  let jsonRpc: JsonRpcListener | undefined;
  let http: JsonRpcListener | undefined;
  try {
    // Found before the network starts and the account links, which take seconds.
    await advisingOnPortInUse(() => checkPortFree('127.0.0.1', port));
    await advisingOnPortInUse(() => checkPortFree('127.0.0.1', jsonRpcPort), '--jsonrpc-port');
    await advisingOnPortInUse(() => checkPortFree('127.0.0.1', httpPort), '--http-port');
    world = await startSandboxWorld({ stateDir: join(stateDir, 'network'), log });
    const answer = world.expectLink();
    let linkedDevice: ReturnType<typeof answer> | undefined;
    const dataDir = join(stateDir, 'data');
    const linked = await linkAccount({
      dataDir,
      serverConfig: world.network.serverConfig,
      deviceName: 'sigsock sandbox',
      trustMode: ctx.global.trustNewIdentities,
      log,
      onLinkUri: (uri) => {
        linkedDevice = answer(uri);
      },
    });
    const device = await linkedDevice!;
    const opened = AccountMessenger.open({ dataDir, number: linked.number, serverConfig: world.network.serverConfig, trustMode: ctx.global.trustNewIdentities, log });
    messenger = opened;
    opened.start();
    await world.welcome(device);
    await messenger.waitForGroup(world.group.groupId, 10_000);
    server = await advisingOnPortInUse(() => startSocketServer({ messenger: opened, host: '127.0.0.1', port, log }));
    // signal-cli's JSON-RPC beside the seed protocol, over the same inbox (docs/jsonrpc.md).
    const settings = jsonRpcSettingsFor({ engine: opened, account: linked.number, dataDir, receiveMode: 'on-start', ignoreAttachments: false, log });
    jsonRpc = await listenJsonRpc({ tcp: { host: '127.0.0.1', port: jsonRpcPort } }, settings);
    http = await listenHttp({ host: '127.0.0.1', port: httpPort }, settings);
    const ready = {
      ready: true,
      account: linked.number,
      // For supervisors and tests: `npx` puts npm and a shell between them and this process.
      pid: process.pid,
      host: '127.0.0.1',
      port: server.port ?? port,
      jsonRpcPort: jsonRpc.port ?? jsonRpcPort,
      httpPort: http.port ?? httpPort,
      contacts: world.contacts,
      groups: [{ name: world.group.name, groupId: world.group.groupId }],
    };
    ctx.stdout.write(JSON.stringify(ready) + '\n');
    ctx.stderr.write(helpText(ready, world));
    const reason = await signals.promise;
    stderrLog(true)(`${reason}: shutting down`);
    return 0;
  } finally {
    signals.dispose();
    await http?.close().catch(() => {});
    await jsonRpc?.close().catch(() => {});
    await server?.close().catch(() => {});
    await messenger?.stop().catch(() => {});
    await world?.close().catch(() => {});
    if (temporary) rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * A sandbox is not resumed: the mock network keeps its accounts in memory, so the account in an
 * earlier run's database could never connect again, and starting over in the same directory would
 * leave a confusing mix. The directory is kept for inspection; a new run needs a new (or empty) one.
 */
function refuseEarlierRun(dir: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  throw new UsageError(
    `--state-dir ${dir} already holds an earlier sandbox run. A sandbox is not resumed (its Signal network lives in memory, ` +
      'so that account cannot connect again); the directory is kept for you to inspect. Start a new sandbox with another ' +
      `--state-dir, or remove ${dir} first`,
  );
}

function portOption(ctx: CommandContext, name: string, defaultPort: number): number {
  const port = ctx.values[name] === undefined ? defaultPort : Number(ctx.values[name]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${name} must be a TCP port number`);
  return port;
}

function helpText({ port, jsonRpcPort, httpPort }: { port: number; jsonRpcPort: number; httpPort: number }, world: SandboxWorld): string {
  const echo = world.contacts.find((c) => c.name === 'Echo')!;
  return [
    '',
    `sigsock sandbox is ready on 127.0.0.1:${port}. Try:`,
    `  echo "{command:'receive_messages'}" | socat -t 2 - TCP:localhost:${port}`,
    `  echo "{command:'send_message', recipient:'${echo.number}', dataMessage:{message:'hi'}}" | socat -t 2 - TCP:localhost:${port}`,
    `  echo "{command:'send_message', groupId:'${world.group.groupId}', dataMessage:{message:'hi all'}}" | socat -t 2 - TCP:localhost:${port}`,
    '(nc works too: nc -q 2 localhost PORT).',
    `signal-cli's JSON-RPC is on 127.0.0.1:${jsonRpcPort}; new messages are pushed to its clients as notifications`,
    '(not to one that has closed its sending side, so keep stdin open a moment):',
    `  (echo '{"jsonrpc":"2.0","method":"send","params":{"recipient":["${echo.number}"],"message":"hi"},"id":1}'; sleep 2) | nc -q 1 localhost ${jsonRpcPort}`,
    `and over HTTP on 127.0.0.1:${httpPort} (the event stream gets the notifications):`,
    `  curl -sN localhost:${httpPort}/api/v1/events &`,
    `  curl -s localhost:${httpPort}/api/v1/rpc -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","method":"send","params":{"recipient":["${echo.number}"],"message":"hi"},"id":1}'`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}
