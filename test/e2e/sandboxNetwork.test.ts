// Issue 5's second mode: `sigsock sandbox network` as its own process; a daemon links to it with
// the plain CLI, runs as a separate process, is killed with SIGKILL and restarted, and nothing
// addressed to it is lost.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, globalArgs, runCli } from '../support/harness.js';
import { startDaemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';

interface NetworkReady {
  phone: string;
  contacts: { name: string; number: string; uuid: string }[];
  groups: { groupId: string }[];
}

describe('sigsock sandbox network', () => {
  let network: ChildProcess;
  let ready: NetworkReady;
  let dir: string;
  let g: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigsock-net-'));
    const serverFile = join(dir, 'server.json');
    g = globalArgs(join(dir, 'data'), serverFile);
    network = spawn(process.execPath, [BIN, 'sandbox', 'network', '--out', serverFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    network.stderr!.resume();
    ready = await within(
      new Promise<NetworkReady>((resolve) => createInterface({ input: network.stdout! }).once('line', (l) => resolve(JSON.parse(l) as NetworkReady))),
      20_000,
      'the network to be ready',
    );
  });
  after(() => {
    if (network.exitCode === null) network.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('links with the plain CLI, and the sandbox phone completes it by itself', async () => {
    const res = await runCli([...g, 'link', '--name', 'separate']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`Linked: \\${ready.phone}`));
  });

  it('survives kill -9 of the daemon: messages that arrive meanwhile come after the restart', async () => {
    const spawnDaemon = { spawn: (args: string[]) => spawn(process.execPath, [BIN, ...g, '-a', ready.phone, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) };
    const echo = ready.contacts.find((c) => c.name === 'Echo')!;
    const first = await startDaemon(spawnDaemon);
    const c1 = await client(first.port);
    const sent = await c1.request({ command: 'send_message', recipient: echo.number, dataMessage: { message: 'before the crash' } });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    c1.close();
    await first.stop('SIGKILL');

    const second = await startDaemon(spawnDaemon);
    const c2 = await client(second.port);
    const entries: { body: unknown; sender: unknown; senderName?: unknown }[] = [];
    const bodies = () => entries.map((m) => m.body);
    const deadline = Date.now() + 20_000;
    while (!bodies().includes('before the crash') && Date.now() < deadline) {
      const res = await c2.request({ command: 'receive_messages', timeout: 2000 });
      entries.push(...(res.messages as typeof entries));
    }
    assert.ok(bodies().includes('before the crash'), `Echo's answer arrived after the restart: ${JSON.stringify(bodies())}`);
    const hello = entries.find((m) => typeof m.body === 'string' && m.body.startsWith('Hello from Greeter'));
    assert.ok(hello, "Greeter's hello is there too");
    // It arrived while linking, before the phone's contact list: its number is filled in when taken.
    const greeter = ready.contacts.find((c) => c.name === 'Greeter')!;
    assert.deepEqual([hello.sender, hello.senderName], [greeter.number, 'Greeter']);
    c2.close();
    assert.equal(await second.stop(), 0);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => network.once('exit', (code) => r(code)));
    network.kill('SIGTERM');
    assert.equal(await within(exited, 5000, 'the network to exit'), 0);
  });
});
