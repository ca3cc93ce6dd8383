// The inbox's attachment files: private, encrypted at rest, read back in checked segments; a file
// changed on disk does not read; files no row references are removed at start-up; an entry's
// file goes with the entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/database.js';
import { Inbox } from '../../src/store/inbox.js';
import { InboxFileCorruptError, InboxFiles, SEGMENT_BYTES } from '../../src/store/inboxFiles.js';
import { textRecord } from '../support/inboxRecords.js';
import { withTempDir } from '../support/tempDir.js';

const KEY = 'ab'.repeat(32);
const read = (files: InboxFiles, ref: Parameters<InboxFiles['chunks']>[0]) => Buffer.concat([...files.chunks(ref)]);

test('a file written in uneven pieces reads back whole, 0600 in a 0700 folder, and is not the plaintext', () =>
  withTempDir('sigsock-files-', (dir) => {
    const files = new InboxFiles(join(dir, 'att'));
    for (const size of [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES + 17]) {
      const plain = randomBytes(size);
      const writer = files.create();
      for (let at = 0, step = 1; at < size; at += step, step = step * 5 + 3) writer.write(plain.subarray(at, Math.min(size, at + step)));
      const ref = writer.finish();
      assert.equal(ref.size, size);
      assert.ok(read(files, ref).equals(plain), `${size} bytes`);
      const path = join(dir, 'att', ref.name);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      if (size > 64) assert.equal(readFileSync(path).includes(plain.subarray(0, 64)), false, 'encrypted at rest');
    }
    assert.equal(statSync(join(dir, 'att')).mode & 0o777, 0o700);
  }));

test('a file changed, cut at a segment boundary or read with another key does not read', () =>
  withTempDir('sigsock-files-', (dir) => {
    const files = new InboxFiles(dir);
    const writer = files.create();
    writer.write(randomBytes(2 * SEGMENT_BYTES + 5));
    const ref = writer.finish();
    const path = join(dir, ref.name);
    const original = readFileSync(path);

    const flipped = Buffer.from(original);
    flipped[100] ^= 1;
    writeFileSync(path, flipped);
    assert.throws(() => read(files, ref), InboxFileCorruptError);

    writeFileSync(path, original);
    truncateSync(path, 2 * (SEGMENT_BYTES + 16));
    assert.throws(() => read(files, ref), InboxFileCorruptError, 'two whole segments, the last missing');

    writeFileSync(path, original);
    assert.throws(() => read(files, { ...ref, key: randomBytes(32) }), InboxFileCorruptError);
    assert.equal(read(files, ref).length, ref.size, 'the original still reads');
  }));

test('the inbox references a file only once committed, removes orphans, and deletes a file with its entry', () =>
  withTempDir('sigsock-files-', (dir) => {
    const db = openDatabase(join(dir, 'a.db'), KEY);
    try {
      const files = new InboxFiles(join(dir, 'a.attachments'));
      const inbox = new Inbox(db, files);
      const id = inbox.insertEntry(textRecord('with a file'), [{ pointer: new Uint8Array([1]), filename: 'f.bin', contentType: null, size: 70_000 }]);
      const plain = randomBytes(70_000);
      // A crash between writing a file and committing it: the file exists, no row names it.
      const orphan = files.create();
      orphan.write(plain);
      orphan.finish();
      const written = files.create();
      written.write(plain);
      inbox.completeAttachment(id, 0, written.finish());
      assert.equal(readdirSync(join(dir, 'a.attachments')).length, 2);
      assert.equal(inbox.removeOrphanFiles(), 1);
      const [entry] = inbox.readyEntries(10, new Set());
      const content = entry!.attachments[0]!.content!;
      assert.equal(content.size, plain.length);
      assert.ok(Buffer.concat([...content.chunks()]).equals(plain));
      inbox.deleteEntries([id]);
      assert.deepEqual(readdirSync(join(dir, 'a.attachments')), []);
    } finally {
      db.close();
    }
  }));

test('a file gone from the data directory is delivered as an error, not a broken answer', () =>
  withTempDir('sigsock-files-', (dir) => {
    const db = openDatabase(join(dir, 'a.db'), KEY);
    try {
      const files = new InboxFiles(join(dir, 'a.attachments'));
      const inbox = new Inbox(db, files);
      const id = inbox.insertEntry(textRecord('x'), [{ pointer: new Uint8Array([1]), filename: null, contentType: null, size: 3 }]);
      inbox.completeAttachment(id, 0, new Uint8Array([1, 2, 3]));
      files.removeOrphans(() => false);
      const [entry] = inbox.readyEntries(10, new Set());
      assert.equal(entry!.attachments[0]!.content, null);
      assert.match(entry!.attachments[0]!.error!, /missing/);
    } finally {
      db.close();
    }
  }));
