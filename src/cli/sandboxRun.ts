// `sigsock sandbox`: the full sandbox in one process. Loaded only when that command runs, because
// the mock server and its own libsignal build are heavy and the daemon never needs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountMessenger } from '../messenger/accountMessenger.js';
import { linkAccount } from '../messenger/linkAccount.js';
import { startSandboxWorld, type SandboxWorld } from '../sandbox/sandboxWorld.js';
import { startSocketServer } from '../socket/server.js';
import { stderrLog } from '../util/log.js';
import { untilSignal } from './accountSetup.js';
import { UsageError, type CommandContext } from './command.js';

export async function runFullSandbox(ctx: CommandContext): Promise<number> {
  const port = ctx.values.port === undefined ? 6789 : Number(ctx.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
  const log = stderrLog(ctx.global.verbose);
  const stateDir = (ctx.values['state-dir'] as string | undefined) ?? mkdtempSync(join(tmpdir(), 'sigsock-sandbox-'));
  const temporary = ctx.values['state-dir'] === undefined;
  const signals = untilSignal();
  let world: SandboxWorld | undefined;
  let messenger: AccountMessenger | undefined;
  let server: Awaited<ReturnType<typeof startSocketServer>> | undefined;
  try {
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
    messenger = AccountMessenger.open({ dataDir, number: linked.number, serverConfig: world.network.serverConfig, trustMode: ctx.global.trustNewIdentities, log });
    messenger.start();
    await world.welcome(device);
    await messenger.waitForGroup(world.group.groupId, 10_000);
    server = await startSocketServer({ messenger, host: '127.0.0.1', port, log });
    const ready = {
      ready: true,
      account: linked.number,
      host: '127.0.0.1',
      port: server.port ?? port,
      contacts: world.contacts,
      groups: [{ name: world.group.name, groupId: world.group.groupId }],
    };
    ctx.stdout.write(JSON.stringify(ready) + '\n');
    ctx.stderr.write(helpText(ready.port, world));
    await signals.promise;
    return 0;
  } finally {
    signals.dispose();
    await server?.close().catch(() => {});
    await messenger?.stop().catch(() => {});
    await world?.close().catch(() => {});
    if (temporary) rmSync(stateDir, { recursive: true, force: true });
  }
}

function helpText(port: number, world: SandboxWorld): string {
  const echo = world.contacts.find((c) => c.name === 'Echo')!;
  return [
    '',
    `sigsock sandbox is ready on 127.0.0.1:${port}. Try:`,
    `  echo "{command:'receive_messages'}" | socat -t 2 - TCP:localhost:${port}`,
    `  echo "{command:'send_message', recipient:'${echo.number}', dataMessage:{message:'hi'}}" | socat -t 2 - TCP:localhost:${port}`,
    `  echo "{command:'send_message', groupId:'${world.group.groupId}', dataMessage:{message:'hi all'}}" | socat -t 2 - TCP:localhost:${port}`,
    '(nc works too: nc -q 2 localhost PORT). Stop with Ctrl-C.',
    '',
  ].join('\n');
}
