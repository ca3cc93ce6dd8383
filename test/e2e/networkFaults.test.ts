// The server goes away: the daemon keeps serving its clients, fails sends fast with a clear
// error instead of hanging, retries with backoff (not in a tight loop), and when the server is
// back, what contacts sent meanwhile arrives and sending works again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from './harness.js';
import { client, receiveAll, startDaemon, type Client, type Daemon } from './daemon.js';
import { within } from './contactActions.js';

describe('network faults', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: Client;
  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    await f.introduce(f.bob);
    // One message through first: the mock asserts (and the test dies of an unhandled rejection)
    // when a socket closes while it is still flushing what it queued for the device at connect.
    const warm = f.bob.sendText(f.device, 'warm-up');
    assert.equal((await receiveAll(c, 1, 20_000))[0]?.body, 'warm-up');
    await warm;
  });
  after(async () => {
    c?.close();
    await daemon?.stop();
    await f?.close();
  });

  it('survives an outage of the server without losing anything in either direction', async () => {
    const retriesBefore = (daemon.stderr().match(/retrying in/g) ?? []).length;
    const outage = await f.network.outage([f.device]);
    const failed = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: 'during' } }, 30_000);
    assert.equal(failed.statusCode, -1);
    assert.match(String(failed.errorMessage), /not connected to the Signal server|connection to the Signal server dropped/);
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
});
