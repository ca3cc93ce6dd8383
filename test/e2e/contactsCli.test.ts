// Issue 16 from the CLI, no daemon running: listContacts shows the phone's names, block and
// unblock (recipients and groups, signal-cli's arguments) change what `receive` shows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Group } from '@signalapp/mock-server';
import { groupIdFromMasterKey } from '../../src/messenger/groupIds.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';

describe('contacts and blocking from the CLI', () => {
  let f: LinkedFixture;
  let group: Group;
  before(async () => {
    f = await linkedAccount();
    group = await f.phone.createGroup({ title: 'Cli group', members: [f.phone, f.bob, f.carol] });
    await f.introduce(f.bob);
    await f.introduce(f.carol);
  });
  after(async () => {
    await f?.close();
  });

  const ok = async (args: string[]) => {
    const res = await f.run(args);
    assert.equal(res.code, 0, `${args.join(' ')}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`);
    return res.stdout;
  };
  const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  /** What `receive` prints while the contacts' sends (resolved once sigsock acked them) go through. */
  const receiveWhile = async (sends: (() => Promise<void>)[]): Promise<string> => {
    const receiving = f.run(['receive', '--timeout', '3']);
    for (const send of sends) await within(send(), 20_000, 'a contact send is acked');
    const res = await receiving;
    assert.equal(res.code, 0, res.stderr);
    return res.stdout;
  };

  it('listContacts shows the synced names, as text and as --json, filtered by recipient', async () => {
    const all = jsonLines(await ok(['listContacts', '--json']));
    assert.equal(all.find((c) => c.uuid === f.bob.device.aci)?.name, 'Bob');
    const text = await ok(['listContacts', f.carol.device.number!]);
    assert.match(text, new RegExp(`^Number: \\${f.carol.device.number} ACI: ${f.carol.device.aci} Name: Carol .*Blocked: false Message expiration: disabled\\n$`));
    const bad = await f.run(['listContacts', 'carol']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /RECIPIENT/);
  });

  it('block drops a contact’s messages; unblock lets them through again', async () => {
    assert.match(await ok(['block', f.bob.device.number!]), /blocked/);
    assert.deepEqual(jsonLines(await ok(['listContacts', '--json', '--blocked', 'true'])).map((c) => c.uuid), [f.bob.device.aci]);
    const out = await receiveWhile([() => f.bob.sendText(f.device, 'blocked bob via cli'), () => f.carol.sendText(f.device, 'carol via cli')]);
    assert.doesNotMatch(out, /blocked bob via cli/);
    assert.match(out, /carol via cli/);

    await ok(['unblock', f.bob.device.number!]);
    assert.deepEqual(jsonLines(await ok(['listContacts', '--json', '--blocked', 'true'])), []);
    assert.match(await receiveWhile([() => f.bob.sendText(f.device, 'bob unblocked via cli')]), /bob unblocked via cli/);
  });

  it('block -g drops a group’s messages; unblock -g lets them through', async () => {
    const groupId = groupIdFromMasterKey(group.masterKey);
    await ok(['block', '-g', groupId]);
    const out = await receiveWhile([() => f.bob.sendText(f.device, 'group blocked via cli', { group }), () => f.bob.sendText(f.device, 'bob direct via cli')]);
    assert.doesNotMatch(out, /group blocked via cli/);
    assert.match(out, /bob direct via cli/);
    await ok(['unblock', '-g', groupId]);
    assert.match(await receiveWhile([() => f.bob.sendText(f.device, 'group open via cli', { group })]), /group open via cli/);
    const none = await f.run(['block']);
    assert.equal(none.code, 2, none.stderr);
  });

  it('updateContact sets the name shown here; an empty name brings back the phone’s', async () => {
    assert.match(await ok(['updateContact', f.bob.device.number!, '--given-name', 'Robert', '--family-name', 'B']), /Robert B/);
    assert.equal(jsonLines(await ok(['listContacts', '--json', f.bob.device.number!]))[0]?.name, 'Robert B');
    await ok(['updateContact', f.bob.device.number!, '-n', '']);
    assert.equal(jsonLines(await ok(['listContacts', '--json', f.bob.device.number!]))[0]?.name, 'Bob');
    assert.equal((await f.run(['updateContact', f.bob.device.number!])).code, 2, 'a name is required');
  });
});
