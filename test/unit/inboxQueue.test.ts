// The inbox queue over a fake source: entries go out in order, to one caller at a time, leave
// only when the lease is committed (after the answer was written), and come back first when it is
// released (a failed write); stored records become the engine's entries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InboxEntry } from '../../src/messenger/api.js';
import { InboxQueue, type InboxSource, type StoredInboxEntry } from '../../src/messenger/inboxQueue.js';
import { textRecord, TEST_SENDER } from '../support/inboxRecords.js';
import { contentOf, PLAIN_MESSAGE } from '../support/fakeEngine.js';

function source(bodies: string[]) {
  const stored = new Map<number, StoredInboxEntry>();
  let nextId = 1;
  const deleted: number[][] = [];
  const add = (body: string) => {
    const id = nextId++;
    stored.set(id, { id, entry: textRecord(body, id), attachments: [] });
    return id;
  };
  for (const body of bodies) add(body);
  const src: InboxSource = {
    readyEntries: (limit, exclude) => [...stored.values()].filter((r) => !exclude.has(r.id)).slice(0, limit),
    deleteEntries: (ids) => {
      deleted.push(ids);
      for (const id of ids) stored.delete(id);
    },
  };
  return { src, stored, deleted, add };
}

const bodies = (entries: InboxEntry[]) => entries.map((e) => (e.kind === 'message' ? e.body : e.kind === 'failure' ? e.reason : e.kind));

function withQueue(fill: string[], fn: (q: InboxQueue, s: ReturnType<typeof source>) => Promise<void>) {
  const s = source(fill);
  const queue = new InboxQueue(s.src, { log: () => {} });
  return fn(queue, s).finally(() => queue.stop());
}

describe('inbox queue', () => {
  it('hands out entries in arrival order and deletes them only when the lease is committed', () =>
    withQueue(['a', 'b', 'c'], async (queue, s) => {
      const lease = await queue.take(0);
      assert.deepEqual(bodies(lease.entries), ['a', 'b', 'c']);
      assert.deepEqual(s.deleted, [], 'nothing deleted before the answer was written');
      lease.commit();
      assert.deepEqual(s.deleted, [[1, 2, 3]]);
      assert.equal((await queue.take(0)).entries.length, 0);
    }));

  it('an answer in flight holds newer entries back only for a while: a client that never reads stalls nobody', async () => {
    const s = source(['a']);
    const queue = new InboxQueue(s.src, { log: () => {}, inFlightHoldMs: 100 });
    try {
      const stuck = await queue.take(0);
      s.add('b');
      queue.notify();
      assert.equal((await queue.take(0)).entries.length, 0, 'held back while the answer is young');
      // A waiting taker is woken when the hold ends, and gets only what is not in flight.
      const next = await queue.take(5000);
      assert.deepEqual(bodies(next.entries), ['b']);
      next.commit();
      stuck.release();
      assert.deepEqual(bodies((await queue.take(0)).entries), ['a'], 'the stuck answer comes back, first');
    } finally {
      queue.stop();
    }
  });

  it('gives a released lease back first, before anything newer, and to one caller at a time', () =>
    withQueue(['a', 'b'], async (queue, s) => {
      const first = await queue.take(0);
      s.add('c');
      queue.notify();
      assert.equal((await queue.take(0)).entries.length, 0, 'nothing newer while a lease is out');
      first.release();
      first.commit(); // settled already: ignored
      assert.deepEqual(s.deleted, []);
      const again = await queue.take(0);
      assert.deepEqual(bodies(again.entries), ['a', 'b', 'c']);
      again.commit();
      assert.deepEqual(s.deleted, [[1, 2, 3]]);
    }));

  it('wakes one waiting caller when an entry arrives; the other gets nothing', () =>
    withQueue([], async (queue, s) => {
      const abort = new AbortController();
      const one = queue.take(60_000, abort.signal);
      const other = queue.take(60_000, abort.signal);
      s.add('new');
      queue.notify();
      const winner = await Promise.race([one, other]);
      assert.deepEqual(bodies(winner.entries), ['new']);
      abort.abort();
      const loser = winner === (await one) ? await other : await one;
      assert.equal(loser.entries.length, 0, 'an entry is never handed to two callers');
      winner.commit();
    }));

  it('takes what is ready without waiting when the signal was aborted before, and nothing after an abort during the wait', () =>
    withQueue(['ready'], async (queue, s) => {
      const aborted = AbortSignal.abort();
      const lease = await queue.take(60_000, aborted);
      assert.deepEqual(bodies(lease.entries), ['ready']);
      lease.commit();
      const abort = new AbortController();
      const waiting = queue.take(60_000, abort.signal);
      abort.abort();
      s.add('late');
      assert.equal((await waiting).entries.length, 0);
    }));

  it('turns stored records into the engine entries, attachments included; a record stored before the newer message parts reads as having none', () =>
    withQueue([], async (queue, s) => {
      const file = contentOf(new Uint8Array([1, 2]));
      s.stored.set(7, {
        id: 7,
        entry: textRecord('with files', 7),
        attachments: [
          { content: file, filename: 'f.bin', contentType: 'application/octet-stream', size: 2, error: null },
          { content: null, filename: null, contentType: null, size: null, error: 'gone' },
        ],
      });
      s.stored.set(8, { id: 8, entry: { kind: 'failure', failure: 'undecryptable', senderServiceId: null, reason: 'no session' }, attachments: [] });
      const lease = await queue.take(0);
      assert.deepEqual(lease.entries, [
        {
          kind: 'message',
          sender: TEST_SENDER,
          timestamp: 7,
          groupId: null,
          body: 'with files',
          reaction: null,
          ...PLAIN_MESSAGE,
          attachments: [
            { content: file, filename: 'f.bin', contentType: 'application/octet-stream', size: 2, error: null },
            { content: null, filename: null, contentType: null, size: null, error: 'gone' },
          ],
        },
        { kind: 'failure', failure: 'undecryptable', senderServiceId: null, reason: 'no session' },
      ]);
      lease.release();
    }));
});
