// Group commit on send (src/messenger/sendCommits.ts) over a fake batch: encryptions in flight
// together share one commit, each caller resumes only after it, a failed encryption undoes only its
// own writes, a failed commit fails every member, and the lock is held from the first encryption
// to the commit (nothing else touches the stores between them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProtocolBatch } from '../../src/store/protocolStores.js';
import { SEND_GROUP_MAX, SendCommits, type CommitBatch } from '../../src/messenger/sendCommits.js';
import { Mutex } from '../../src/util/mutex.js';

function world() {
  const events: string[] = [];
  let failCommit: Error | null = null;
  let pending: string[] = [];
  const openBatch = (): CommitBatch => ({
    stores: {} as ProtocolBatch['stores'],
    savepoint: () => {
      const at = pending.length;
      return () => {
        pending = pending.slice(0, at);
      };
    },
    commit(also?: () => void) {
      if (failCommit) throw failCommit;
      also?.();
      events.push(`commit ${pending.join(',')}`);
      pending = [];
    },
  });
  const lock = new Mutex();
  const commits = new SendCommits(lock, openBatch);
  /** A send: "encrypts" (writes its name), then is resumed after the commit. */
  const send = (name: string, fail = false, gate?: { started: () => void; release: Promise<void> }) =>
    commits
      .run(async () => {
        pending.push(name);
        gate?.started();
        await (gate?.release ?? new Promise((r) => setImmediate(r)));
        if (fail) throw new Error(`${name} failed`);
        return name;
      }, () => events.push(`also ${name}`))
      .then(
        (v) => events.push(`resumed ${v}`),
        (err: Error) => events.push(`rejected ${err.message}`),
      );
  return { events, lock, send, failCommits: (err: Error | null) => (failCommit = err) };
}

describe('send group commit', () => {
  it('commits the sends that queued during a commit together, and resumes each only after it', async () => {
    const w = world();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const a = w.send('a', false, { started, release: new Promise<void>((r) => (release = r)) });
    await running;
    const later = [w.send('b'), w.send('c')];
    release();
    await Promise.all([a, ...later]);
    // "a" started alone; "b" and "c" came while it ran and share the next commit.
    assert.deepEqual(w.events, ['also a', 'commit a', 'resumed a', 'also b', 'also c', 'commit b,c', 'resumed b', 'resumed c']);
  });

  it('a send whose encryption fails undoes only its own writes; the others commit', async () => {
    const w = world();
    await Promise.all([w.send('a'), w.send('b', true), w.send('c')]);
    assert.deepEqual(w.events, ['rejected b failed', 'also a', 'also c', 'commit a,c', 'resumed a', 'resumed c']);
  });

  it('a commit that fails resumes none of its sends (their messages are not sent)', async () => {
    const w = world();
    w.failCommits(new Error('disk full'));
    await Promise.all([w.send('a'), w.send('b')]);
    assert.deepEqual(w.events, ['rejected disk full', 'rejected disk full']);
  });

  it('holds the protocol lock from the first encryption of a group to its commit: other users run between groups', async () => {
    const w = world();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const a = w.send('a', false, { started, release: new Promise<void>((r) => (release = r)) });
    await running;
    const later = [w.send('b'), w.send('c')];
    const receive = w.lock.run(async () => {
      w.events.push('receive');
    });
    release();
    await Promise.all([a, ...later, receive]);
    assert.deepEqual(w.events, ['also a', 'commit a', 'resumed a', 'receive', 'also b', 'also c', 'commit b,c', 'resumed b', 'resumed c']);
  });

  it(`caps a group at ${SEND_GROUP_MAX} sends`, async () => {
    const w = world();
    const names = Array.from({ length: SEND_GROUP_MAX + 2 }, (_, i) => `s${i}`);
    await Promise.all(names.map((n) => w.send(n)));
    assert.deepEqual(
      w.events.filter((e) => e.startsWith('commit')).map((e) => e.split(',').length),
      [SEND_GROUP_MAX, 2],
    );
  });
});
