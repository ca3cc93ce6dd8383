// Issue 19 items 7 and 8 through the real CLI and daemon: a group whose members could only be
// invited, and a send to it that nobody can read, are said so (CLI warning, socket `warning`);
// listAccounts with none, unregister of an account that is not there, listIdentities without the
// account's own ACI, quitGroup's confirmation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, runCli, type LinkedFixture, type RunResult } from '../support/harness.js';
import { startDaemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';

function ok(res: RunResult, what: string): RunResult {
  assert.equal(res.code, 0, `${what}: ${res.stderr}`);
  return res;
}

describe('CLI and socket answers that say what happened', () => {
  let f: LinkedFixture;
  let groupId: string;
  before(async () => (f = await linkedAccount()));
  after(async () => f?.close());

  it('updateGroup that could only invite warns, and a send to that group warns that nobody received it', async () => {
    // Bob and Carol never wrote to the account: their profile keys are unknown, so they are invited.
    const created = ok(await f.run(['updateGroup', '-n', 'Crew', '-m', f.bob.device.number!, f.carol.device.number!]), 'updateGroup');
    groupId = created.stdout.trim();
    assert.match(created.stderr, /invited .*\n/);
    assert.match(created.stderr, /sigsock: warning: the group has no members but this account yet: .*reach no one until one of them accepts/);

    const sent = ok(await f.run(['send', '-g', groupId, '-m', 'anyone?']), 'send -g');
    assert.match(sent.stdout, /^\d+\n$/);
    assert.match(sent.stderr, /sigsock: warning: nobody received this message: the group has no members but this account/);
  });

  it('the socket answer of such a send has a warning and empty results', async () => {
    const daemon = await startDaemon(f);
    try {
      const c = await client(daemon.port);
      const answer = await c.request({ command: 'send_message', groupId, dataMessage: { message: 'anyone there?' } });
      assert.equal(answer.statusCode, 0, JSON.stringify(answer));
      assert.deepEqual(answer.results, []);
      assert.match(String(answer.warning), /^nobody received this message/);
      const direct = await c.request({ command: 'send_message', recipient: f.bob.device.aci, dataMessage: { message: 'hi' } });
      assert.equal(direct.warning, undefined, 'a send that reached someone has no warning');
      c.close();
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it("listIdentities does not list the account's own ACI", async () => {
    const listed = ok(await f.run(['listIdentities', '--json']), 'listIdentities');
    const uuids = listed.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { uuid: string }).uuid);
    assert.ok(uuids.length > 0, 'the contacts are listed');
    assert.ok(!uuids.includes(f.phone.device.aci), `own ACI listed: ${listed.stdout}`);
  });

  it('quitGroup confirms what it did', async () => {
    const left = ok(await f.run(['quitGroup', '-g', groupId]), 'quitGroup');
    assert.equal(left.stdout, `Left the group ${groupId} (revision 1)\n`);
  });

  it('listAccounts with none says so; unregister of an account that is not there says that', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sigsock-empty-'));
    try {
      const none = await runCli(['--config', empty, 'listAccounts']);
      assert.equal(none.code, 0);
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /^no accounts in .*: add one with `sigsock link` or `register`/);
      for (const args of [['unregister'], ['unregister', '--confirm']]) {
        const res = await runCli(['--config', empty, '-a', '+15005550177', ...args]);
        assert.equal(res.code, 1, res.stderr);
        assert.match(res.stderr, new RegExp(`^sigsock: there is no account \\+15005550177 in ${empty}: nothing to unregister \\(\`sigsock --config ${empty} listAccounts\` shows`));
        assert.doesNotMatch(res.stderr, /server/);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
