// Issue 4 (groups) through a real daemon process: a group the phone created with the account, Bob
// and Carol — receiving in it, sending and reacting to it, list_groups, the two group status codes
// (6 unknown, 7 no longer a member), and sender-key sending to a 20-member group.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_GROUP_ACTIONS, EnvelopeType, type Group, type PrimaryDevice } from '@signalapp/mock-server';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, type Daemon } from '../support/daemon.js';
import { client, type Client } from '../support/lineClient.js';
import { assertNothingBeforeMarker, nextMessage } from '../support/contactActions.js';

/** The next message `contact` decrypts, with a deadline. */
/**
 * The phone removes `member` from `group` on the group server (the mock makes every creator-time
 * member an administrator, and anyone may remove themselves: the phone leaving is `member` = phone).
 */
async function phoneRemoves(f: LinkedFixture, group: Group, member: PrimaryDevice): Promise<void> {
  const serverGroup = await f.network.server.getGroup(group.publicParams.serialize());
  assert.ok(serverGroup, 'the group exists on the server');
  const result = await f.network.server.modifyGroup({
    group: serverGroup,
    actions: { ...EMPTY_GROUP_ACTIONS, version: serverGroup.revision + 1, deleteMembers: [{ deletedUserId: group.encryptServiceId(member.device.aci) }] },
    aciCiphertext: group.encryptServiceId(f.phone.device.aci),
    pniCiphertext: undefined,
  });
  assert.ok(!result.conflict, 'the group change applied');
}

function multiRecipientLines(d: Daemon): string[] {
  return d.stderr().split('\n').filter((l) => l.includes('in one multi-recipient request'));
}

describe('groups through the daemon', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: Client;
  let group: Group;
  let bobNumber: string;
  let carolNumber: string;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    bobNumber = f.bob.device.number!;
    carolNumber = f.carol.device.number!;
    group = await f.phone.createGroup({ title: 'Team', members: [f.phone, f.bob, f.carol] });
  });
  after(async () => {
    c?.close();
    await daemon?.stop();
    await f?.close();
  });

  let bobsMessage: Record<string, unknown>;

  it("receives Bob's group message with the group's id", async () => {
    await f.introduce(f.bob);
    await f.bob.sendText(f.device, 'hello team', { group });
    const [m] = await receiveAll(c, 1);
    assert.ok(m, 'a message arrived');
    assert.equal(m.body, 'hello team');
    assert.equal(m.senderUuid, f.bob.device.aci);
    assert.equal(m.groupId, group.id);
    bobsMessage = m;
  });

  it("receives Bob's sender-key group message (his sender key arrives first)", async () => {
    const distributionId = await f.bob.sendSenderKey(f.device);
    await f.bob.sendText(f.device, 'sealed, with a sender key', { group, sealed: true, distributionId });
    const [m] = await receiveAll(c, 1);
    assert.equal(m?.body, 'sealed, with a sender key', JSON.stringify(m));
    assert.equal(m?.senderUuid, f.bob.device.aci);
    assert.equal(m?.sender, bobNumber, 'the sealed-sender certificate names Bob');
    assert.equal(m?.groupId, group.id);
  });

  it('lists the group with its title and members (list_groups)', async () => {
    // The group server is asked in the background after the first message; wait for it.
    let listed: Record<string, any> | undefined;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const res = await c.request({ command: 'list_groups' });
      assert.equal(res.statusCode, 0, JSON.stringify(res));
      listed = (res.groups as Record<string, any>[]).find((g) => g.groupId === group.id);
      if (listed && listed.revision >= 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(listed?.title, 'Team');
    assert.equal(listed?.isMember, true);
    assert.equal(listed?.revision, 0);
    const uuids = listed!.members.map((m: { uuid: string }) => m.uuid).sort();
    assert.deepEqual(uuids, [f.phone.device.aci, f.bob.device.aci, f.carol.device.aci].sort());
    const numbers = listed!.members.map((m: { number: string | null }) => m.number);
    for (const n of [f.number, bobNumber, carolNumber]) assert.ok(numbers.includes(n), `${n} is listed with its number`);
  });

  it('sends to the group: Bob and Carol both get it, with the group context', async () => {
    const sent = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: 'hi all' } });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    const results = sent.results as { aci: string; success: boolean }[];
    assert.deepEqual(results.map((r) => r.aci).sort(), [f.bob.device.aci, f.carol.device.aci].sort());
    assert.ok(results.every((r) => r.success), JSON.stringify(results));
    for (const [contact, name] of [[f.bob, 'Bob'], [f.carol, 'Carol']] as const) {
      const got = await nextMessage(contact, `${name} to get the group message`);
      assert.equal(got.body, 'hi all');
      assert.equal(got.source.aci, f.phone.device.aci, `${name} sees the account as the sender`);
      assert.ok(got.dataMessage.groupV2?.masterKey && Buffer.from(got.dataMessage.groupV2.masterKey).equals(group.masterKey), `${name} sees the group`);
      assert.equal(Number(got.dataMessage.timestamp), sent.timestamp);
      assert.equal(got.envelopeType, EnvelopeType.SenderKey, `${name} decrypted it with our sender key`);
    }
    assert.ok(results.every((r) => (r as { unidentified?: boolean }).unidentified), 'sealed sender for everyone');
    assert.deepEqual(
      multiRecipientLines(daemon).map((l) => l.replace(/^\S+ /, '')),
      ['group send: sender key to 2 member(s), 2 device(s), in one multi-recipient request (key newly shared with 2)'],
    );
  });

  it("reacts in the group to Bob's message: Bob and Carol see the reaction", async () => {
    const sent = await c.request({
      command: 'send_reaction',
      groupId: group.id,
      reaction: { emoji: '🎉', author: bobNumber, timestamp: bobsMessage.timestamp },
    });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    for (const [contact, name] of [[f.bob, 'Bob'], [f.carol, 'Carol']] as const) {
      const got = await nextMessage(contact, `${name} to get the reaction`);
      const reaction = got.dataMessage.reaction;
      assert.equal(reaction?.emoji, '🎉');
      assert.equal(Number(reaction?.targetSentTimestamp), bobsMessage.timestamp);
      assert.ok(reaction?.targetAuthorAciBinary && Buffer.from(reaction.targetAuthorAciBinary).equals(f.bob.device.aciBinary), 'the target is Bob');
      assert.ok(got.dataMessage.groupV2?.masterKey, `${name} sees it in the group`);
      assert.equal(got.envelopeType, EnvelopeType.SenderKey);
    }
    // The second send reuses the key the members already hold.
    assert.match(multiRecipientLines(daemon)[1] ?? '', /sender key to 2 member\(s\), 2 device\(s\), in one multi-recipient request \(key newly shared with 0\)/);
  });

  it('answers 6 (GROUP_NOT_FOUND) for a group the account does not know', async () => {
    const unknown = Buffer.alloc(32, 7).toString('base64');
    const res = await c.request({ command: 'send_message', groupId: unknown, dataMessage: { message: 'x' } });
    assert.equal(res.statusCode, 6, JSON.stringify(res));
    assert.match(String(res.errorMessage), /not known/);
    const react = await c.request({ command: 'send_reaction', groupId: unknown, reaction: { emoji: '👍', author: bobNumber, timestamp: 1 } });
    assert.equal(react.statusCode, 6, JSON.stringify(react));
  });

  it('after Carol is removed, a new sender key goes to Bob only and Carol gets nothing', async () => {
    const before = multiRecipientLines(daemon).length;
    await phoneRemoves(f, group, f.carol);
    const sent = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: 'without Carol' } });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    assert.deepEqual((sent.results as { aci: string }[]).map((r) => r.aci), [f.bob.device.aci]);
    const got = await nextMessage(f.bob, 'Bob to get the message after the removal');
    assert.equal(got.body, 'without Carol');
    assert.equal(got.envelopeType, EnvelopeType.SenderKey);
    assert.match(daemon.stderr(), /former member\(s\) hold our sender key; starting a new one/);
    const lines = multiRecipientLines(daemon).slice(before);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /sender key to 1 member\(s\), 1 device\(s\), in one multi-recipient request \(key newly shared with 1\)/);
    await assertNothingBeforeMarker(
      f.carol,
      async () => assert.equal((await c.request({ command: 'send_message', recipient: carolNumber, dataMessage: { message: 'marker to Carol' } })).statusCode, 0),
      'marker to Carol',
      'Carol got nothing',
    );
  });

  it('sends to a 20-member group in one multi-recipient request; all 19 contacts decrypt it', async () => {
    const extra = await Promise.all(Array.from({ length: 17 }, (_, i) => f.network.createContact(`Member ${i + 1}`)));
    const contacts = [f.bob, f.carol, ...extra];
    const big = await f.phone.createGroup({ title: 'Twenty', members: [f.phone, ...contacts] });
    await f.bob.sendText(f.device, 'welcome, all twenty', { group: big });
    const [welcome] = await receiveAll(c, 1);
    assert.equal(welcome?.groupId, big.id);

    const before = multiRecipientLines(daemon).length;
    const sent = await c.request({ command: 'send_message', groupId: big.id, dataMessage: { message: 'hello, twenty' } }, 30_000);
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    const results = sent.results as { aci: string; success: boolean; unidentified: boolean }[];
    assert.equal(results.length, 19);
    assert.deepEqual(results.map((r) => r.aci).sort(), contacts.map((x) => x.device.aci).sort());
    assert.ok(results.every((r) => r.success && r.unidentified), JSON.stringify(results));
    const received = await Promise.all(contacts.map((x, i) => nextMessage(x, `member ${i} to get the group message`)));
    for (const [i, got] of received.entries()) {
      assert.equal(got.body, 'hello, twenty', `member ${i}`);
      assert.equal(got.envelopeType, EnvelopeType.SenderKey, `member ${i} decrypted it with our sender key`);
      assert.ok(got.dataMessage.groupV2?.masterKey && Buffer.from(got.dataMessage.groupV2.masterKey).equals(big.masterKey));
    }
    const lines = multiRecipientLines(daemon).slice(before);
    assert.equal(lines.length, 1, 'one multi-recipient request');
    assert.match(lines[0]!, /sender key to 19 member\(s\), 19 device\(s\), in one multi-recipient request \(key newly shared with 19\)/);
    assert.doesNotMatch(daemon.stderr(), /instead of sender keys/, 'no 1:1 fallback');
  });

  it("falls back to 1:1 delivery when the server rejects the multi-recipient send (Bob's new device), then shares the key again", async () => {
    const before = multiRecipientLines(daemon).length;
    await f.network.addDevice(f.bob);
    const sent = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: 'Bob has a new device' } });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    assert.deepEqual((sent.results as { aci: string; success: boolean }[]).map((r) => [r.aci, r.success]), [[f.bob.device.aci, true]]);
    const got = await nextMessage(f.bob, 'Bob to get the 1:1 fallback');
    assert.equal(got.body, 'Bob has a new device');
    assert.notEqual(got.envelopeType, EnvelopeType.SenderKey, 'it went 1:1');
    assert.match(daemon.stderr(), /1:1 delivery to 1 member\(s\) instead of sender keys: the server reported changed devices/);
    assert.equal(multiRecipientLines(daemon).length, before, 'no multi-recipient request succeeded');

    const again = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: 'and again' } });
    assert.equal(again.statusCode, 0, JSON.stringify(again));
    const next = await nextMessage(f.bob, 'Bob to get the next message');
    assert.equal(next.body, 'and again');
    assert.equal(next.envelopeType, EnvelopeType.SenderKey);
    const lines = multiRecipientLines(daemon).slice(before);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /sender key to 1 member\(s\), 2 device\(s\), in one multi-recipient request \(key newly shared with 1\)/);
  });

  it('answers 7 (NOT_A_GROUP_MEMBER) once the account has left the group', async () => {
    await phoneRemoves(f, group, f.phone);
    const res = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: 'still here?' } });
    assert.equal(res.statusCode, 7, JSON.stringify(res));
    assert.match(String(res.errorMessage), /not a member of group/);
    const react = await c.request({
      command: 'send_reaction',
      groupId: group.id,
      reaction: { emoji: '👍', author: bobNumber, timestamp: bobsMessage.timestamp },
    });
    assert.equal(react.statusCode, 7, JSON.stringify(react));
    const list = await c.request({ command: 'list_groups' });
    const listed = (list.groups as Record<string, any>[]).find((g) => g.groupId === group.id);
    assert.equal(listed?.isMember, false);
    assert.equal(listed?.revision, 2);
    await assertNothingBeforeMarker(
      f.bob,
      async () => assert.equal((await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'marker to Bob' } })).statusCode, 0),
      'marker to Bob',
      'nothing reached Bob',
    );
  });

});
