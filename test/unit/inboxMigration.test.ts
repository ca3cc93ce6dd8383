// Upgrading sigsock keeps a queued inbox: entries stored in the old protocol-shaped format 1 are
// converted to format 2 by migration 4 and then delivered byte for byte as the old code delivered
// them, through the socket (receive_messages) and through `sigsock receive` (text and --json).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from '@signalapp/sqlcipher';
import { formatEntry } from '../../src/cli/entryFormat.js';
import { InboxQueue } from '../../src/messenger/inboxQueue.js';
import { encodeAnswer } from '../../src/socket/answerEncoder.js';
import { runCommand } from '../../src/socket/commands.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { Inbox } from '../../src/store/inbox.js';
import { fromFormat1, InboxFormatError } from '../../src/store/inboxFormat.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { FakeEngine } from '../support/fakeEngine.js';
import { LATE_ATTACHMENT, LEGACY_ROWS, writeLegacyDatabase } from '../support/legacyInbox.js';
import {
  OLD_CLI_JSON,
  OLD_CLI_JSON_IGNORING_ATTACHMENTS,
  OLD_CLI_TEXT,
  OLD_SOCKET_ANSWER,
  OLD_SOCKET_ANSWER_IGNORING_ATTACHMENTS,
} from '../support/legacyInboxOutput.js';

const KEY = 'cd'.repeat(32);

/** The bytes a connection writes for an answer: text pieces as they are, attachment bytes as base64. */
function answerBytes(response: unknown): string {
  return encodeAnswer(response)
    .map((piece) => (typeof piece === 'string' ? piece : Buffer.from(piece).toString('base64')))
    .join('');
}

describe('an inbox queued before the upgrade', () => {
  let dir: string;
  let db: Db;
  let queue: InboxQueue;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigsock-inbox-v1-'));
    const path = join(dir, 'account.db');
    const pending = writeLegacyDatabase(path, KEY);
    db = openDatabase(path, KEY);
    const inbox = new Inbox(db);
    // A download that was still running when sigsock stopped finishes after the upgrade.
    for (const { inboxId, idx } of pending) inbox.completeAttachment(inboxId, idx, LATE_ATTACHMENT);
    queue = new InboxQueue(inbox, { log: () => {} });
  });
  afterEach(() => {
    queue.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is converted to format 2 by the migration', () => {
    assert.equal(Number(db.pragma('user_version', { simple: true })), MIGRATIONS.length, 'migrated to the newest schema');
    const formats = db.prepare('SELECT format FROM inbox ORDER BY id').all().map((r) => Number(r.format));
    assert.deepEqual(formats, LEGACY_ROWS.map(() => 2));
    const kinds = db.prepare('SELECT entry FROM inbox ORDER BY id').all().map((r) => (JSON.parse(String(r.entry)) as { kind: string }).kind);
    assert.deepEqual(kinds, ['message', 'message', 'failure', 'failure', 'message', 'message']);
  });

  it('is answered by receive_messages byte for byte as before, with and without attachment data', async () => {
    const messenger = new FakeEngine();
    messenger.onTake = (timeoutMs, signal) => queue.take(timeoutMs, signal);
    const ctx = { messenger, limits: { maxAttachmentBytes: 1e9, maxReceiveTimeoutMs: 1000 } };
    for (const [ignoreAttachments, expected] of [
      [false, OLD_SOCKET_ANSWER],
      [true, OLD_SOCKET_ANSWER_IGNORING_ATTACHMENTS],
    ] as const) {
      const outcome = await runCommand({ command: 'receive_messages', reqId: 'r', ignoreAttachments }, ctx);
      assert.equal(answerBytes(outcome.response), expected);
      outcome.lease!.release();
    }
  });

  it('is printed by `sigsock receive` exactly as before, as text and as --json', async () => {
    const lease = await queue.take(0);
    const print = (json: boolean, ignoreAttachments: boolean) => lease.entries.map((e) => formatEntry(e, { json, ignoreAttachments })).join('');
    assert.equal(print(true, false), OLD_CLI_JSON);
    assert.equal(print(true, true), OLD_CLI_JSON_IGNORING_ATTACHMENTS);
    assert.equal(print(false, false), OLD_CLI_TEXT);
    lease.release();
  });
});

describe('format 1 entries', () => {
  it('that the old code never wrote stop the migration with a typed error that shows no content', () => {
    for (const json of ['{"statusCode":3,"errorMessage":"secret"}', '{"body":"secret"}']) {
      assert.throws(
        () => fromFormat1(json),
        (err: unknown) => err instanceof InboxFormatError && !err.message.includes('secret'),
      );
    }
  });

  it('that cannot be converted leave the database as it was (the migration runs in one transaction)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigsock-inbox-v1-bad-'));
    try {
      const path = join(dir, 'account.db');
      writeLegacyDatabase(path, KEY);
      const raw = openRawAtVersion3(path);
      raw.prepare('INSERT INTO inbox (received_at, entry, pending_attachments) VALUES (0, ?, 0)').run(['{"statusCode":3,"errorMessage":"x"}']);
      raw.close();
      assert.throws(() => openDatabase(path, KEY), InboxFormatError);
      const after = openRawAtVersion3(path);
      assert.equal(Number(after.pragma('user_version', { simple: true })), 3);
      assert.equal(Number(after.prepare('SELECT count(*) AS n FROM inbox').get()?.n), LEGACY_ROWS.length + 1);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The file without the migrations openDatabase would run. */
function openRawAtVersion3(path: string): Db {
  const db = new Database(path);
  db.pragma(`key = "x'${KEY}'"`);
  return db;
}
