// Nothing is lost and nothing is doubled when the daemon is killed with SIGKILL while contacts
// keep writing and a client keeps draining: every message arrives exactly once, in order per
// sender. (A longer run of the same scenario: `npm run soak`.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from './harness.js';
import { crashScenario } from './crashScenario.js';

describe('crash safety', () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
  });
  after(async () => {
    await f?.close();
  });

  it('delivers every message exactly once, in order per sender, across 5 SIGKILLs', async () => {
    const perSender = 60;
    const received = await crashScenario(f, perSender, 5);
    [...received.values()].forEach((bodies, si) => {
      assert.deepEqual(
        bodies,
        Array.from({ length: perSender }, (_, i) => `${si}:${i}`),
      );
    });
  });
});
