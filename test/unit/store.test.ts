// The encrypted account store: schema from an empty file, every record type round-trips,
// batches commit atomically, the file is encrypted. (Opening it: accountFiles.test.ts.)
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Direction,
  IdentityChange,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  ProtocolAddress,
  SenderKeyDistributionMessage,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';
import { AccountStore } from '../../src/store/accountStore.js';
import { textRecord } from '../support/inboxRecords.js';

const NUMBER = '+15551230000';
const identity = PrivateKey.generate();

function account() {
  return {
    aci: '11111111-2222-4333-8444-555555555555',
    pni: '66666666-7777-4888-8999-aaaaaaaaaaaa',
    number: NUMBER,
    deviceId: 2,
    password: 'pw',
    aciRegistrationId: 123,
    pniRegistrationId: 456,
    aciIdentityKey: identity.serialize(),
    pniIdentityKey: PrivateKey.generate().serialize(),
    profileKey: new Uint8Array(32).fill(7),
    masterKey: null,
    accountEntropyPool: null,
  };
}

describe('account store', () => {
  let dir: string;
  let store: AccountStore;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sigsock-store-')), 'data');
    store = AccountStore.create({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use' });
    store.account.saveAccount(account());
  });
  afterEach(() => {
    store.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  const reopen = (trustMode: 'on-first-use' | 'always' | 'never' = 'on-first-use') => {
    store.close();
    store = AccountStore.open({ dataDir: dir, number: NUMBER, trustMode });
  };

  it('creates the schema in an empty file, a 0700 directory and a 0600 key file', () => {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'db.key')).mode & 0o777, 0o600);
    reopen();
    assert.deepEqual([...store.account.getAccount()!.profileKey!], [...new Uint8Array(32).fill(7)]);
    assert.equal(store.account.getAccount()?.deviceId, 2);
  });

  it('round-trips sessions, prekeys, signed and Kyber prekeys, sender keys and identities', async () => {
    const kinds = store.protocolBatch('aci');
    const pre = PreKeyRecord.new(5, PrivateKey.generate().getPublicKey(), PrivateKey.generate());
    const signedPriv = PrivateKey.generate();
    const signed = SignedPreKeyRecord.new(6, 1, signedPriv.getPublicKey(), signedPriv, identity.sign(signedPriv.getPublicKey().serialize()));
    const kem = KEMKeyPair.generate();
    const kyber = KyberPreKeyRecord.new(7, 1, kem, identity.sign(kem.getPublicKey().serialize()));
    await kinds.stores.preKey.savePreKey(5, pre);
    await kinds.stores.signedPreKey.saveSignedPreKey(6, signed);
    await kinds.stores.kyberPreKey.saveKyberPreKey(7, kyber);
    const bob = ProtocolAddress.new('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 1);
    const bobKey = PrivateKey.generate().getPublicKey();
    assert.equal(await kinds.stores.identity.saveIdentity(bob, bobKey), IdentityChange.NewOrUnchanged);
    const distribution = '12345678-1234-4234-8234-123456789abc';
    await SenderKeyDistributionMessage.create(bob, distribution, kinds.stores.senderKey);
    kinds.commit();

    reopen();
    const again = store.protocolBatch('aci').stores;
    assert.deepEqual((await again.preKey.getPreKey(5)).serialize(), pre.serialize());
    assert.deepEqual((await again.signedPreKey.getSignedPreKey(6)).serialize(), signed.serialize());
    assert.deepEqual((await again.kyberPreKey.getKyberPreKey(7)).serialize(), kyber.serialize());
    assert.ok(await again.senderKey.getSenderKey(bob, distribution));
    assert.deepEqual((await again.identity.getIdentity(bob))?.serialize(), bobKey.serialize());
    assert.equal(await again.identity.getLocalRegistrationId(), 123);
    await again.preKey.removePreKey(5);
    await assert.rejects(again.preKey.getPreKey(5), /no prekey 5/);
    // A one-time Kyber key is gone after use.
    await again.kyberPreKey.markKyberPreKeyUsed(7, 6, PrivateKey.generate().getPublicKey());
    await assert.rejects(again.kyberPreKey.getKyberPreKey(7), /no kyber prekey 7/);
  });

  it('keeps last-resort Kyber keys but refuses the same base key twice', async () => {
    const kem = KEMKeyPair.generate();
    store.preKeys.storeLastResortKyberPreKey('aci', KyberPreKeyRecord.new(9, 1, kem, identity.sign(kem.getPublicKey().serialize())));
    const base = PrivateKey.generate().getPublicKey();
    const first = store.protocolBatch('aci');
    await first.stores.kyberPreKey.markKyberPreKeyUsed(9, 1, base);
    first.commit();
    const second = store.protocolBatch('aci');
    assert.ok(await second.stores.kyberPreKey.getKyberPreKey(9));
    await assert.rejects(second.stores.kyberPreKey.markKyberPreKeyUsed(9, 1, base), /already used/);
  });

  it('trusts first keys, blocks changed keys for sending until trusted, never blocks receiving', async () => {
    const carol = ProtocolAddress.new('cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee', 1);
    const oldKey = PrivateKey.generate().getPublicKey();
    const newKey = PrivateKey.generate().getPublicKey();
    const batch = store.protocolBatch('aci');
    const ids = batch.stores.identity;
    assert.equal(await ids.isTrustedIdentity(carol, oldKey, Direction.Sending), true);
    await ids.saveIdentity(carol, oldKey);
    assert.equal(await ids.saveIdentity(carol, newKey), IdentityChange.ReplacedExisting);
    assert.equal(await ids.isTrustedIdentity(carol, newKey, Direction.Sending), false);
    assert.equal(await ids.isTrustedIdentity(carol, newKey, Direction.Receiving), true);
    batch.commit();
    assert.equal(store.trustIdentity(carol.name()), true);
    assert.equal(await store.protocolBatch('aci').stores.identity.isTrustedIdentity(carol, newKey, Direction.Sending), true);
    reopen('always');
    const other = PrivateKey.generate().getPublicKey();
    assert.equal(await store.protocolBatch('aci').stores.identity.isTrustedIdentity(carol, other, Direction.Sending), true);
    reopen('never');
    const dave = ProtocolAddress.new('dddddddd-bbbb-4ccc-8ddd-eeeeeeeeeeee', 1);
    assert.equal(await store.protocolBatch('aci').stores.identity.isTrustedIdentity(dave, other, Direction.Sending), false);
  });

  it('commits a batch atomically: nothing before commit, nothing when `also` throws', async () => {
    const batch = store.protocolBatch('aci');
    await batch.stores.preKey.savePreKey(1, PreKeyRecord.new(1, PrivateKey.generate().getPublicKey(), PrivateKey.generate()));
    assert.ok(await batch.stores.preKey.getPreKey(1), 'the batch sees its own writes');
    await assert.rejects(store.protocolBatch('aci').stores.preKey.getPreKey(1), 'others do not, before commit');
    assert.throws(() =>
      batch.commit(() => {
        store.inbox.insertEntry(textRecord('x'), []);
        throw new Error('boom');
      }),
    );
    await assert.rejects(store.protocolBatch('aci').stores.preKey.getPreKey(1));
    assert.equal(store.inbox.count(), 0);
  });

  it('sessions and identities are cached for later batches only once committed', async () => {
    const erin = ProtocolAddress.new('eeeeeeee-bbbb-4ccc-8ddd-eeeeeeeeeeee', 1);
    const key = PrivateKey.generate().getPublicKey();
    // Nothing yet: the miss is cached as "no row" and must not hide the later commit.
    assert.equal(await store.protocolBatch('aci').stores.identity.getIdentity(erin), null);
    const failing = store.protocolBatch('aci');
    await failing.stores.identity.saveIdentity(erin, key);
    assert.throws(() =>
      failing.commit(() => {
        throw new Error('boom');
      }),
    );
    assert.equal(await store.protocolBatch('aci').stores.identity.getIdentity(erin), null, 'a failed commit leaves no trace');
    const discarded = store.protocolBatch('aci');
    await discarded.stores.identity.saveIdentity(erin, key);
    discarded.discard();
    assert.equal(await store.protocolBatch('aci').stores.identity.getIdentity(erin), null, 'nor does a discarded batch');

    const committed = store.protocolBatch('aci');
    await committed.stores.identity.saveIdentity(erin, key);
    committed.commit();
    assert.deepEqual((await store.protocolBatch('aci').stores.identity.getIdentity(erin))?.serialize(), key.serialize());
    // Written beside the batches: the next batch must not see the cached row.
    const changed = PrivateKey.generate().getPublicKey();
    store.noteUntrustedIdentity(erin.name(), changed.serialize());
    assert.deepEqual((await store.protocolBatch('aci').stores.identity.getIdentity(erin))?.serialize(), changed.serialize());
    assert.equal(await store.protocolBatch('aci').stores.identity.isTrustedIdentity(erin, changed, Direction.Sending), false);
    reopen('on-first-use');
    assert.deepEqual((await store.protocolBatch('aci').stores.identity.getIdentity(erin))?.serialize(), changed.serialize(), 'and it is on disk');
  });

  it('a shared batch (group commit): each step reads the ones before it, a savepoint undoes one step, one commit holds all', async () => {
    const frank = ProtocolAddress.new('ffffffff-bbbb-4ccc-8ddd-ffffffffffff', 1);
    const grace = ProtocolAddress.new('99999999-bbbb-4ccc-8ddd-999999999999', 1);
    const first = PrivateKey.generate().getPublicKey();
    const group = store.protocolBatch('aci');
    await group.stores.identity.saveIdentity(frank, first);
    const undoSecond = group.savepoint();
    await group.stores.identity.saveIdentity(grace, PrivateKey.generate().getPublicKey());
    await group.stores.identity.saveIdentity(frank, PrivateKey.generate().getPublicKey());
    undoSecond();
    assert.deepEqual((await group.stores.identity.getIdentity(frank))?.serialize(), first.serialize(), 'the undone step left the earlier write');
    assert.equal(await group.stores.identity.getIdentity(grace), null, 'and none of its own');
    await group.stores.preKey.savePreKey(7, PreKeyRecord.new(7, first, PrivateKey.generate()));
    assert.equal(await store.protocolBatch('aci').stores.identity.getIdentity(frank), null, 'nothing is visible outside before the commit');
    group.commit();
    assert.deepEqual((await store.protocolBatch('aci').stores.identity.getIdentity(frank))?.serialize(), first.serialize());
    assert.equal(await store.protocolBatch('aci').stores.identity.getIdentity(grace), null);
    assert.equal((await store.protocolBatch('aci').stores.preKey.getPreKey(7)).id(), 7);
  });

  it('keeps inbox entries in order, holds back ones still downloading, deletes on request', () => {
    const a = store.inbox.insertEntry(textRecord('a'), []);
    const b = store.inbox.insertEntry(textRecord('b'), [{ pointer: new Uint8Array([1]), filename: 'f', contentType: 'text/plain', size: 3 }]);
    store.inbox.insertEntry(textRecord('c'), []);
    assert.deepEqual(store.inbox.readyEntries(10, new Set()).map((e) => e.id), [a], 'stops before the pending attachment');
    assert.deepEqual(store.inbox.pendingAttachments().map((p) => ({ ...p, pointer: [...p.pointer] })), [{ inboxId: b, idx: 0, pointer: [1] }]);
    store.inbox.completeAttachment(b, 0, new Uint8Array([9, 9, 9]));
    const ready = store.inbox.readyEntries(10, new Set([a]));
    assert.deepEqual(ready.map((e) => (e.entry as { body: string }).body), ['b', 'c']);
    assert.deepEqual([...Buffer.concat([...ready[0]!.attachments[0]!.content!.chunks()])], [9, 9, 9]);
    store.inbox.deleteEntries([a, b]);
    assert.equal(store.inbox.count(), 1);
    store.inbox.markEnvelopeSeen('env-1');
    assert.equal(store.inbox.hasSeenEnvelope('env-1'), true);
    assert.equal(store.inbox.hasSeenEnvelope('env-2'), false);
  });

  it('moves a phone number to its new ACI; stores groups', () => {
    store.recipients.upsertRecipient({ aci: 'a', e164: '+1555', profileKey: new Uint8Array(32) });
    store.recipients.upsertRecipient({ aci: 'b', e164: '+1555' });
    assert.equal(store.recipients.byE164('+1555')?.aci, 'b');
    assert.equal(store.recipients.byAci('a')?.e164, null);
    assert.deepEqual([...store.recipients.byAci('a')!.profileKey!], [...new Uint8Array(32)]);
    store.groups.upsertGroup({ id: 'g', masterKey: new Uint8Array(32).fill(1), revision: 3, title: 'T', members: ['a', 'b'], isMember: true });
    reopen();
    assert.deepEqual(store.groups.getGroup('g')?.members, ['a', 'b']);
    assert.equal(store.groups.listGroups().length, 1);
  });

  it('encrypts the file: a message body never appears in plaintext on disk', () => {
    const secret = 'the eagle lands at midnight';
    store.inbox.insertEntry(textRecord(secret), []);
    store.close();
    for (const name of readdirSync(dir)) {
      assert.equal(readFileSync(join(dir, name)).includes(Buffer.from(secret)), false, `${name} holds the plaintext`);
    }
    store = AccountStore.open({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use' });
  });

  it('refuses a wrong key with a clear error', () => {
    store.close();
    assert.throws(
      () => AccountStore.open({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use', key: 'ab'.repeat(32) }),
      /no page of it passes SQLCipher's integrity check with this key. Either the key is wrong/,
    );
    store = AccountStore.open({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use' });
  });
});
