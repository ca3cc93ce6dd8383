// The JSON-RPC contact methods over the fake engine: signal-cli's parameter names mapped onto the
// engine's commands, its result shapes, and refusals of what sigsock does not support.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { METHODS, type MethodContext } from '../../src/jsonrpc/methods/index.js';
import { Params } from '../../src/jsonrpc/params.js';
import type { AccountEngine } from '../../src/messenger/commands/index.js';
import { FakeEngine } from '../support/fakeEngine.js';

const BOB = { number: '+15550002222', uuid: '11111111-2222-4333-8444-555555555555' };
const GROUP = Buffer.alloc(32, 5).toString('base64');

function call(engine: FakeEngine, method: string, params: Record<string, unknown>): Promise<unknown> {
  const ctx = { engine: engine as unknown as AccountEngine, account: '+15550001111', dataDir: '/nonexistent', maxAttachmentBytes: 0 } as unknown as MethodContext;
  return METHODS[method]!(Params.of(params, method), ctx);
}

test('listContacts answers JsonContact-shaped objects, filtered by recipient and blocked', async () => {
  const engine = new FakeEngine();
  engine.contacts = [
    { number: BOB.number, uuid: BOB.uuid, name: 'Bob', contactName: 'Bob', profileName: 'Bobby B', profile: { givenName: 'Bobby', familyName: 'B' }, isBlocked: true, messageExpirationTime: 60 },
    { number: '+15550003333', uuid: null, name: null, contactName: null, profileName: null, profile: null, isBlocked: false, messageExpirationTime: 0 },
  ];
  const [bob] = (await call(engine, 'listContacts', { recipient: [BOB.number] })) as Record<string, any>[];
  assert.equal(bob.number, BOB.number);
  assert.equal(bob.uuid, BOB.uuid);
  assert.equal(bob.name, 'Bob');
  assert.equal(bob.isBlocked, true);
  assert.equal(bob.messageExpirationTime, 60);
  assert.deepEqual({ givenName: bob.profile.givenName, familyName: bob.profile.familyName }, { givenName: 'Bobby', familyName: 'B' });
  assert.deepEqual(((await call(engine, 'listContacts', { blocked: false })) as { number: string }[]).map((c) => c.number), ['+15550003333']);
  await assert.rejects(call(engine, 'listContacts', { name: 'Bob' }), /"name" is not supported/);
});

test('block, unblock, getUserStatus, updateContact and sendMessageRequestResponse map onto the engine', async () => {
  const engine = new FakeEngine();
  assert.deepEqual(await call(engine, 'block', { recipient: [BOB.number], groupId: GROUP }), {});
  assert.deepEqual(await call(engine, 'unblock', { recipients: [BOB.uuid] }), {});
  assert.deepEqual(engine.blockChanges, [
    { recipients: [BOB.number], groupIds: [GROUP], blocked: true },
    { recipients: [BOB.uuid], groupIds: [], blocked: false },
  ]);
  await assert.rejects(call(engine, 'block', {}), /at least one recipient/);
  assert.deepEqual(await call(engine, 'getUserStatus', { recipient: BOB.number }), [{ recipient: BOB.number, number: BOB.number, uuid: null, isRegistered: false }]);
  await assert.rejects(call(engine, 'getUserStatus', { recipient: BOB.uuid }), /not a valid phone number/);
  assert.deepEqual(await call(engine, 'updateContact', { recipient: BOB.number, givenName: 'Bob', familyName: 'Builder' }), {});
  await assert.rejects(call(engine, 'updateContact', { recipient: BOB.number, name: 'x', note: 'n' }), /"note" is not supported/);
  assert.deepEqual(await call(engine, 'sendMessageRequestResponse', { recipient: BOB.number, type: 'ACCEPT' }), {});
  await assert.rejects(call(engine, 'sendMessageRequestResponse', { recipient: BOB.number, type: 'later' }), /type must be one of accept, delete, block/);
});
