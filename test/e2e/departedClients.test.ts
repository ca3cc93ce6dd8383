// Clients that leave while the daemon waits on their behalf (issue "Nothing lost, for real", 1, 2
// and 5): a closed or half-closed client's waiting receive_messages ends at once, takes nothing
// that arrives later, gives back its unacknowledged messages, and frees its connection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, type Daemon } from '../support/daemon.js';
import { client, type Client } from '../support/lineClient.js';
import { closedByDaemon } from './tcpStates.js';

const MAX_CONNECTIONS = 20;

/**
 * Sends `receive_messages` with an hour's timeout, then leaves (`end` half-closes, `destroy`
 * closes); resolves once the daemon closed its side too. Today's daemon kept such a connection in
 * CLOSE-WAIT for the whole hour.
 */
async function waitThenLeave(port: number, how: 'end' | 'destroy'): Promise<Client> {
  const c = await client(port);
  const clientPort = c.socket.localPort!;
  c.write(JSON.stringify({ command: 'receive_messages', timeout: 3_600_000 }) + '\n');
  if (how === 'end') c.socket.end();
  else c.socket.destroy();
  await closedByDaemon(port, clientPort);
  return c;
}

describe('clients that leave while their receive_messages waits', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let drain: Client;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f, ['--max-connections', String(MAX_CONNECTIONS)]);
    drain = await client(daemon.port);
    await f.introduce(f.bob);
    await f.introduce(f.carol);
  });
  after(async () => {
    drain?.close();
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('a client that closed while its receive waited gets none of the messages that arrive afterwards', async () => {
    await waitThenLeave(daemon.port, 'destroy');
    await waitThenLeave(daemon.port, 'end');
    for (let i = 0; i < 10; i++) await f.bob.sendText(f.device, `after they left ${i}`);
    const got = await receiveAll(drain, 10);
    assert.deepEqual(
      got.map((m) => m.body),
      Array.from({ length: 10 }, (_, i) => `after they left ${i}`),
    );
  });

  it('a half-closed client is answered at once and its connection closed', async () => {
    const c = await waitThenLeave(daemon.port, 'end');
    assert.deepEqual(await c.next(5000), { command: 'receive_messages', statusCode: 0, messages: [] });
  });

  it("a departed ack client's unacknowledged messages go back at once, and nobody else is stalled", async () => {
    await f.carol.sendText(f.device, 'leased, never acked 1');
    await f.carol.sendText(f.device, 'leased, never acked 2');
    const leaver = await client(daemon.port);
    let received = 0;
    let unacknowledged: Record<string, unknown>[] = [];
    while (received < 2) {
      const answer = await leaver.request({ command: 'receive_messages', ack: true, timeout: 5000 });
      assert.equal(typeof answer.ackId, 'string');
      unacknowledged = answer.messages as Record<string, unknown>[];
      received += unacknowledged.length;
      // Acknowledge all but the last answer: only its lease stays out.
      if (received < 2) assert.equal((await leaver.request({ command: 'ack', ackId: answer.ackId })).statusCode, 0);
    }
    const leaverPort = leaver.socket.localPort!;
    leaver.write(JSON.stringify({ command: 'receive_messages', timeout: 3_600_000 }) + '\n');
    leaver.socket.end();
    await closedByDaemon(daemon.port, leaverPort);
    await f.carol.sendText(f.device, 'after the leaver');
    const got = await receiveAll(drain, unacknowledged.length + 1);
    assert.deepEqual(
      got.map((m) => m.body),
      [...unacknowledged.map((m) => m.body), 'after the leaver'],
      'the unacknowledged messages come back first, then the newer one',
    );
  });

  it(`${MAX_CONNECTIONS} clients that left mid-receive do not fill the connection limit`, async () => {
    drain.close();
    await Promise.all(Array.from({ length: MAX_CONNECTIONS }, (_, i) => waitThenLeave(daemon.port, i % 2 ? 'end' : 'destroy')));
    drain = await client(daemon.port);
    assert.deepEqual(await drain.request({ command: 'receive_messages', timeout: 0 }), { command: 'receive_messages', statusCode: 0, messages: [] });
  });
});
