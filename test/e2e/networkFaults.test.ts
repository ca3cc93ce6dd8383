// The server goes away: the daemon keeps serving its clients, fails sends fast with a clear
// error instead of hanging, retries with backoff (not in a tight loop), and when the server is
// back, what contacts sent meanwhile arrives and sending works again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LinkedFixture } from '../support/harness.js';
import { receiveAll, warmDaemon, type Daemon, type WarmDaemon } from '../support/daemon.js';
import type { Client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';

describe('network faults', () => {
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

  it('survives an outage of the server without losing anything in either direction', async () => {
    const retriesBefore = (daemon.stderr().match(/retrying in/g) ?? []).length;
    const outage = await f.network.outage([f.device]);
    const failed = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: 'during' } }, 30_000);
    assert.equal(failed.statusCode, -1);
    assert.match(String(failed.errorMessage), /not connected to the Signal server/);
    const live = await c.request({ command: 'receive_messages', timeout: 0 });
    assert.equal(live.statusCode, 0, 'clients are still served during the outage');
    const meanwhile = f.bob.sendText(f.device, 'sent during the outage');
    outage.restore();

    await within(meanwhile, 60_000, 'the queued message to be delivered after the outage');
    const [m] = await receiveAll(c, 1, 30_000);
    assert.equal(m?.body, 'sent during the outage');
    const ok = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: 'after' } });
    assert.equal(ok.statusCode, 0, JSON.stringify(ok));
    assert.equal((await within(f.bob.waitForMessage(), 20_000, 'bob')).body, 'after');
    const retries = (daemon.stderr().match(/retrying in/g) ?? []).length - retriesBefore;
    assert.ok(retries > 0 && retries < 30, `reconnects back off instead of spinning (${retries} attempts)`);
  });

  it('loses nothing in either direction while its chat WebSocket is dropped every 2 s', async () => {
    const dropping = setInterval(() => f.network.disconnect(f.device), 2_000);
    try {
      const incoming = (async () => {
        for (let i = 0; i < 30; i++) {
          await f.bob.sendText(f.device, `in${i}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      const outgoing: string[] = [];
      for (let i = 0; i < 10; i++) {
        // A send that meets a dropped connection fails fast with a clear error; the bot retries.
        for (let attempt = 0; ; attempt++) {
          const res = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: `out${i}` } }, 30_000);
          if (res.statusCode === 0) break;
          assert.match(String(res.errorMessage), /Signal server/);
          assert.ok(attempt < 10, `send out${i} kept failing: ${JSON.stringify(res)}`);
        }
        outgoing.push(`out${i}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      await within(incoming, 60_000, 'the contact to finish sending');
      const got = await receiveAll(c, 30, 30_000);
      assert.deepEqual(got.map((m) => m.body), Array.from({ length: 30 }, (_, i) => `in${i}`));
      const bobGot: string[] = [];
      while (new Set(bobGot).size < outgoing.length) bobGot.push((await within(f.bob.waitForMessage(), 20_000, 'bob')).body);
      // A send reported as failed may still have reached Bob (the drop cut the answer, not the
      // request): he may see a text twice, never miss one.
      assert.deepEqual([...new Set(bobGot)], outgoing);
    } finally {
      clearInterval(dropping);
    }
  });
});
