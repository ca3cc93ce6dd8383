// Issue 16 over signal-cli's JSON-RPC, through the real daemon: listContacts with the phone's names,
// block/unblock changing what is pushed, getUserStatus, and a notification's sourceName.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';
import { startJsonRpcDaemon, tcpRpc, type JsonRpcDaemon, type RpcClient } from './jsonRpcClient.js';

describe('contacts over JSON-RPC', () => {
  let f: LinkedFixture;
  let daemon: JsonRpcDaemon;
  let c: RpcClient & { socket: import('node:net').Socket };

  before(async () => {
    f = await linkedAccount();
    daemon = await startJsonRpcDaemon(f);
    c = await tcpRpc(daemon.port);
    await f.introduce(f.bob);
    await f.introduce(f.carol);
  });
  after(async () => {
    c?.socket.destroy();
    await daemon?.stop();
    await f?.close();
  });

  /** Pushed messages until one with `text` (the ones before it are returned too). */
  const pushedUntil = async (text: string): Promise<Record<string, any>[]> => {
    const got: Record<string, any>[] = [];
    while (!got.some((n) => n.envelope?.dataMessage?.message === text)) got.push(await c.notification(20_000));
    return got.filter((n) => n.envelope?.dataMessage);
  };

  it('listContacts, getUserStatus, and sourceName on a pushed message', async () => {
    const listed = await c.call('listContacts', { recipient: [f.bob.device.number] });
    assert.equal(listed.result.length, 1, JSON.stringify(listed));
    assert.deepEqual({ name: listed.result[0].name, uuid: listed.result[0].uuid, isBlocked: listed.result[0].isBlocked }, { name: 'Bob', uuid: f.bob.device.aci, isBlocked: false });
    const status = await c.call('getUserStatus', { recipient: [f.carol.device.number, '+15550000000'] });
    assert.deepEqual(status.result, [
      { recipient: f.carol.device.number, number: f.carol.device.number, uuid: f.carol.device.aci, isRegistered: true },
      { recipient: '+15550000000', number: '+15550000000', uuid: null, isRegistered: false },
    ]);
    await f.bob.sendText(f.device, 'named over json-rpc');
    const [pushed] = await pushedUntil('named over json-rpc');
    assert.equal(pushed.envelope.sourceName, 'Bob');
  });

  it('block drops what the contact sends; unblock lets it through', async () => {
    assert.deepEqual((await c.call('block', { recipient: [f.bob.device.number] })).result, {});
    assert.equal((await c.call('listContacts', { blocked: true })).result[0]?.uuid, f.bob.device.aci);
    await within(f.bob.sendText(f.device, 'blocked over json-rpc'), 20_000, 'bob is acked');
    await f.carol.sendText(f.device, 'carol over json-rpc');
    assert.deepEqual((await pushedUntil('carol over json-rpc')).map((n) => n.envelope.dataMessage.message), ['carol over json-rpc']);
    assert.deepEqual((await c.call('unblock', { recipient: f.bob.device.aci })).result, {});
    await f.bob.sendText(f.device, 'unblocked over json-rpc');
    assert.deepEqual((await pushedUntil('unblocked over json-rpc')).map((n) => n.envelope.dataMessage.message), ['unblocked over json-rpc']);
  });
});
