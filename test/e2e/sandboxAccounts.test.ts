// Issue 15: two accounts registered through sigsock on one `sigsock sandbox network`, each with its
// own daemon, write to each other by ACI. The mock server dropped messages for a primary device it
// did not create; the sandbox network delivers them over that device's WebSocket and keeps them
// queued until the device acknowledges them, as Signal's server does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, globalArgs, MOCK_CODE, runCli } from '../support/harness.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { client, type LineClient } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';

interface ReceivedMessage {
  body?: unknown;
  senderUuid?: unknown;
}

describe('two sigsock accounts on one sandbox network', () => {
  let network: ChildProcess;
  let dir: string;
  let g: string[];
  const alice = { number: '+15005552001', aci: '' };
  const bob = { number: '+15005552002', aci: '' };

  const register = async (number: string): Promise<string> => {
    const requested = await runCli([...g, '-a', number, 'register', '--captcha', 'x']);
    assert.equal(requested.code, 0, requested.stderr);
    const verified = await runCli([...g, '-a', number, 'verify', MOCK_CODE]);
    assert.equal(verified.code, 0, verified.stderr);
    const aci = /ACI ([0-9a-f-]{36})/.exec(verified.stdout)?.[1];
    assert.ok(aci, `verify printed the ACI: ${verified.stdout}`);
    return aci;
  };
  const daemonFor = (number: string): Promise<Daemon> =>
    startDaemon({ spawn: (args) => spawn(process.execPath, [BIN, ...g, '-a', number, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigsock-accounts-'));
    const serverFile = join(dir, 'server.json');
    g = globalArgs(join(dir, 'data'), serverFile);
    network = spawn(process.execPath, [BIN, 'sandbox', 'network', '--out', serverFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    network.stderr!.resume();
    await within(
      new Promise((resolve) => createInterface({ input: network.stdout! }).once('line', resolve)),
      20_000,
      'the network to be ready',
    );
    alice.aci = await register(alice.number);
    bob.aci = await register(bob.number);
  });
  after(() => {
    if (network.exitCode === null) network.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('A and B write to each other by ACI, and a message sent while B is down arrives when B is back', async () => {
    const aliceDaemon = await daemonFor(alice.number);
    let bobDaemon = await daemonFor(bob.number);
    const a = await client(aliceDaemon.port);
    let b = await client(bobDaemon.port);
    try {
      await send(a, bob.aci, 'hello Bob, from Alice');
      assert.deepEqual(await receiveFrom(b, 'hello Bob, from Alice'), { body: 'hello Bob, from Alice', senderUuid: alice.aci });

      await send(b, alice.aci, 'hello Alice, from Bob');
      assert.deepEqual(await receiveFrom(a, 'hello Alice, from Bob'), { body: 'hello Alice, from Bob', senderUuid: bob.aci });

      b.close();
      assert.equal(await bobDaemon.stop(), 0);
      await send(a, bob.aci, 'sent while Bob was away');
      bobDaemon = await daemonFor(bob.number);
      b = await client(bobDaemon.port);
      assert.deepEqual(await receiveFrom(b, 'sent while Bob was away'), { body: 'sent while Bob was away', senderUuid: alice.aci });
    } finally {
      a.close();
      b.close();
      assert.equal(await aliceDaemon.stop(), 0);
      assert.equal(await bobDaemon.stop(), 0);
    }
  });
});

async function send(c: LineClient, recipient: string, message: string): Promise<void> {
  const sent = await c.request({ command: 'send_message', recipient, dataMessage: { message } });
  assert.equal(sent.statusCode, 0, JSON.stringify(sent));
}

/** Reads messages until one has `body`; returns its body and sender, or fails with what came instead. */
async function receiveFrom(c: LineClient, body: string, timeoutMs = 20_000): Promise<ReceivedMessage> {
  const seen: ReceivedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await c.request({ command: 'receive_messages', timeout: Math.min(2000, Math.max(0, deadline - Date.now())) });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    for (const m of res.messages as ReceivedMessage[]) {
      if (m.body === body) return { body: m.body, senderUuid: m.senderUuid };
      seen.push(m);
    }
  }
  assert.fail(`no message "${body}" within ${timeoutMs} ms; got ${JSON.stringify(seen)}`);
}
