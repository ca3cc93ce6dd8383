// signal-cli's HTTP transport through the real daemon (`daemon --http`): POST /api/v1/rpc with one
// request and with a batch, GET /api/v1/events streaming a contact's messages, GET /api/v1/check;
// signal-cli's answers for what is not a request (404, 405, 415, 421, 201 for notifications).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';
import type { Daemon } from '../support/daemon.js';
import { httpCall, openEvents, postRpc, startHttpDaemon } from './httpRpcClient.js';

describe('the JSON-RPC daemon over HTTP', () => {
  let f: LinkedFixture;
  let daemon: Daemon;

  before(async () => {
    f = await linkedAccount();
    daemon = await startHttpDaemon(f);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('GET /api/v1/check answers 200; other paths and verbs as signal-cli', async () => {
    assert.equal((await httpCall(daemon.port, 'GET', '/api/v1/check')).status, 200);
    assert.equal((await httpCall(daemon.port, 'POST', '/api/v1/check', '{}')).status, 405);
    assert.equal((await httpCall(daemon.port, 'GET', '/api/v1/rpc')).status, 405);
    assert.equal((await httpCall(daemon.port, 'GET', '/nope')).status, 404);
    const version = JSON.stringify({ jsonrpc: '2.0', method: 'version', id: 1 });
    assert.equal((await httpCall(daemon.port, 'POST', '/api/v1/rpc', version, { headers: { 'Content-Type': 'text/plain' } })).status, 415);
    // DNS rebinding: a page on evil.example reaching the loopback daemon names its own host.
    assert.equal((await httpCall(daemon.port, 'POST', '/api/v1/rpc', version, { headers: { Host: `evil.example:${daemon.port}` } })).status, 421);
  });

  it('POST /api/v1/rpc: one request, a batch, and notifications (201, no body)', async () => {
    const single = await postRpc(daemon.port, { jsonrpc: '2.0', method: 'version', id: 7 });
    assert.equal(single.status, 200);
    assert.match(String(single.headers['content-type']), /^application\/json/);
    assert.equal(single.json().id, 7);
    assert.equal(typeof single.json().result.version, 'string');

    const batch = await postRpc(daemon.port, [
      { jsonrpc: '2.0', method: 'version', id: 'a' },
      { jsonrpc: '2.0', method: 'listAccounts', id: 'b' },
      { jsonrpc: '2.0', method: 'version' },
      { jsonrpc: '2.0', method: 'noSuchMethod', id: 'c' },
    ]);
    assert.equal(batch.status, 200);
    const byId = new Map(batch.json().map((r: any) => [r.id, r]));
    assert.equal(byId.size, 3, batch.text);
    assert.deepEqual((byId.get('b') as any).result, [{ number: f.number }]);
    assert.equal((byId.get('c') as any).error.code, -32601);

    const notification = await postRpc(daemon.port, { jsonrpc: '2.0', method: 'version' });
    assert.equal(notification.status, 201);
    assert.equal(notification.text, '');

    // An id past 2^53 comes back with the digits sent (a JavaScript number would round it).
    const bigId = await httpCall(daemon.port, 'POST', '/api/v1/rpc', '{"jsonrpc":"2.0","method":"version","id":12345678901234567890}');
    assert.match(bigId.text, /"id":12345678901234567890}/);

    const parseError = await httpCall(daemon.port, 'POST', '/api/v1/rpc', '{nope');
    assert.equal(parseError.json().error.code, -32700);
    const subscribe = await postRpc(daemon.port, { jsonrpc: '2.0', method: 'subscribeReceive', id: 1 });
    assert.match(subscribe.json().error.message, /GET \/api\/v1\/events/);
  });

  it('POST /api/v1/rpc send reaches the contact', async () => {
    const bob = f.bob.device;
    const res = await postRpc(daemon.port, { jsonrpc: '2.0', method: 'send', params: { recipient: [bob.number], message: 'hi over http' }, id: 1 });
    assert.deepEqual(res.json().result.results, [{ recipientAddress: { uuid: bob.aci, number: bob.number }, type: 'SUCCESS' }], res.text);
    assert.equal((await within(f.bob.waitForMessage(), 20_000, 'bob')).body, 'hi over http');
  });

  it("GET /api/v1/events streams a contact's messages as `receive` events, oldest first; ?account= filters", async () => {
    assert.equal((await openEvents(daemon.port, '?account=%2B19995550000')).status, 400);
    await f.introduce(f.carol);
    // Sent before anyone listens: they wait in the inbox.
    for (let i = 0; i < 2; i++) await f.carol.sendText(f.device, `early ${i}`);
    const events = await openEvents(daemon.port, `?account=${encodeURIComponent(f.number)}`);
    assert.equal(events.status, 200);
    await f.carol.sendText(f.device, 'late');
    for (const expected of ['early 0', 'early 1', 'late']) {
      const event = await events.next();
      assert.equal(event.account, f.number);
      assert.equal(event.envelope.sourceUuid, f.carol.device.aci);
      assert.equal(event.envelope.dataMessage.message, expected);
      assert.equal(event.envelope.sourceDevice, f.carol.device.deviceId);
      assert.ok(event.envelope.serverReceivedTimestamp > 0, JSON.stringify(event.envelope));
      // The mock server sends no X-Signal-Timestamp with its deliveries: 0, as signal-cli reports it then.
      assert.equal(typeof event.envelope.serverDeliveredTimestamp, 'number');
    }
    events.destroy();
  });

  it('SIGTERM with an event stream open: the stream ends and the daemon exits 0', async () => {
    const events = await openEvents(daemon.port);
    const code = await daemon.stop();
    assert.equal(code, 0, daemon.stderr());
    await assert.rejects(events.next(10_000), /the event stream ended/);
  });
});

describe('the JSON-RPC daemon over HTTP in manual mode', () => {
  let f: LinkedFixture;
  let daemon: Daemon;

  before(async () => {
    f = await linkedAccount();
    daemon = await startHttpDaemon(f, ['--receive-mode', 'manual']);
    await f.introduce(f.carol);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('POST receive returns the waiting messages and removes them once the response was written', async () => {
    await f.carol.sendText(f.device, 'fetched over http');
    const first = await postRpc(daemon.port, { jsonrpc: '2.0', method: 'receive', params: { timeout: 10 }, id: 1 });
    assert.deepEqual(first.json().result.map((r: any) => r.envelope.dataMessage.message), ['fetched over http'], first.text);
    const second = await postRpc(daemon.port, { jsonrpc: '2.0', method: 'receive', params: { timeout: 0 }, id: 2 });
    assert.deepEqual(second.json().result, []);
  });
});
