// When a recorded sync copy starts on its way (src/messenger/syncCopies.ts): not in the turn of the
// event loop that queued it. The send's answer is corked in its socket until the end of that turn
// (socket/connection.ts coalesces writes), and the copy's own commit blocks the thread for an
// fsync: started at once, it held that answer back by the fsync (docs/benchmarks.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SyncCopies } from '../../src/messenger/syncCopies.js';

function world() {
  const delivered: number[] = [];
  const copies = new SyncCopies({
    pending: { add: () => 1, all: () => [], remove: () => undefined },
    transaction: (fn) => fn(),
    deliver: (_content, timestamp) => {
      delivered.push(timestamp);
      return Promise.resolve();
    },
    log: () => undefined,
  });
  return { copies, delivered };
}

describe('sync copies', () => {
  it('start on their way only after the turn that queued them, so the answer leaves first', async () => {
    const { copies, delivered } = world();
    copies.send({ id: 1, timestamp: 42, content: new Uint8Array([1]) });
    // The end of this turn: the nextTick queue (where a corked answer is written) and the microtasks.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    await Promise.resolve();
    assert.deepEqual(delivered, []);
    await copies.idle();
    assert.deepEqual(delivered, [42]);
  });
});
