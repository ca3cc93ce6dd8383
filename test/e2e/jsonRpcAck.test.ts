// The acknowledgement extension for JSON-RPC notifications through the real daemon: a client that
// opted in (`enableAck`) and dies with a notification pushed but not acknowledged — written whole,
// never processed — loses nothing: the message is pushed again to the next client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { closedByDaemon } from './tcpStates.js';
import { httpPortOf, openEvents, postRpc } from './httpRpcClient.js';
import { startJsonRpcDaemon, tcpRpc, type JsonRpcDaemon } from './jsonRpcClient.js';

describe('JSON-RPC notifications with acknowledgement (enableAck / ack)', () => {
  let f: LinkedFixture;
  let daemon: JsonRpcDaemon;
  let httpPort: number;

  before(async () => {
    f = await linkedAccount();
    daemon = await startJsonRpcDaemon(f, ['--receive-mode', 'manual', '--http=127.0.0.1:0']);
    httpPort = await httpPortOf(daemon);
    await f.introduce(f.carol);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('a client that dies with an unacknowledged push loses nothing: the next client gets it again', async () => {
    const dying = await tcpRpc(daemon.port);
    assert.deepEqual((await dying.call('enableAck')).result, {});
    await dying.call('subscribeReceive');
    await f.carol.sendText(f.device, 'in flight');
    const pushed = await dying.notification();
    assert.equal(pushed.result.envelope.dataMessage.message, 'in flight');
    assert.equal(typeof pushed.ackId, 'string');
    const dyingPort = dying.socket.localPort!;
    dying.socket.destroy();
    await closedByDaemon(daemon.port, dyingPort);

    const next = await tcpRpc(daemon.port);
    await next.call('enableAck');
    await next.call('subscribeReceive');
    const again = await next.notification();
    assert.equal(again.result.envelope.dataMessage.message, 'in flight');
    assert.notEqual(again.ackId, pushed.ackId);
    assert.equal((await next.call('ack', { ackId: pushed.ackId })).error.code, -1, 'a foreign or stale ackId is refused');
    assert.deepEqual((await next.call('ack', { ackId: again.ackId })).result, {});
    assert.equal((await next.call('ack', { ackId: again.ackId })).error.code, -1, 'acknowledged once only');
    // Acknowledged: it is gone, and the next message follows.
    await f.carol.sendText(f.device, 'after the ack');
    const following = await next.notification();
    assert.equal(following.result.envelope.dataMessage.message, 'after the ack');
    assert.deepEqual((await next.call('ack', [following.ackId])).result, {});
    next.socket.destroy();

    // Nothing was left behind: a plain client (no ack) gets only what comes next.
    const plain = await tcpRpc(daemon.port);
    await plain.call('subscribeReceive');
    await f.carol.sendText(f.device, 'plain');
    const n = await plain.notification();
    assert.equal(n.result.envelope.dataMessage.message, 'plain');
    assert.equal('ackId' in n, false);
    plain.socket.destroy();
  });

  it('ack without enableAck is refused with a sentence saying what to do', async () => {
    const c = await tcpRpc(daemon.port);
    const res = await c.call('ack', { ackId: 'x' });
    assert.equal(res.error.code, -1);
    assert.match(res.error.message, /enableAck/);
    c.socket.destroy();
  });

  it('on HTTP: /api/v1/events?ack=true events wait for an ack POSTed to /api/v1/rpc; a stream that dies gives them back', async () => {
    const ack = (ackId: unknown) => postRpc(httpPort, { jsonrpc: '2.0', method: 'ack', params: { ackId }, id: 1 }).then((r) => r.json());
    assert.match((await ack('x')).error.message, /\?ack=true/);
    const dying = await openEvents(httpPort, '?ack=true');
    await f.carol.sendText(f.device, 'sse in flight');
    const pushed = await dying.next();
    assert.equal(pushed.envelope.dataMessage.message, 'sse in flight');
    assert.equal(typeof pushed.ackId, 'string');
    dying.destroy();

    const next = await openEvents(httpPort, '?ack=true');
    const again = await next.next();
    assert.equal(again.envelope.dataMessage.message, 'sse in flight');
    assert.equal((await ack(pushed.ackId)).error.code, -1, 'the dead stream\'s ackId is refused');
    assert.deepEqual((await ack(again.ackId)).result, {});
    await f.carol.sendText(f.device, 'after the sse ack');
    const following = await next.next();
    assert.equal(following.envelope.dataMessage.message, 'after the sse ack');
    assert.deepEqual((await ack(following.ackId)).result, {});
    next.destroy();
  });
});
