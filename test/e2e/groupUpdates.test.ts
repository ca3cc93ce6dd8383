// Issue 4 (groups), changes made by the account through the CLI: `updateGroup` creates a group with
// Bob and Carol, renames it, removes Carol, invites Dave (whose profile key the account does not
// know) — and `quitGroup` leaves it. The mock's group server holds the truth each step is checked
// against; the contacts get the group-update messages. Also: a change Bob makes reaches the
// account's stored state (list_groups) through his update message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { EMPTY_DATA_MESSAGE, EMPTY_GROUP_ACTIONS, Group as MockGroup, Proto, type PrimaryDevice } from '@signalapp/mock-server';
import { GroupMasterKey, GroupSecretParams } from '@signalapp/libsignal-client/zkgroup.js';
import { decryptGroupState, type GroupState } from '../../src/signal/groupsApi.js';
import type { Group } from '../../src/proto/index.js';
import { linkedAccount, type LinkedFixture, type RunResult } from '../support/harness.js';
import { receiveAll, startDaemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';
import { assertNothingBeforeMarker, nextMessage, within } from '../support/contactActions.js';

// The mock's own libsignal (0.100): its objects must come from there, never from ours.
const mockZk = createRequire(createRequire(import.meta.url).resolve('@signalapp/mock-server'))('@signalapp/libsignal-client/zkgroup') as {
  GroupSecretParams: { deriveFromMasterKey(key: unknown): unknown };
  GroupMasterKey: new (bytes: Buffer) => unknown;
};

function ok(r: RunResult, what: string): RunResult {
  assert.equal(r.code, 0, `${what} failed (${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** The group as the mock's group server has it, decrypted with our libsignal (only bytes cross). */
async function serverState(f: LinkedFixture, masterKey: Uint8Array): Promise<GroupState> {
  const params = GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(masterKey)));
  const serverGroup = await f.network.server.getGroup(params.getPublicParams().serialize());
  assert.ok(serverGroup, 'the group exists on the server');
  return decryptGroupState(params, serverGroup.state as unknown as Group, undefined);
}

/** The mock-side Group object for a master key, for acting as a contact in it. */
async function mockGroup(f: LinkedFixture, masterKey: Uint8Array): Promise<MockGroup> {
  const secretParams = mockZk.GroupSecretParams.deriveFromMasterKey(new mockZk.GroupMasterKey(Buffer.from(masterKey)));
  const publicParams = GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(masterKey))).getPublicParams().serialize();
  const serverGroup = await f.network.server.getGroup(publicParams);
  assert.ok(serverGroup);
  return new MockGroup({ secretParams, groupState: serverGroup.state } as unknown as ConstructorParameters<typeof MockGroup>[0]);
}

describe('group changes through the CLI (updateGroup, quitGroup)', () => {
  let f: LinkedFixture;
  let dave: PrimaryDevice;
  let bobNumber: string;
  let carolNumber: string;
  let groupId: string;
  let masterKey: Uint8Array;

  before(async () => {
    f = await linkedAccount();
    bobNumber = f.bob.device.number!;
    carolNumber = f.carol.device.number!;
    dave = await f.network.createContact('Dave');
    // Bob and Carol write to the account first, sharing their profile keys (that is what lets the
    // account add them as full members).
    // (A send to the account resolves once the account acknowledged it: while `receive` runs.)
    const sent: Promise<void>[] = [];
    for (const contact of [f.bob, f.carol]) {
      await f.introduce(contact);
      sent.push(contact.sendText(f.device, `hi from ${contact.device.number}`, { withProfileKey: true }));
    }
    const received = ok(await f.run(['receive', '--timeout', '1']), 'receive');
    await Promise.all(sent);
    assert.equal(received.stdout.trim().split('\n').length, 2, received.stdout);
  });
  after(async () => {
    await f?.close();
  });

  it('creates a group with Bob and Carol: the server has it, both get the group update', async () => {
    const r = ok(await f.run(['updateGroup', '-n', 'Crew', '-m', bobNumber, carolNumber]), 'updateGroup (create)');
    groupId = r.stdout.trim();
    assert.match(groupId, /^[A-Za-z0-9+/]{43}=$/);
    assert.match(r.stderr, /added: .*\+/);
    for (const [contact, name] of [[f.bob, 'Bob'], [f.carol, 'Carol']] as const) {
      const got = await nextMessage(contact, `${name} to get the new group`);
      assert.ok(got.dataMessage.groupV2?.masterKey, `${name} got the group's master key`);
      assert.equal(got.dataMessage.groupV2?.revision, 0);
      assert.equal(got.source.aci, f.phone.device.aci);
      masterKey = new Uint8Array(got.dataMessage.groupV2.masterKey);
    }
    const state = await serverState(f, masterKey);
    assert.equal(state.title, 'Crew');
    assert.equal(state.revision, 0);
    assert.deepEqual([...state.members].sort(), [f.phone.device.aci, f.bob.device.aci, f.carol.device.aci].sort());
    assert.deepEqual(state.admins, [f.phone.device.aci], 'the account administers its group');

    const listed = ok(await f.run(['listGroups', '--json']), 'listGroups');
    const group = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>).find((g) => g.groupId === groupId);
    assert.equal(group?.title, 'Crew');
    assert.equal(group?.revision, 0);
    assert.equal(group?.isMember, true);

    ok(await f.run(['send', '-g', groupId, '-m', 'welcome, crew']), 'send -g');
    for (const [contact, name] of [[f.bob, 'Bob'], [f.carol, 'Carol']] as const) {
      const got = await nextMessage(contact, `${name} to get the first group message`);
      assert.equal(got.body, 'welcome, crew');
      assert.ok(Buffer.from(got.dataMessage.groupV2!.masterKey!).equals(Buffer.from(masterKey)));
    }
  });

  it('renames the group: revision 1 with the signed change, sent to both', async () => {
    ok(await f.run(['updateGroup', '-g', groupId, '-n', 'Crew 2']), 'updateGroup -n');
    for (const [contact, name] of [[f.bob, 'Bob'], [f.carol, 'Carol']] as const) {
      const got = await nextMessage(contact, `${name} to get the rename`);
      assert.equal(got.dataMessage.groupV2?.revision, 1);
      assert.ok(got.dataMessage.groupV2?.groupChange?.length, `${name} got the signed change`);
      const change = Proto.GroupChange.decode(got.dataMessage.groupV2!.groupChange!);
      const actions = Proto.GroupChange.Actions.decode(change.actions!);
      assert.equal(actions.version, 1);
      assert.ok(actions.modifyTitle?.title?.length, 'the change is a new title');
      assert.ok(change.serverSignature?.length, 'signed by the server');
    }
    assert.equal((await serverState(f, masterKey)).title, 'Crew 2');
  });

  it('removes Carol: she is told, and later group messages reach only Bob', async () => {
    const r = ok(await f.run(['updateGroup', '-g', groupId, '-r', carolNumber]), 'updateGroup -r');
    assert.match(r.stderr, /removed: /);
    const state = await serverState(f, masterKey);
    assert.deepEqual([...state.members].sort(), [f.phone.device.aci, f.bob.device.aci].sort());
    for (const [contact, name] of [[f.bob, 'Bob'], [f.carol, 'Carol']] as const) {
      const got = await nextMessage(contact, `${name} to get the removal`);
      assert.equal(got.dataMessage.groupV2?.revision, 2);
    }
    ok(await f.run(['send', '-g', groupId, '-m', 'without Carol']), 'send -g');
    const got = await nextMessage(f.bob, 'Bob to get the message');
    assert.equal(got.body, 'without Carol');
    await assertNothingBeforeMarker(f.carol, async () => ok(await f.run(['send', '-m', 'marker to Carol', carolNumber]), 'send marker'), 'marker to Carol', 'Carol got nothing');
  });

  it('adding Carol back (her profile key is known) is a full add, which mock-server 27 does not apply: the CLI says so', async () => {
    // The mock's group server ignores GroupChange.Actions.addMembers (ServerGroup.modify has no case
    // for it) yet bumps the revision and signs the change. sigsock checks the state after every change
    // and reports what did not happen instead of claiming success.
    const before = await serverState(f, masterKey);
    const r = await f.run(['updateGroup', '-g', groupId, '-m', carolNumber]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /added: \+/);
    assert.match(r.stderr, /did not apply all of it: \+\d+ \(not added as a member\)/);
    const after = await serverState(f, masterKey);
    assert.equal(after.revision, before.revision + 1);
    assert.deepEqual(after.members, before.members);
    assert.equal((await nextMessage(f.bob, 'Bob to get the (empty) change')).dataMessage.groupV2?.revision, after.revision);
  });

  it('invites Dave (profile key unknown); once he accepts, he gets group messages', async () => {
    const r = ok(await f.run(['updateGroup', '-g', groupId, '-m', dave.device.aci]), 'updateGroup -m (invite)');
    assert.match(r.stderr, /invited .*: [0-9a-f-]{36}/);
    const state = await serverState(f, masterKey);
    assert.deepEqual(state.pendingMembers, [dave.device.aci]);
    assert.ok(!state.members.includes(dave.device.aci));
    const invite = await nextMessage(dave, 'Dave to get the invitation');
    assert.equal(invite.dataMessage.groupV2?.revision, state.revision);
    assert.equal((await nextMessage(f.bob, 'Bob to see the invitation')).dataMessage.groupV2?.revision, state.revision);

    // Dave accepts in his app: a presentation of his own profile key credential.
    const group = await mockGroup(f, masterKey);
    const presentation = await (dave as unknown as { getProfileKeyPresentation(p: unknown): Promise<{ serialize(): Uint8Array }> }).getProfileKeyPresentation(group.secretParams);
    const serverGroup = (await f.network.server.getGroup(group.publicParams.serialize()))!;
    const accepted = await f.network.server.modifyGroup({
      group: serverGroup,
      actions: {
        ...EMPTY_GROUP_ACTIONS,
        version: serverGroup.revision + 1,
        promoteMembersPendingProfileKey: [{ presentation: Buffer.from(presentation.serialize()), userId: null, profileKey: null }],
      },
      aciCiphertext: group.encryptServiceId(dave.device.aci),
      pniCiphertext: undefined,
    });
    assert.ok(!accepted.conflict);

    ok(await f.run(['send', '-g', groupId, '-m', 'welcome, Dave']), 'send -g');
    for (const [contact, name] of [[f.bob, 'Bob'], [dave, 'Dave']] as const) {
      const got = await nextMessage(contact, `${name} to get the message`);
      assert.equal(got.body, 'welcome, Dave');
    }
  });

  it("applies Bob's change (rename, Dave removed) from his group-update message: list_groups shows it", async () => {
    const group = await mockGroup(f, masterKey);
    const serverGroup = (await f.network.server.getGroup(group.publicParams.serialize()))!;
    const revision = serverGroup.revision + 1;
    const change = await f.network.server.modifyGroup({
      group: serverGroup,
      actions: {
        ...EMPTY_GROUP_ACTIONS,
        version: revision,
        modifyTitle: { title: group.encryptBlob({ content: { title: "Bob's crew" } }) },
        deleteMembers: [{ deletedUserId: group.encryptServiceId(dave.device.aci) }],
      },
      aciCiphertext: group.encryptServiceId(f.bob.device.aci),
      pniCiphertext: undefined,
    });
    assert.ok(!change.conflict);
    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      const updateTimestamp = Date.now();
      await f.bob.sendRaw(f.device, {
        content: {
          dataMessage: {
            ...EMPTY_DATA_MESSAGE,
            timestamp: BigInt(updateTimestamp),
            groupV2: { masterKey: Buffer.from(masterKey), revision, groupChange: Proto.GroupChange.encode(change.signedChange!) },
          },
        },
        pniSignatureMessage: null,
        senderKeyDistributionMessage: null,
      } as unknown as Proto.Content.Params);
      let listed: Record<string, any> | undefined;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const res = await c.request({ command: 'list_groups' });
        listed = (res.groups as Record<string, any>[]).find((g) => g.groupId === groupId);
        if (listed?.revision === revision) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(listed?.revision, revision);
      assert.equal(listed?.title, "Bob's crew");
      assert.deepEqual(listed!.members.map((m: { uuid: string }) => m.uuid).sort(), [f.phone.device.aci, f.bob.device.aci].sort());
      assert.deepEqual(listed!.pendingMembers, []);
      // The client also sees the change as an entry: who made it and what it did.
      let entry: Record<string, any> | undefined;
      while (!entry?.groupChange) [entry] = (await receiveAll(c, 1)) as Record<string, any>[];
      assert.deepEqual([entry.senderUuid, entry.groupId, entry.body], [f.bob.device.aci, groupId, null]);
      const { membersRemoved, ...changed } = entry.groupChange;
      assert.deepEqual(changed, { revision, editor: { number: bobNumber, uuid: f.bob.device.aci }, title: "Bob's crew" });
      assert.deepEqual(membersRemoved.map((m: { uuid: string }) => m.uuid), [dave.device.aci]);
      // Bob's app learns the update was delivered, as for any message (receipts for earlier messages are passed over).
      const deliveredUpdate = async () => {
        for (;;) {
          const { receiptMessage } = await f.bob.waitForReceipt();
          if (receiptMessage.type === 0 && receiptMessage.timestamp?.map(Number).includes(updateTimestamp)) return;
        }
      };
      await within(deliveredUpdate(), 20_000, "the delivery receipt for Bob's group update");
    } finally {
      c.close();
      await daemon.stop();
    }
  });

  it("sets the group's timer (updateGroup -e): Bob gets the change, and later group messages carry it", async () => {
    ok(await f.run(['updateGroup', '-g', groupId, '-e', '3600']), 'updateGroup -e');
    const update = await nextMessage(f.bob, 'Bob to get the timer change');
    const change = Proto.GroupChange.decode(update.dataMessage.groupV2!.groupChange!);
    assert.ok(Proto.GroupChange.Actions.decode(change.actions!).modifyDisappearingMessageTimer?.timer?.length, 'the change sets the timer');
    ok(await f.run(['send', '-g', groupId, '-m', 'this disappears']), 'send -g');
    const got = await nextMessage(f.bob, 'Bob to get the message');
    assert.deepEqual([got.body, got.dataMessage.expireTimer], ['this disappears', 3600]);
    const refused = await f.run(['updateGroup', '-g', groupId, '-e', 'soon']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /-e SECONDS must be the timer in whole seconds/);
  });

  it('quitGroup: refused while the account is the only administrator; with --admin it leaves, and sending answers 7', async () => {
    const refused = await f.run(['quitGroup', '-g', groupId]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /only administrator.*--admin/);

    ok(await f.run(['quitGroup', '-g', groupId, '--admin', bobNumber]), 'quitGroup --admin');
    const state = await serverState(f, masterKey);
    assert.deepEqual(state.members, [f.bob.device.aci]);
    const got = await nextMessage(f.bob, 'Bob to learn that the account left');
    assert.equal(got.dataMessage.groupV2?.revision, state.revision);

    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      const res = await c.request({ command: 'send_message', groupId, dataMessage: { message: 'still here?' } });
      assert.equal(res.statusCode, 7, JSON.stringify(res));
      const list = await c.request({ command: 'list_groups' });
      const listed = (list.groups as Record<string, any>[]).find((g) => g.groupId === groupId);
      assert.equal(listed?.isMember, false);
    } finally {
      c.close();
      await daemon.stop();
    }
    await assertNothingBeforeMarker(f.bob, async () => ok(await f.run(['send', '-m', 'marker to Bob', bobNumber]), 'send marker'), 'marker to Bob', 'nothing more reached Bob');
  });

  it('update_group and quit_group on the socket (extensions): create with Bob, rename, leave', async () => {
    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      const created = await c.request({ command: 'update_group', name: 'Socket crew', addMembers: [bobNumber], reqId: 1 });
      assert.equal(created.statusCode, 0, JSON.stringify(created));
      assert.equal(created.created, true);
      assert.deepEqual(created.added, [bobNumber]);
      const id = created.groupId as string;
      const first = await nextMessage(f.bob, 'Bob to get the socket-made group');
      assert.equal(first.dataMessage.groupV2?.revision, 0);
      const key = new Uint8Array(first.dataMessage.groupV2!.masterKey!);

      const renamed = await c.request({ command: 'update_group', groupId: id, name: 'Socket crew, renamed' });
      assert.equal(renamed.statusCode, 0, JSON.stringify(renamed));
      assert.equal(renamed.revision, 1);
      assert.equal((await nextMessage(f.bob, 'Bob to get the rename')).dataMessage.groupV2?.revision, 1);
      assert.equal((await serverState(f, key)).title, 'Socket crew, renamed');

      const unknown = await c.request({ command: 'update_group', groupId: Buffer.alloc(32, 9).toString('base64'), name: 'x' });
      assert.equal(unknown.statusCode, 6, JSON.stringify(unknown));

      const quit = await c.request({ command: 'quit_group', groupId: id, admins: [bobNumber] });
      assert.equal(quit.statusCode, 0, JSON.stringify(quit));
      assert.deepEqual((await serverState(f, key)).members, [f.bob.device.aci]);
      await nextMessage(f.bob, 'Bob to learn that the account left');
      const after = await c.request({ command: 'send_message', groupId: id, dataMessage: { message: 'still here?' } });
      assert.equal(after.statusCode, 7, JSON.stringify(after));
    } finally {
      c.close();
      await daemon.stop();
    }
  });
});
