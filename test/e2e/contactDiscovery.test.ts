// Issue 16: "is this number on Signal" on a sandbox network, where the mock has no CDSI enclave and
// the sandbox's directory route answers instead (src/sandbox/directoryRoute.ts). A freshly
// registered account, which knows nobody from a phone, looks numbers up and sends by number.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { twoSandboxAccounts, type TwoAccounts } from '../support/sandboxAccounts.js';

describe('contact discovery on a sandbox network', () => {
  let accounts: TwoAccounts;
  const alice = '+15005552101';
  const bob = '+15005552102';
  const nobody = '+15005552199';

  before(async () => {
    accounts = await twoSandboxAccounts([alice, bob], 'discovery');
  });
  after(() => accounts?.close());

  it('getUserStatus tells registered numbers (with their ACI) from numbers not on Signal', async () => {
    const json = await accounts.run(alice, ['getUserStatus', '--json', bob, nobody]);
    assert.equal(json.code, 0, json.stderr);
    const statuses = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(statuses, [
      { recipient: bob, number: bob, uuid: accounts.bob.aci, isRegistered: true },
      { recipient: nobody, number: nobody, uuid: null, isRegistered: false },
    ]);
    const text = await accounts.run(alice, ['getUserStatus', bob, nobody]);
    assert.equal(text.stdout, `${bob}: true\n${nobody}: false\n`);
    const bad = await accounts.run(alice, ['getUserStatus', 'bob']);
    assert.equal(bad.code, 2, bad.stderr);
  });

  it('a registered account sends to a number it never heard of, and is told clearly when nobody has it', async () => {
    const sent = await accounts.run(alice, ['send', '-m', 'found you by number', bob]);
    assert.equal(sent.code, 0, sent.stderr);
    const received = await accounts.run(bob, ['receive', '--timeout', '5']);
    assert.match(received.stdout, /found you by number/);
    const refused = await accounts.run(alice, ['send', '-m', 'anyone?', nobody]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`\\${nobody} is not on Signal: contact discovery knows no account`));
  });
});
