// Safety numbers from the CLI, with no daemon running: a contact's key change shows in
// listIdentities and blocks `send` with a message that names the fix; `trust` lifts the block.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';

describe('identities from the CLI', () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
  });
  after(async () => {
    await f?.close();
  });

  const identityOf = async (aci: string) => {
    const res = await f.run(['listIdentities', '--json']);
    assert.equal(res.code, 0, res.stderr);
    return res.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { uuid: string; number: string | null; trust: string; safetyNumber: string }).find((i) => i.uuid === aci);
  };

  it('listIdentities shows a changed key as untrusted; trust unblocks send; listAccounts lists the account', async () => {
    const carol = f.carol;
    const number = carol.device.number!;
    await f.introduce(carol);
    // The mock resolves a send once the device acked it: the send finishes during `receive`.
    const firstSent = carol.sendText(f.device, 'first contact');
    assert.equal((await f.run(['receive', '--timeout', '3'])).code, 0);
    await within(firstSent, 10_000, 'first send');
    const first = await identityOf(carol.device.aci);
    assert.equal(first?.trust, 'trusted', 'trusted on first use');
    assert.equal(first?.number, number);
    assert.match(first!.safetyNumber, /^\d{60}$/);

    await f.network.changeIdentityKey(carol);
    await f.introduce(carol);
    const secondSent = carol.sendText(f.device, 'I reinstalled Signal');
    assert.match((await f.run(['receive', '--timeout', '3'])).stdout, /I reinstalled Signal/);
    await within(secondSent, 10_000, 'second send');
    const changed = await identityOf(carol.device.aci);
    assert.equal(changed?.trust, 'untrusted');
    assert.notEqual(changed?.safetyNumber, first?.safetyNumber);
    const text = await f.run(['listIdentities', number]);
    assert.match(text.stdout, /UNTRUSTED/);

    const blocked = await f.run(['send', '-m', 'are you you?', number]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /safety number .* has changed/);
    assert.match(blocked.stderr, /trust/);

    const trusted = await f.run(['trust', number]);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, new RegExp(changed!.safetyNumber));
    assert.equal((await identityOf(carol.device.aci))?.trust, 'trusted');

    const carolGets = within(carol.waitForMessage(), 20_000, 'carol');
    const sent = await f.run(['send', '-m', 'welcome back', number]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal((await carolGets).body, 'welcome back');

    const accounts = await f.run(['listAccounts'], { account: false });
    assert.equal(accounts.code, 0, accounts.stderr);
    assert.deepEqual(accounts.stdout.trim().split('\n'), [f.number]);
  });
});
