// Issue 16 through a real daemon and socket: contacts with the names the phone synced, and the
// block list — set here (applied at once, told to the phone, survives a restart) or by the phone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Group } from '@signalapp/mock-server';
import { groupIdFromMasterKey } from '../../src/messenger/groupIds.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { client, type Client } from '../support/lineClient.js';
import { anyContent, changeProfile, within } from '../support/contactActions.js';

type Contact = { number: string | null; uuid: string; name: string | null; profileName: string | null; isBlocked: boolean; messageExpirationTime: number };

describe('contacts and blocking through the socket', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: Client;
  let group: Group;

  before(async () => {
    f = await linkedAccount();
    group = await f.phone.createGroup({ title: 'Blockable', members: [f.phone, f.bob, f.carol] });
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    await f.introduce(f.bob);
    await f.introduce(f.carol);
  });
  after(async () => {
    c?.close();
    await daemon?.stop();
    await f?.close();
  });

  const contacts = async (request: Record<string, unknown> = {}): Promise<Contact[]> => {
    const res = await c.request({ command: 'list_contacts', ...request });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    return res.contacts as Contact[];
  };

  /** Everything received up to and including `marker` from `from`: what came before it shows what was not dropped. */
  const receiveUntil = async (marker: string): Promise<Record<string, unknown>[]> => {
    const got: Record<string, unknown>[] = [];
    const deadline = Date.now() + 20_000;
    while (!got.some((m) => m.body === marker) && Date.now() < deadline) got.push(...(await receiveAll(c, 1, 2_000)));
    assert.ok(got.some((m) => m.body === marker), `the marker "${marker}" arrived: ${JSON.stringify(got)}`);
    return got;
  };

  it('list_contacts shows the names the phone synced, none blocked', async () => {
    const listed = await contacts();
    const bob = listed.find((x) => x.uuid === f.bob.device.aci);
    assert.equal(bob?.name, 'Bob');
    assert.equal(bob?.number, f.bob.device.number);
    assert.equal(bob?.isBlocked, false);
    assert.equal(listed.find((x) => x.uuid === f.carol.device.aci)?.name, 'Carol');
    const one = await contacts({ recipients: [f.carol.device.number] });
    assert.deepEqual(one.map((x) => x.uuid), [f.carol.device.aci]);
    assert.deepEqual(await contacts({ blocked: true }), []);
    const bad = await c.request({ command: 'list_contacts', recipients: ['carol'] });
    assert.notEqual(bad.statusCode, 0);
    assert.match(String(bad.errorMessage), /recipients\[0\]/);
  });

  it("a blocked contact's messages never reach the queue, are acked, stay dropped after a restart; the phone is told", async () => {
    const phoneTold = within(
      f.phone.waitForSyncMessage((e) => Boolean(e.syncMessage.content?.blocked)),
      20_000,
      'the phone gets the block list',
    );
    const res = await c.request({ command: 'block', recipient: f.bob.device.number });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    assert.deepEqual((res.blocked as { acis: string[] }).acis, [f.bob.device.aci]);
    assert.equal(res.syncedDevices, 1);
    const told = (await phoneTold).syncMessage.content!.blocked!;
    assert.deepEqual(told.numbers, [f.bob.device.number]);
    assert.deepEqual((await contacts({ blocked: true })).map((x) => x.uuid), [f.bob.device.aci]);

    // The mock resolves a send once the device acknowledged it: dropped, yet acked.
    await within(f.bob.sendText(f.device, 'from blocked bob'), 20_000, 'bob is acked');
    await waitForLog(daemon, /dropped a message from a blocked sender \(1 dropped/);
    await f.carol.sendText(f.device, 'carol still arrives');
    const got = await receiveUntil('carol still arrives');
    assert.deepEqual(got.map((m) => m.body), ['carol still arrives']);

    // Restarted, the server has nothing of Bob's left to redeliver, and the block still holds.
    c.close();
    assert.equal(await daemon.stop(), 0);
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    await within(f.bob.sendText(f.device, 'blocked bob again'), 20_000, 'bob is acked after the restart');
    await f.carol.sendText(f.device, 'carol after the restart');
    assert.deepEqual((await receiveUntil('carol after the restart')).map((m) => m.body), ['carol after the restart']);

    const unblocked = await c.request({ command: 'unblock', recipients: [f.bob.device.aci] });
    assert.equal(unblocked.statusCode, 0, JSON.stringify(unblocked));
    assert.deepEqual(unblocked.blocked, { acis: [], numbers: [], groupIds: [] });
    await f.bob.sendText(f.device, 'bob is back');
    assert.deepEqual((await receiveUntil('bob is back')).map((m) => m.body), ['bob is back']);
  });

  it("a blocked group's messages are dropped, its members' direct messages still arrive", async () => {
    const groupId = groupIdFromMasterKey(group.masterKey);
    const res = await c.request({ command: 'block', groupId });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    await within(f.bob.sendText(f.device, 'in the blocked group', { group }), 20_000, 'the group message is acked');
    await waitForLog(daemon, /dropped a message from a blocked group/);
    // The dropped message still made the group known (its key is kept, as Signal apps keep a blocked group).
    const groups = (await c.request({ command: 'list_groups' })).groups as { groupId: string; isBlocked: boolean }[];
    assert.equal(groups.find((g) => g.groupId === groupId)?.isBlocked, true);
    await f.bob.sendText(f.device, 'bob directly');
    assert.deepEqual((await receiveUntil('bob directly')).map((m) => m.body), ['bob directly']);

    assert.equal((await c.request({ command: 'unblock', groupId })).statusCode, 0);
    await f.bob.sendText(f.device, 'group again', { group });
    const got = await receiveUntil('group again');
    assert.equal(got.at(-1)?.groupId, groupId);
  });

  it("the phone's block list replaces this account's, and is honoured at once", async () => {
    await f.phone.sendRaw(f.device, anyContent({ syncMessage: { content: { blocked: { acisBinary: [Buffer.from(f.carol.device.aciBinary)], numbers: [], groupIds: [], acis: [] } }, read: null, viewed: null, stickerPackOperation: null, padding: null } }));
    await waitForLog(daemon, /block list from the phone: 1 account\(s\), 0 group\(s\)/);
    assert.deepEqual((await contacts({ blocked: true })).map((x) => x.uuid), [f.carol.device.aci]);
    await within(f.carol.sendText(f.device, 'carol, blocked on the phone'), 20_000, 'carol is acked');
    await f.bob.sendText(f.device, 'bob marker');
    assert.deepEqual((await receiveUntil('bob marker')).map((m) => m.body), ['bob marker']);

    await f.phone.sendRaw(f.device, anyContent({ syncMessage: { content: { blocked: { acisBinary: [], numbers: [], groupIds: [], acis: [] } }, read: null, viewed: null, stickerPackOperation: null, padding: null } }));
    await waitForLog(daemon, /block list from the phone: 0 account\(s\), 0 group\(s\)/);
    assert.deepEqual(await contacts({ blocked: true }), []);
  });

  it('names senders: the contact name the phone synced, else the profile name read in the background, renewed with a new key', async () => {
    await f.bob.sendText(f.device, 'bob has a contact name');
    const [fromBob] = await receiveUntil('bob has a contact name');
    assert.equal(fromBob.senderName, 'Bob');

    const dave = await f.network.createContact('Dave');
    await f.introduce(dave);
    const profileRead = (n: number) => waitForLog(daemon, new RegExp(`(profile: a sender's profile name was read[^]*){${n}}`), 20_000);
    await dave.sendText(f.device, 'dave shares his profile key', { withProfileKey: true });
    // The name is read after the commit, never holding up the entry: it may or may not be on this one.
    await receiveUntil('dave shares his profile key');
    await profileRead(1);
    await dave.sendText(f.device, 'dave again');
    const daveAgain = (await receiveUntil('dave again')).at(-1);
    assert.equal(daveAgain?.senderName, 'Dave');
    assert.equal(daveAgain?.messageRequest, undefined, "a linked device flags no message requests: the owner's phone decides");
    assert.equal((await contacts({ recipients: [dave.device.aci] }))[0].name, null, 'no contact name: the phone does not know Dave');

    changeProfile(dave, 'David');
    await dave.sendText(f.device, 'dave with a new key', { withProfileKey: true });
    await receiveUntil('dave with a new key');
    await profileRead(2);
    await dave.sendText(f.device, 'david now');
    assert.equal((await receiveUntil('david now')).at(-1)?.senderName, 'David');
    const [listed] = await contacts({ recipients: [dave.device.aci] });
    assert.deepEqual({ profileName: listed.profileName }, { profileName: 'David' });
    const profile = await c.request({ command: 'get_profile', recipient: dave.device.aci });
    assert.equal(profile.statusCode, 0, JSON.stringify(profile));
    // Dave wrote unsealed and is in no contact list: the account never learned his number.
    assert.deepEqual(profile.profile, { number: null, uuid: dave.device.aci, givenName: 'David', familyName: null, about: null, aboutEmoji: null, avatar: null });
    const noKey = await c.request({ command: 'get_profile', recipient: f.bob.device.aci });
    assert.notEqual(noKey.statusCode, 0);
    assert.match(String(noKey.errorMessage), /has not shared their profile/);
  });

  it('get_user_status answers for a registered contact and for a number not on Signal', async () => {
    const res = await c.request({ command: 'get_user_status', recipients: [f.carol.device.number, '+15550000000'] });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    assert.deepEqual(res.users, [
      { recipient: f.carol.device.number, uuid: f.carol.device.aci, isRegistered: true },
      { recipient: '+15550000000', uuid: null, isRegistered: false },
    ]);
    const bad = await c.request({ command: 'get_user_status', recipients: [f.carol.device.aci] });
    assert.notEqual(bad.statusCode, 0, 'numbers only, as signal-cli');
  });

  it('update_contact sets the name shown here (and on entries), an empty name clears it', async () => {
    const res = await c.request({ command: 'update_contact', recipient: f.carol.device.number, name: 'Caro' });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    assert.equal((res.contact as Contact).name, 'Caro');
    await f.carol.sendText(f.device, 'carol renamed');
    assert.equal((await receiveUntil('carol renamed')).at(-1)?.senderName, 'Caro');
    const cleared = await c.request({ command: 'update_contact', recipient: f.carol.device.aci, name: '' });
    assert.equal((cleared.contact as Contact).name, 'Carol', "the phone's name shows again");
  });
});
