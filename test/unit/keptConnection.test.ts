// The reconnect policy of KeptConnection, with a fake connector: backoff grows while connections
// fail or drop at once, and starts over only after a connection that lasted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { KeptConnection } from '../../src/signal/keptConnection.js';

function fakeConnection(): ChatConnection {
  return { disconnect: async () => {} } as unknown as ChatConnection;
}

const delays = (log: string[]) => log.map((l) => /retrying in (\d+) ms/.exec(l)?.[1]).filter(Boolean).map(Number);

test('a connection the server closes right after accepting it does not reset the backoff', async () => {
  const log: string[] = [];
  let connects = 0;
  const kept = new KeptConnection(
    async (onInterrupted) => {
      connects++;
      setImmediate(() => onInterrupted(new Error('closed by server')));
      return fakeConnection();
    },
    { name: 'chat', log: (l) => log.push(l), minBackoffMs: 10, maxBackoffMs: 1_000 },
  );
  kept.start();
  await new Promise((r) => setTimeout(r, 400));
  await kept.stop();
  const waits = delays(log);
  assert.ok(waits.length >= 3, log.join('\n'));
  // Each ceiling doubles (10, 20, 40, …); with jitter every wait is at least half its ceiling.
  waits.forEach((ms, i) => assert.ok(ms >= Math.min(1_000, 10 * 2 ** i) / 2, `wait ${i} was ${ms} ms: ${waits.join(', ')}`));
  assert.ok(connects <= 8, `${connects} connections in 400 ms`);
});

test('failed attempts back off exponentially up to the ceiling', async () => {
  const log: string[] = [];
  const kept = new KeptConnection(
    async () => {
      throw new Error('refused');
    },
    { name: 'chat', log: (l) => log.push(l), minBackoffMs: 5, maxBackoffMs: 40 },
  );
  kept.start();
  await new Promise((r) => setTimeout(r, 300));
  await kept.stop();
  const waits = delays(log);
  assert.ok(waits.length >= 4, log.join('\n'));
  assert.ok(waits.every((ms) => ms <= 40), `capped at 40 ms: ${waits.join(', ')}`);
  assert.ok(waits.slice(-2).every((ms) => ms >= 20), `at the ceiling by now: ${waits.join(', ')}`);
});
