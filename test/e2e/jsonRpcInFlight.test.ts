// A client that dies with a push in flight, through the real daemon: the notification was being
// written (the client had its first bytes) when the client went away. The write never completed,
// so the message stays in the inbox and reaches the next client whole. (The other half of "in
// flight" — written whole, never processed — is the ack extension's: jsonRpcAck.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';
import { connect } from 'node:net';
import { httpPortOf, openEvents } from './httpRpcClient.js';
import { startJsonRpcDaemon, tcpRpc, type JsonRpcDaemon } from './jsonRpcClient.js';

/**
 * Far more than the kernel buffers of a connection whose reader stopped reading (about 4 MiB on
 * loopback with Linux's default tcp_wmem/tcp_rmem), so the write cannot complete.
 */
const BODY_CHARS = 12 * 1024 * 1024;

describe('a JSON-RPC client that dies with a push in flight', () => {
  let f: LinkedFixture;
  let daemon: JsonRpcDaemon;
  let httpPort: number;

  before(async () => {
    f = await linkedAccount();
    daemon = await startJsonRpcDaemon(f, ['--http=127.0.0.1:0']);
    httpPort = await httpPortOf(daemon);
    await f.introduce(f.carol);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('loses nothing: the message reaches the next client whole', async () => {
    // A client that reads the first bytes of a notification and then stops reading, as a client
    // that hangs; then it dies.
    const dying = connect(daemon.port, '127.0.0.1');
    dying.on('error', () => {});
    await new Promise((r) => dying.once('connect', r));
    const firstBytes = new Promise<Buffer>((resolve) =>
      dying.once('data', (chunk: Buffer) => {
        dying.pause();
        resolve(chunk);
      }),
    );
    const body = 'x'.repeat(BODY_CHARS - 5) + ' end.';
    await within(f.carol.sendText(f.device, body), 60_000, 'the big message reaches the daemon');
    const first = await within(firstBytes, 60_000, 'the first bytes of the push');
    assert.match(first.subarray(0, 40).toString(), /^\{"jsonrpc":"2.0","method":"receive"/);
    dying.destroy();

    const next = await tcpRpc(daemon.port);
    const n = await next.notification(60_000);
    assert.equal(n.envelope.dataMessage.message.length, BODY_CHARS);
    assert.ok(n.envelope.dataMessage.message.endsWith(' end.'));
    next.socket.destroy();
  });

  it('over HTTP too: an SSE client that dies mid-event loses nothing', async () => {
    // By hand on a socket, so that pausing stops the reading (an HTTP client library reads on).
    const dying = connect(httpPort, '127.0.0.1');
    dying.on('error', () => {});
    await new Promise((r) => dying.once('connect', r));
    const firstBytes = new Promise<{ text: string; destroy: () => void }>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (!chunk.toString().includes('event:receive')) return;
        dying.off('data', onData);
        dying.pause();
        resolve({ text: chunk.toString(), destroy: () => dying.destroy() });
      };
      dying.on('data', onData);
    });
    dying.write(`GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${httpPort}\r\n\r\n`);
    const body = 'y'.repeat(BODY_CHARS - 5) + ' end.';
    await within(f.carol.sendText(f.device, body), 60_000, 'the big message reaches the daemon');
    const first = await within(firstBytes, 60_000, 'the first bytes of the event');
    assert.match(first.text, /event:receive\ndata:\{/);
    first.destroy();

    const next = await openEvents(httpPort);
    const event = await next.next(60_000);
    assert.equal(event.envelope.dataMessage.message.length, BODY_CHARS);
    assert.ok(event.envelope.dataMessage.message.startsWith('yyy'));
    next.destroy();
  });
});
