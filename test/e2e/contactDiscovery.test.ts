// Issue 16: "is this number on Signal" on a sandbox network, where the mock has no CDSI enclave and
// the sandbox's directory route answers instead (src/sandbox/directoryRoute.ts). A freshly
// registered account, which knows nobody from a phone, looks numbers up and sends by number; what
// it receives from strangers is a message request until it answers or accepts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twoSandboxAccounts, type TwoAccounts } from '../support/sandboxAccounts.js';
import { MOCK_CODE } from '../support/harness.js';

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
    // signal-cli's -o json: one array, the JSON-RPC method's result.
    const signalCli = await accounts.run(alice, ['-o', 'json', 'getUserStatus', bob, nobody]);
    assert.equal(signalCli.code, 0, signalCli.stderr);
    assert.deepEqual(JSON.parse(signalCli.stdout), statuses);
    const text = await accounts.run(alice, ['getUserStatus', bob, nobody]);
    assert.equal(text.stdout, `${bob}: true\n${nobody}: false\n`);
    const bad = await accounts.run(alice, ['getUserStatus', 'bob']);
    assert.equal(bad.code, 2, bad.stderr);
  });

  /** The messages `number` receives (receipts left out). */
  const received = async (number: string): Promise<Record<string, unknown>[]> => {
    const res = await accounts.run(number, ['receive', '--json', '--timeout', '5']);
    assert.equal(res.code, 0, res.stderr);
    const entries = res.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    return entries.filter((e) => typeof e.body === 'string');
  };

  it('a registered account sends to a number it never heard of; the first message is a message request until accepted', async () => {
    const sent = await accounts.run(alice, ['send', '-m', 'found you by number', bob]);
    assert.equal(sent.code, 0, sent.stderr);
    const [request] = await received(bob);
    assert.equal(request.body, 'found you by number');
    assert.equal(request.messageRequest, true, 'Bob never wrote to Alice: a message request');

    // Alice wrote first, so Bob's answer is no request for her.
    assert.equal((await accounts.run(bob, ['send', '-m', 'who is this?', alice])).code, 0);
    const [answer] = await received(alice);
    assert.equal(answer.body, 'who is this?');
    assert.equal(answer.messageRequest, undefined);

    const refused = await accounts.run(alice, ['send', '-m', 'anyone?', nobody]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`\\${nobody} is not on Signal: contact discovery knows no account`));
  });

  it('sendMessageRequestResponse accept ends the flag; a bad type is refused', async () => {
    const carol = '+15005552103';
    const registered = await accounts.run(carol, ['register', '--captcha', 'x']);
    assert.equal(registered.code, 0, registered.stderr);
    assert.equal((await accounts.run(carol, ['verify', MOCK_CODE])).code, 0);
    assert.equal((await accounts.run(carol, ['send', '-m', 'hi bob, carol here', bob])).code, 0);
    assert.equal((await received(bob))[0]?.messageRequest, true);
    const bad = await accounts.run(bob, ['sendMessageRequestResponse', '--type', 'maybe', carol]);
    assert.equal(bad.code, 2, bad.stderr);
    const accepted = await accounts.run(bob, ['sendMessageRequestResponse', '--type', 'accept', carol]);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal((await accounts.run(carol, ['send', '-m', 'accepted now', bob])).code, 0);
    const [after] = await received(bob);
    assert.equal(after.body, 'accepted now');
    assert.equal(after.messageRequest, undefined);
  });

  it("getProfile reads a contact's name, about text and avatar with the key they shared", async () => {
    // Alice has Bob's profile key from his message in the test before.
    const image = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(300)]);
    const dir = mkdtempSync(join(tmpdir(), 'sigsock-avatar-'));
    try {
      writeFileSync(join(dir, 'bob.png'), image);
      const updated = await accounts.run(bob, ['updateProfile', '--name', 'Bob', '--family-name', 'Builder', '--about', 'fixes things', '--avatar', join(dir, 'bob.png')]);
      assert.equal(updated.code, 0, updated.stderr);
      const read = await accounts.run(alice, ['getProfile', '--json', '--avatar-file', join(dir, 'got.png'), bob]);
      assert.equal(read.code, 0, read.stderr);
      // The mock keeps only the name of a PUT /v1/profile (its handler says the other fields are not
      // saved), so the about text reads as none here; on Signal's servers it comes back.
      assert.deepEqual(JSON.parse(read.stdout), { number: bob, uuid: accounts.bob.aci, givenName: 'Bob', familyName: 'Builder', about: null, aboutEmoji: null, hasAvatar: true });
      const got = readFileSync(join(dir, 'got.png'));
      assert.ok(got.subarray(0, image.length).equals(image), 'the avatar is the image Bob uploaded (zero-padded after it)');
      const contacts = await accounts.run(alice, ['listContacts', '--json', bob]);
      assert.equal((JSON.parse(contacts.stdout) as { profileName: string }).profileName, 'Bob Builder');
      const unknown = await accounts.run(alice, ['getProfile', '+15005552188']);
      assert.equal(unknown.code, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
