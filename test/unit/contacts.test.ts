// The contact book over a real store: names in the order they are shown, the block list by ACI,
// by number and by group (kept across a reopen), the phone's list replacing ours, and the receive
// path's filter that drops what a blocked account or group sent but never this account's own.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockFilter } from '../../src/messenger/blockFilter.js';
import { blockedFromSync, blockedListContent } from '../../src/messenger/blockedListSync.js';
import { ContactBook } from '../../src/messenger/contacts.js';
import { MessageRequests } from '../../src/messenger/messageRequests.js';
import type { ContentEffects } from '../../src/messenger/contentInterpreter.js';
import { decodeContent } from '../../src/proto/index.js';
import { AccountStore } from '../../src/store/accountStore.js';
import { PLAIN_MESSAGE } from '../support/fakeEngine.js';

const NUMBER = '+15551230000';
const SELF = '11111111-2222-4333-8444-555555555555';
const BOB = { aci: 'b0b00000-0000-4000-8000-000000000001', e164: '+15550000001' };
const CAROL = { aci: 'ca201000-0000-4000-8000-000000000002', e164: '+15550000002' };
const GROUP = Buffer.alloc(32, 9).toString('base64');

function messageFrom(sender: { aci: string; e164: string | null }, groupId: string | null = null): ContentEffects {
  return {
    entry: { value: { kind: 'message', sender, timestamp: 1, groupId, body: 'hi', reaction: null, ...PLAIN_MESSAGE }, attachments: [] },
    sender: { ...sender, profileKey: null },
    learned: [],
    contactSyncBlob: null,
    senderKeyDistribution: null,
    group: null,
  };
}

describe('contact book', () => {
  let dir: string;
  let store: AccountStore;
  let synced: Uint8Array[];
  let logs: string[];
  const book = () => new ContactBook({ store, selfAci: SELF, toOwnDevices: async (content) => (synced.push(content), 1), log: (line) => logs.push(line) });

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sigsock-contacts-')), 'data');
    store = AccountStore.create({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use' });
    synced = [];
    logs = [];
  });
  afterEach(() => {
    store.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('shows the name set here, else the phone’s, and the profile name split as Signal stores it', () => {
    store.recipients.upsertRecipient({ aci: BOB.aci, e164: BOB.e164, name: 'Bob (phone)', expireTimer: 3600, profileKey: new Uint8Array(32).fill(1) });
    store.recipients.upsertRecipient({ aci: CAROL.aci, profileKey: new Uint8Array(32).fill(2) });
    assert.equal(store.recipients.setProfileName(CAROL.aci, new Uint8Array(32).fill(2), 'Carol\0Smith'), true);
    assert.equal(store.recipients.setProfileName(CAROL.aci, new Uint8Array(32).fill(3), 'stale'), false, 'a name under an old key is not kept');
    const contacts = book();
    const [bob, carol] = [contacts.list({ recipients: [BOB.e164] })[0], contacts.list({ recipients: [CAROL.aci] })[0]];
    assert.deepEqual(
      { name: bob.name, contactName: bob.contactName, timer: bob.messageExpirationTime },
      { name: 'Bob (phone)', contactName: 'Bob (phone)', timer: 3600 },
    );
    assert.deepEqual({ name: carol.name, profileName: carol.profileName, profile: carol.profile }, { name: null, profileName: 'Carol Smith', profile: { givenName: 'Carol', familyName: 'Smith' } });
    assert.equal(contacts.senderName(CAROL.aci), 'Carol Smith');
    store.recipients.setLocalName(BOB.aci, null, 'Robert');
    assert.equal(contacts.list({ recipients: [BOB.aci] })[0].name, 'Robert');
    assert.equal(contacts.senderName(BOB.aci), 'Robert');
  });

  it('blocks by number and by ACI as one person, keeps it across a reopen, and tells the other devices', async () => {
    store.recipients.upsertRecipient({ aci: BOB.aci, e164: BOB.e164 });
    const result = await book().setBlocked({ recipients: [BOB.e164], groupIds: [GROUP] }, true);
    assert.deepEqual(result, { blocked: { acis: [BOB.aci], numbers: [BOB.e164], groupIds: [GROUP] }, syncedDevices: 1 });
    const told = blockedFromSync(decodeContent(synced[0]).syncMessage!.blocked!);
    assert.deepEqual(told, { acis: [BOB.aci], numbers: [BOB.e164], groupIds: [GROUP] }, 'the sync message round-trips');

    store.close();
    store = AccountStore.open({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use' });
    const contacts = book();
    assert.equal(contacts.isBlockedAccount(BOB.aci, null), true);
    assert.equal(contacts.isBlockedGroup(GROUP), true);
    assert.deepEqual(contacts.list({ blocked: true }).map((c) => c.uuid), [BOB.aci]);
    assert.deepEqual(contacts.list({ blocked: false }), []);

    const after = await contacts.setBlocked({ recipients: [BOB.aci], groupIds: [] }, false);
    assert.deepEqual(after.blocked, { acis: [], numbers: [], groupIds: [GROUP] }, 'unblocking by ACI lifts the block by number too');
  });

  it('a number blocked before its ACI is known still matches once the ACI is learned, and is listed meanwhile', async () => {
    const contacts = book();
    store.recipients.upsertRecipient({ aci: SELF, e164: NUMBER });
    await contacts.setBlocked({ recipients: [CAROL.e164], groupIds: [] }, true);
    assert.deepEqual(contacts.list({}).map((c) => ({ number: c.number, isBlocked: c.isBlocked })), [{ number: CAROL.e164, isBlocked: true }]);
    store.recipients.upsertRecipient({ aci: CAROL.aci, e164: CAROL.e164 });
    assert.equal(contacts.isBlockedAccount(CAROL.aci, null), true);
  });

  it("the phone's list replaces ours whole", async () => {
    const contacts = book();
    await contacts.setBlocked({ recipients: [BOB.aci], groupIds: [] }, true);
    contacts.applyPhoneList(blockedFromSync({ acisBinary: [Buffer.from(CAROL.aci.replace(/-/g, ''), 'hex')], acis: [], numbers: ['not a number'], groupIds: [Buffer.alloc(3)] }));
    assert.equal(contacts.isBlockedAccount(BOB.aci, null), false);
    assert.equal(contacts.isBlockedAccount(CAROL.aci, null), true);
    assert.deepEqual(store.blockList.all(), { acis: [CAROL.aci], numbers: [], groupIds: [] }, 'malformed entries name nobody');
    assert.match(logs.at(-1)!, /block list from the phone: 1 account\(s\), 0 group\(s\)/);
    assert.ok(blockedListContent(store.blockList.all()).length > 0);
  });

  it('the receive filter drops entries of blocked accounts and groups, never this account’s own, and logs a count', async () => {
    const contacts = book();
    const filter = new BlockFilter(contacts, SELF, (line) => logs.push(line));
    await contacts.setBlocked({ recipients: [BOB.aci], groupIds: [GROUP] }, true);
    assert.equal(filter.screen(messageFrom(BOB)).entry, null);
    assert.equal(filter.screen(messageFrom(CAROL, GROUP)).entry, null);
    assert.notEqual(filter.screen(messageFrom(CAROL)).entry, null);
    assert.notEqual(filter.screen(messageFrom({ aci: SELF, e164: NUMBER }, GROUP)).entry, null, 'what the owner sent in a blocked group is kept');
    assert.match(logs.at(-1)!, /dropped a message from a blocked group \(2 dropped since start\)/);
  });

  it('flags direct messages from strangers as message requests on a primary only, until accepted or written to', () => {
    store.recipients.upsertRecipient({ aci: CAROL.aci, name: 'Carol from the phone' });
    const requests = (isPrimary: boolean) =>
      new MessageRequests({
        recipients: store.recipients,
        localAci: SELF,
        isPrimary,
        resolveAci: async (r) => r,
        setBlocked: (request, blocked) => book().setBlocked(request, blocked),
        toOwnDevices: async () => 1,
        log: () => {},
      });
    const primary = requests(true);
    const isRequest = (effects: ContentEffects) => (primary.flag(effects).entry?.value as { messageRequest?: true }).messageRequest === true;
    assert.equal(isRequest(messageFrom(BOB)), true, 'a stranger');
    assert.equal(isRequest(messageFrom(BOB, GROUP)), false, 'a group message');
    assert.equal(isRequest(messageFrom(CAROL)), false, 'a contact named by the phone');
    assert.equal((requests(false).flag(messageFrom(BOB)).entry?.value as { messageRequest?: true }).messageRequest, undefined, 'a linked device flags nothing');
    primary.respond(BOB.aci, 'delete');
    assert.equal(isRequest(messageFrom(BOB)), true, 'deleting does not accept');
    primary.respond(BOB.aci, 'accept');
    assert.equal(isRequest(messageFrom(BOB)), false);
    const dave = 'da7e0000-0000-4000-8000-000000000004';
    primary.wroteTo(dave);
    assert.equal(isRequest(messageFrom({ aci: dave, e164: null })), false, 'the owner wrote to them');
  });

  it('answers a request: block blocks the sender, each conversation is told to the other devices', async () => {
    const told: Uint8Array[] = [];
    const requests = new MessageRequests({
      recipients: store.recipients,
      localAci: SELF,
      isPrimary: true,
      resolveAci: async (r) => r,
      setBlocked: (request, blocked) => book().setBlocked(request, blocked),
      toOwnDevices: async (content) => (told.push(content), 1),
      log: () => {},
    });
    assert.deepEqual(await requests.answer({ recipients: [BOB.aci], groupIds: [GROUP] }, 'block'), { syncedDevices: 1 });
    assert.deepEqual(store.blockList.all(), { acis: [BOB.aci], numbers: [], groupIds: [GROUP] });
    const answers = told.map((c) => decodeContent(c).syncMessage!.messageRequestResponse!);
    assert.deepEqual(answers.map((a) => [a.type, a.threadAci ?? null, a.groupId ? Buffer.from(a.groupId).toString('base64') : null]), [
      [3, null, GROUP],
      [3, BOB.aci, null],
    ]);
  });
});
