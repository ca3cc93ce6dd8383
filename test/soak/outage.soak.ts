// `npm run soak`: the server is down for 30 s while a contact keeps writing and the bot keeps
// trying to send; afterwards everything queued arrives, in order, and sending works again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LinkedFixture } from '../support/harness.js';
import { receiveAll, warmDaemon, type Daemon, type WarmDaemon } from '../support/daemon.js';
import type { Client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';

describe('soak: a 30 s server outage', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: Client;
  let warm: WarmDaemon | undefined;
  before(async () => {
    warm = await warmDaemon();
    ({ f, daemon, c } = warm);
  });
  after(async () => {
    await warm?.close();
  });

  it('loses nothing and backs off while the server is gone', async () => {
    const outage = await f.network.outage([f.device]);
    const started = Date.now();
    const sending = (async () => {
      for (let i = 0; i < 20; i++) await f.bob.sendText(f.device, `m${i}`);
    })();
    let failures = 0;
    while (Date.now() - started < 30_000) {
      const res = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: 'x' } }, 30_000);
      assert.equal(res.statusCode, -1);
      failures++;
    }
    const retries = (daemon.stderr().match(/retrying in/g) ?? []).length;
    outage.restore();
    await within(sending, 120_000, 'the queued messages');
    const got = await receiveAll(c, 20, 60_000);
    assert.deepEqual(got.map((m) => m.body), Array.from({ length: 20 }, (_, i) => `m${i}`));
    const ok = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: 'back' } });
    assert.equal(ok.statusCode, 0);
    console.log(`soak: 30 s outage, ${failures} sends failed fast, ${retries} reconnect attempts, 20/20 messages after`);
  });
});
