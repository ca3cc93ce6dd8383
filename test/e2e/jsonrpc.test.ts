// Issue 17's first slice through the real daemon: signal-cli's JSON-RPC on TCP and on stdio, over
// the mock network. Sending reaches the contact; a contact's message arrives as a notification;
// a subscriber that comes late gets what arrived before; a client that leaves loses nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, globalArgs, linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';
import { closedByDaemon } from './tcpStates.js';
import { startJsonRpcDaemon, stdioRpc, tcpRpc, type JsonRpcDaemon } from './jsonRpcClient.js';
import { receiveAll } from '../support/daemon.js';
import { client as seedClient } from '../support/lineClient.js';

describe('the JSON-RPC daemon (on-start mode, TCP)', () => {
  let f: LinkedFixture;
  let daemon: JsonRpcDaemon;

  before(async () => {
    f = await linkedAccount();
    daemon = await startJsonRpcDaemon(f);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('sends text to a contact (recipient as an array) with signal-cli\'s result shape', async () => {
    const c = await tcpRpc(daemon.port);
    const bob = f.bob.device;
    const res = await c.call('send', { recipient: [bob.number], message: 'hi over json-rpc' });
    assert.equal(res.jsonrpc, '2.0');
    assert.equal(typeof res.result.timestamp, 'number', JSON.stringify(res));
    assert.deepEqual(res.result.results, [{ recipientAddress: { uuid: bob.aci, number: bob.number }, type: 'SUCCESS' }]);
    const msg = await within(f.bob.waitForMessage(), 20_000, 'bob');
    assert.equal(msg.body, 'hi over json-rpc');
    c.socket.destroy();
  });

  it("send with signal-cli's quote, mention, textStyle and editTimestamp parameters", async () => {
    const c = await tcpRpc(daemon.port);
    const bob = f.bob.device;
    const sent = await c.call('send', {
      recipient: bob.number,
      message: 'Hi @ look',
      quoteTimestamp: 1700000000001,
      quoteAuthor: bob.aci,
      quoteMessage: 'question?',
      mention: [`3:1:${bob.aci}`],
      textStyle: ['5:4:ITALIC'],
    });
    assert.equal(sent.result.results[0].type, 'SUCCESS', JSON.stringify(sent));
    const got = await within(f.bob.waitForMessage(), 20_000, 'bob gets the reply');
    assert.equal(Number(got.dataMessage.quote?.id), 1700000000001);
    assert.equal(got.dataMessage.quote?.text, 'question?');
    const ranges = got.dataMessage.bodyRanges ?? [];
    assert.deepEqual(ranges.map((r) => [r.start, r.length]), [[3, 1], [5, 4]]);
    const edited = await c.call('send', { recipient: bob.number, message: 'Hi @ looked', editTimestamp: sent.result.timestamp });
    assert.equal(edited.result.results[0].type, 'SUCCESS', JSON.stringify(edited));
    const edit = await within(f.bob.waitForEditMessage(), 20_000, 'bob gets the edit');
    assert.equal(Number(edit.editMessage.targetSentTimestamp), sent.result.timestamp);
    assert.equal(edit.editMessage.dataMessage?.body, 'Hi @ looked');
    assert.equal((await c.call('send', { recipient: bob.number, message: 'x', mention: ['nope'] })).error.code, -32602);
    c.socket.destroy();
  });

  it('remoteDelete, sendTyping and sendReceipt: signal-cli\'s methods over the same commands as the socket', async () => {
    const c = await tcpRpc(daemon.port);
    const bob = f.bob.device;
    const sent = await c.call('send', { recipient: bob.number, message: 'to be taken back' });
    await within(f.bob.waitForMessage(), 20_000, 'bob gets the message');
    const deleted = await c.call('remoteDelete', { recipient: bob.number, targetTimestamp: sent.result.timestamp });
    assert.equal(deleted.result.results[0].type, 'SUCCESS', JSON.stringify(deleted));
    const deletion = await within(f.bob.waitForMessage(), 20_000, 'bob gets the delete');
    assert.equal(Number(deletion.dataMessage.delete?.targetSentTimestamp), sent.result.timestamp);
    const typing = await c.call('sendTyping', { recipient: bob.number, stop: true });
    assert.equal(typing.result.results[0].type, 'SUCCESS', JSON.stringify(typing));
    const receipt = await c.call('sendReceipt', { recipient: bob.number, targetTimestamp: [1700000000001, 1700000000002], type: 'viewed' });
    assert.equal(receipt.result.results[0].type, 'SUCCESS', JSON.stringify(receipt));
    // Delivery receipts for anything Bob sent earlier may come first: passed over.
    const viewed = async () => {
      for (;;) {
        const { receiptMessage } = await f.bob.waitForReceipt();
        if (receiptMessage.timestamp?.map(Number).includes(1700000000001)) return receiptMessage;
      }
    };
    const receiptMessage = await within(viewed(), 20_000, 'bob gets the receipt');
    assert.deepEqual(receiptMessage.timestamp!.map(Number), [1700000000001, 1700000000002]);
    assert.equal((await c.call('sendReceipt', { groupId: 'x', targetTimestamp: 1 })).error.code, -1);
    c.socket.destroy();
  });

  it("answers errors with signal-cli's codes and the request's id", async () => {
    const c = await tcpRpc(daemon.port);
    const bad = await c.call('send', { recipient: '12345', message: 'x' });
    assert.equal(bad.error.code, -1, JSON.stringify(bad));
    assert.equal((await c.call('listCalls')).error.code, -32601);
    c.write('{"jsonrpc":"2.0","method":"version","id":"v"}\n');
    const version = await c.nextLine();
    assert.deepEqual(Object.keys(version.result), ['version']);
    assert.equal(version.id, 'v');
    c.socket.destroy();
  });

  it("pushes a contact's message as a receive notification, and never to two clients", async () => {
    const first = await tcpRpc(daemon.port);
    const second = await tcpRpc(daemon.port);
    // Both are subscribed once they answered something.
    await first.call('version');
    await second.call('version');
    await f.introduce(f.carol);
    for (let i = 0; i < 6; i++) await f.carol.sendText(f.device, `to the clients ${i}`);
    const got: string[] = [];
    const collect = async (c: typeof first) => {
      for (;;) {
        const n = await c.notification(3000).catch(() => null);
        if (!n) return;
        assert.equal(n.account, f.number);
        assert.equal(n.envelope.sourceNumber, f.carol.device.number);
        assert.equal(n.envelope.sourceUuid, f.carol.device.aci);
        got.push(n.envelope.dataMessage.message);
      }
    };
    await Promise.all([collect(first), collect(second)]);
    assert.deepEqual([...got].sort(), Array.from({ length: 6 }, (_, i) => `to the clients ${i}`), 'each message once, none twice');
    first.socket.destroy();
    second.socket.destroy();
  });
});

describe('the JSON-RPC daemon in manual mode, beside the seed socket', () => {
  let f: LinkedFixture;
  let daemon: JsonRpcDaemon;
  let seedPort: number;

  before(async () => {
    f = await linkedAccount();
    daemon = await startJsonRpcDaemon(f, ['--receive-mode', 'manual', '--seed-socket=0']);
    seedPort = await waitForSeed(daemon);
    await f.introduce(f.bob);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('a late subscriber gets what arrived before it, oldest first, in the subscription wrapper', async () => {
    for (let i = 0; i < 3; i++) await f.bob.sendText(f.device, `early ${i}`);
    const c = await tcpRpc(daemon.port);
    const sub = await c.call('subscribeReceive');
    assert.equal(typeof sub.result, 'number');
    for (let i = 0; i < 3; i++) {
      const n = await c.notification();
      assert.equal(n.subscription, sub.result);
      assert.equal(n.result.envelope.dataMessage.message, `early ${i}`);
    }
    assert.deepEqual((await c.call('unsubscribeReceive', { subscription: sub.result })).result, {});
    c.socket.destroy();
  });

  it('a client that leaves loses nothing: what it did not get goes to the next one', async () => {
    const leaver = await tcpRpc(daemon.port);
    await leaver.call('subscribeReceive');
    await f.bob.sendText(f.device, 'before leaving');
    assert.equal((await leaver.notification()).result.envelope.dataMessage.message, 'before leaving');
    const leaverPort = leaver.socket.localPort!;
    leaver.socket.destroy();
    await closedByDaemon(daemon.port, leaverPort);
    for (let i = 0; i < 3; i++) await f.bob.sendText(f.device, `after leaving ${i}`);
    // The seed socket shares the inbox: it drains what the JSON-RPC client left.
    const seed = await seedClient(seedPort);
    const got = await receiveAll(seed, 3);
    assert.deepEqual(got.map((m) => m.body), ['after leaving 0', 'after leaving 1', 'after leaving 2']);
    seed.close();
  });

  it('receive (manual mode) returns the waiting messages and removes them once written', async () => {
    await f.bob.sendText(f.device, 'fetched with receive');
    const c = await tcpRpc(daemon.port);
    const res = await c.call('receive', { timeout: 10 });
    assert.deepEqual(res.result.map((r: any) => r.envelope.dataMessage.message), ['fetched with receive']);
    assert.deepEqual((await c.call('receive', { timeout: 0 })).result, []);
    c.socket.destroy();
  });
});

async function waitForSeed(daemon: JsonRpcDaemon): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = /\blistening on tcp:\/\/[^\s]*:(\d+)/.exec(daemon.stderr().split('\n').filter((l) => !l.includes('JSON-RPC')).join('\n'));
    if (m) return Number(m[1]);
    if (Date.now() > deadline) throw new Error(`no seed socket:\n${daemon.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('jsonRpc on stdin/stdout', () => {
  let f: LinkedFixture;
  let child: ChildProcess | undefined;

  before(async () => {
    f = await linkedAccount();
    await f.introduce(f.bob);
  });
  after(async () => {
    // A failed test must not leave the process running (it would keep this file from ending).
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await f?.close();
  });

  it('sends, pushes a contact\'s message, and exits 0 when stdin ends', async () => {
    child = spawn(process.execPath, [BIN, ...globalArgs(f.dataDir, f.serverFile), '-a', f.number, 'jsonRpc'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child!.once('close', (code) => r(code)));
    const c = stdioRpc(child);
    // The mock delivers only to a connected device: the send completes once jsonRpc is up.
    try {
      await within(f.bob.sendText(f.device, 'waiting for stdio'), 20_000, 'the delivery to sigsock');
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
    }
    const n = await c.notification();
    assert.equal(n.envelope.dataMessage.message, 'waiting for stdio');
    const res = await c.call('send', { recipient: f.bob.device.number, message: 'from stdio' });
    assert.equal(res.result.results[0].type, 'SUCCESS', JSON.stringify(res) + stderr);
    assert.equal((await within(f.bob.waitForMessage(), 20_000, 'bob')).body, 'from stdio');
    child.stdin!.end();
    assert.equal(await exited, 0, stderr);
  });
});
