// A full disk where it arises: the transaction helper reports SQLITE_FULL as a DiskFullError (not
// as the failed ROLLBACK after it) and the connection stays usable; the inbox queue's commit never
// throws when a delete fails, and never hands those entries out again. The whole path through the
// daemon: test/e2e/diskFull.test.ts.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/database.js';
import { DiskFullError } from '../../src/store/diskFull.js';
import { InboxQueue, type InboxSource, type StoredInboxEntry } from '../../src/messenger/inboxQueue.js';
import { textRecord } from '../support/inboxRecords.js';

describe('transaction on a full disk', () => {
  let dir: string;
  let db: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigsock-diskfull-'));
    db = openDatabase(join(dir, 'account.db'), randomBytes(32).toString('hex'));
    db.exec('CREATE TABLE filler (b BLOB)');
    // SQLite's own limit: growing past the current size fails with SQLITE_FULL.
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fill = () => {
    for (let i = 0; i < 100; i++) db.prepare('INSERT INTO filler VALUES (zeroblob(65536))').run();
  };

  it('throws DiskFullError with the SQLite error as cause, and the database stays usable', () => {
    assert.throws(
      () => db.transaction(fill)(),
      (err: unknown) => {
        assert.ok(err instanceof DiskFullError, String(err));
        assert.equal((err.cause as { code?: string }).code, 'SQLITE_FULL');
        assert.equal(err.directory, dir);
        assert.match(err.message, new RegExp(`^disk full: .*; free space in ${dir}$`));
        assert.doesNotMatch(err.message, /account\.db/);
        return true;
      },
    );
    assert.equal(db.prepare('SELECT count(*) AS n FROM filler').get()?.n, 0, 'rolled back');
    db.pragma('max_page_count = 1073741823');
    db.transaction(() => db.prepare('INSERT INTO filler VALUES (1)').run())();
    assert.equal(db.prepare('SELECT count(*) AS n FROM filler').get()?.n, 1);
  });

  it('reports the disk, not the savepoint, when a nested transaction fills it', () => {
    assert.throws(() => db.transaction(() => db.transaction(fill)())(), DiskFullError);
    db.pragma('max_page_count = 1073741823');
    db.transaction(() => db.transaction(() => db.prepare('INSERT INTO filler VALUES (1)').run())())();
    assert.equal(db.prepare('SELECT count(*) AS n FROM filler').get()?.n, 1);
  });
});

describe('inbox queue when a delete fails', () => {
  function source(rows: number[]) {
    const stored = new Map(rows.map((id) => [id, { id, entry: textRecord(`m${id}`), attachments: [] } as StoredInboxEntry]));
    let failing = true;
    const src: InboxSource & { setFailing(v: boolean): void; stored: typeof stored } = {
      stored,
      setFailing: (v) => (failing = v),
      readyEntries: (limit, exclude) => [...stored.values()].filter((r) => !exclude.has(r.id)).slice(0, limit),
      deleteEntries: (ids) => {
        if (failing) throw new DiskFullError('/data/account.db', { cause: Object.assign(new Error('full'), { code: 'SQLITE_FULL' }) });
        for (const id of ids) stored.delete(id);
      },
    };
    return src;
  }

  it('does not throw, does not hand the entries out again, logs once, and deletes them once it can', async () => {
    const src = source([1, 2]);
    const logged: string[] = [];
    let deletes = 0;
    const queue = new InboxQueue(src, { log: (l) => logged.push(l), afterDelete: () => deletes++ });
    try {
      const first = await queue.take(0);
      assert.deepEqual(first.entries.map((e) => (e as { body?: string }).body), ['m1', 'm2']);
      assert.doesNotThrow(() => first.commit());
      assert.equal((await queue.take(0)).entries.length, 0, 'not handed out again');
      src.stored.set(3, { id: 3, entry: textRecord('m3'), attachments: [] });
      queue.notify();
      const next = await queue.take(0);
      assert.deepEqual(next.entries.map((e) => (e as { body?: string }).body), ['m3']);
      next.commit();
      assert.equal(logged.filter((l) => /could not be deleted/.test(l)).length, 1, logged.join('\n'));
      src.setFailing(false);
      src.stored.set(4, { id: 4, entry: textRecord('m4'), attachments: [] });
      queue.notify();
      (await queue.take(0)).commit();
      assert.deepEqual([...src.stored.keys()], [], 'every delivered entry deleted with the next delete');
      assert.equal(deletes, 1);
      assert.ok(logged.some((l) => /deleted now/.test(l)), logged.join('\n'));
    } finally {
      queue.stop();
    }
  });
});
