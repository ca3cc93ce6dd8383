// Sync copies after the answer, durably (docs/reliability.md, "Sync copies"): a send is answered
// once Bob's message is accepted, before the copy for the owner's phone goes out; a SIGKILL right
// after the answer loses nothing — the restarted daemon sends the recorded copy. The daemon's test
// hook (src/messenger/testHoldSyncCopies.ts) holds the copies unsent, as a crash at that moment would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { startDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';

async function startDaemonHoldingSyncCopies(f: LinkedFixture): Promise<Daemon> {
  process.env.SIGSOCK_TEST_HOLD_SYNC_COPIES = '1';
  try {
    return await startDaemon(f);
  } finally {
    delete process.env.SIGSOCK_TEST_HOLD_SYNC_COPIES;
  }
}

describe('sync copies after the answer', () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
  });
  after(async () => {
    await f?.close();
  });

  it('answers before the copy went out, and a SIGKILL after the answer still gets the copy to the phone after the restart', async () => {
    const held = await startDaemonHoldingSyncCopies(f);
    const c = await client(held.port);
    const answer = await c.request({ command: 'send_message', recipient: f.bob.device.number, dataMessage: { message: 'copy survives a crash' } });
    assert.equal(answer.statusCode, 0, JSON.stringify(answer));
    const got = await within(f.bob.waitForMessage(), 20_000, 'Bob to get the message');
    assert.equal(got.body, 'copy survives a crash');
    await waitForLog(held, /test hook: holding 1 sync copy unsent/);
    c.close();
    await held.stop('SIGKILL');

    const transcript = within(
      f.phone.waitForSyncMessage((e) => e.syncMessage.content?.sent?.message?.body === 'copy survives a crash'),
      20_000,
      'the phone to get the transcript after the restart',
    );
    const restarted = await startDaemon(f);
    try {
      const sync = await transcript;
      assert.equal(Number(sync.syncMessage.content?.sent?.timestamp), Number(answer.timestamp));
      await waitForLog(restarted, /sync copies: sending 1 left from before the restart/);
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  });
});
