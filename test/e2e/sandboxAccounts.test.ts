// Issue 15: two accounts registered through sigsock on one `sigsock sandbox network`, each with its
// own daemon, write to each other by ACI. The mock server dropped messages for a primary device it
// did not create; the sandbox network delivers them over that device's WebSocket and keeps them
// queued until the device acknowledges them, as Signal's server does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { twoSandboxAccounts, type TwoAccounts } from '../support/sandboxAccounts.js';
import { client, type LineClient } from '../support/lineClient.js';

interface ReceivedMessage {
  body?: unknown;
  senderUuid?: unknown;
}

describe('two sigsock accounts on one sandbox network', () => {
  let accounts: TwoAccounts;
  const alice = { number: '+15005552001', aci: '' };
  const bob = { number: '+15005552002', aci: '' };
  const daemonFor = (number: string) => accounts.daemonFor(number);

  before(async () => {
    accounts = await twoSandboxAccounts([alice.number, bob.number], 'accounts');
    alice.aci = accounts.alice.aci;
    bob.aci = accounts.bob.aci;
  });
  after(() => accounts?.close());

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
