// Issue 16: what the phone's storage service says about contacts, honoured right after linking:
// the owner's names for them, and a block list set on the phone before sigsock was linked (a
// contact and a group) — their messages are dropped, other contacts' arrive.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StorageState, type Group } from '@signalapp/mock-server';
import { groupIdFromMasterKey } from '../../src/messenger/groupIds.js';
import type { MockPrimaryDevice } from '../../src/sandbox/mockNetwork.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';

describe('contacts and blocks from the storage service after linking', () => {
  let f: LinkedFixture;
  let dave: MockPrimaryDevice;
  let group: Group;

  before(async () => {
    f = await linkedAccount({
      beforeLink: async ({ network, phone, bob, carol }) => {
        dave = await network.createContact('Dave');
        group = await phone.createGroup({ title: 'Blocked on the phone', members: [phone, bob, carol] });
        const previous = await phone.getStorageState();
        const state = (previous ?? StorageState.getEmpty())
          .addContact(dave, { blocked: true, systemGivenName: 'David', systemFamilyName: 'Phone' })
          .addContact(carol, { nickname: { given: 'Caz', family: null } })
          .addGroup(group, { blocked: true });
        await phone.setStorageState(state, previous);
      },
    });
    await f.introduce(dave);
    await f.introduce(f.bob);
  });
  after(async () => {
    await f?.close();
  });

  const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

  it("listContacts shows the phone's names and blocks before any message", async () => {
    const res = await f.run(['listContacts', '--json']);
    assert.equal(res.code, 0, res.stderr);
    const contacts = jsonLines(res.stdout);
    const daveListed = contacts.find((c) => c.uuid === dave.device.aci);
    assert.deepEqual({ name: daveListed?.name, isBlocked: daveListed?.isBlocked }, { name: 'David Phone', isBlocked: true });
    assert.equal(contacts.find((c) => c.uuid === f.carol.device.aci)?.name, 'Caz', 'the nickname comes before the contact-sync name');
    const groups = jsonLines((await f.run(['listGroups', '--json'])).stdout);
    assert.equal(groups.find((g) => g.groupId === groupIdFromMasterKey(group.masterKey))?.isBlocked, true);
  });

  it('drops what the blocked contact and group send; the others arrive', async () => {
    const receiving = f.run(['receive', '--timeout', '4']);
    await within(dave.sendText(f.device, 'dave, blocked on the phone'), 20_000, 'dave is acked');
    await within(f.bob.sendText(f.device, 'in a group blocked on the phone', { group }), 20_000, 'the group message is acked');
    await within(f.bob.sendText(f.device, 'bob directly, not blocked'), 20_000, 'bob is acked');
    const out = (await receiving).stdout;
    assert.doesNotMatch(out, /dave, blocked on the phone/);
    assert.doesNotMatch(out, /in a group blocked on the phone/);
    assert.match(out, /bob directly, not blocked/);
  });
});
