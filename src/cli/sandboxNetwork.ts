// `sigsock sandbox network`: only the sandbox world, as its own process, so daemons can be run,
// killed and restarted against it. Linking needs no phone: the server file names a local link
// endpoint where `sigsock link` hands in its URI, and the sandbox phone "scans" it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { startSandboxWorld } from '../sandbox/sandboxWorld.js';
import { stderrLog } from '../util/log.js';
import { untilSignal } from './accountSetup.js';
import { UsageError, type CommandContext } from './command.js';

const MAX_URI_BYTES = 4096;

export async function runSandboxNetwork(ctx: CommandContext): Promise<number> {
  const out = ctx.values.out as string | undefined;
  if (!out) throw new UsageError('sandbox network needs --out FILE (where to write the server file)');
  const port = ctx.values.port === undefined ? 0 : Number(ctx.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
  const log = stderrLog(true);
  const signals = untilSignal();
  const world = await startSandboxWorld({ port, stateDir: ctx.values['state-dir'] as string | undefined, log });
  const linkServer = createServer((req, res) => void handleLink(req, res));

  async function handleLink(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/link') {
      res.writeHead(404).end('not found\n');
      return;
    }
    let body = '';
    for await (const chunk of req) {
      body += String(chunk);
      if (body.length > MAX_URI_BYTES) {
        res.writeHead(413).end('too long\n');
        return;
      }
    }
    const uri = body.trim();
    if (!uri.startsWith('sgnl://linkdevice?')) {
      res.writeHead(400).end('expected a sgnl://linkdevice URI\n');
      return;
    }
    try {
      const device = await world.expectLink()(uri);
      res.writeHead(200).end('linked\n');
      log('sandbox: a device linked to the sandbox phone');
      await world.welcome(device);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(`${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  try {
    await new Promise<void>((resolve) => linkServer.listen(0, '127.0.0.1', resolve));
    const address = linkServer.address();
    const linkPort = typeof address === 'object' && address ? address.port : 0;
    await world.network.writeServerConfigFile(out);
    const file = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    file.sandboxLinkUrl = `http://127.0.0.1:${linkPort}/link`;
    writeFileSync(out, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    const ready = {
      ready: true,
      serverConfig: out,
      phone: world.phone.device.number,
      host: '127.0.0.1',
      port: world.network.port,
      contacts: world.contacts,
      groups: [{ name: world.group.name, groupId: world.group.groupId }],
    };
    ctx.stdout.write(JSON.stringify(ready) + '\n');
    ctx.stderr.write(
      [
        '',
        `Sandbox network on 127.0.0.1:${world.network.port}; server file: ${out}`,
        `Link a daemon (the sandbox phone scans it by itself):  sigsock --server-config ${out} link`,
        `Run it:  sigsock --server-config ${out} -a ${world.phone.device.number} socket`,
        '',
      ].join('\n'),
    );
    await signals.promise;
    return 0;
  } finally {
    signals.dispose();
    linkServer.close();
    linkServer.closeAllConnections();
    await world.close();
  }
}
