// Issue 4: groups known at once after linking. The phone's storage service holds a group record
// (its master key); after `link`, and before any group message, listGroups shows the group with
// its title and members, fetched from the group server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StorageState, type Group } from '@signalapp/mock-server';
import { groupIdFromMasterKey } from '../../src/messenger/groupIds.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';

describe('groups from the storage service after linking', () => {
  let f: LinkedFixture;
  let group: Group;

  before(async () => {
    f = await linkedAccount({
      beforeLink: async ({ phone, bob, carol }) => {
        group = await phone.createGroup({ title: 'Stored', members: [phone, bob, carol] });
        const previous = await phone.getStorageState();
        const state = (previous ?? StorageState.getEmpty()).addGroup(group);
        await phone.setStorageState(state, previous);
      },
    });
  });
  after(async () => {
    await f?.close();
  });

  it('listGroups shows the group, title and members, before any group message', async () => {
    const res = await f.run(['listGroups', '--json']);
    assert.equal(res.code, 0, `listGroups failed\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
    const groups = res.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
    const groupId = groupIdFromMasterKey(group.masterKey);
    const listed = groups.find((g) => g.groupId === groupId);
    assert.ok(listed, `the stored group is listed: ${res.stdout}`);
    assert.equal(listed.title, 'Stored');
    assert.equal(listed.isMember, true);
    const members = (listed.members as { uuid?: string; number?: string }[]).map((m) => m.uuid).sort();
    assert.deepEqual(members, [f.phone.device.aci, f.bob.device.aci, f.carol.device.aci].sort());
  });
});
