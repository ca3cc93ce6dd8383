// An account database as sigsock wrote it before inbox format 2 (schema version 3): the inbox held
// each entry in the socket protocol's shape. The rows are what the old receive path stored
// (recordEnvelope → Inbox.insertEntry → JSON.stringify), written with the old statements.
import Database from '@signalapp/sqlcipher';
import { MIGRATIONS } from '../../src/store/migrations.js';

export const ATTACHMENT = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
/** The bytes of the attachment still downloading when sigsock was upgraded. */
export const LATE_ATTACHMENT = new Uint8Array([0, 255, 1, 254, 2]);

type LegacyAttachment = { filename: string | null; contentType: string | null; size: number | null; result: Uint8Array | { error: string } | 'pending' };

export const LEGACY_ROWS: { entry: object; attachments: LegacyAttachment[] }[] = [
  {
    entry: { timestamp: 1700000000001, sender: '+4915100000001', senderUuid: '11111111-1111-4111-8111-111111111111', body: 'hello "bot" \\ 😀' },
    attachments: [
      { filename: 'a.bin', contentType: 'application/octet-stream', size: 300, result: ATTACHMENT },
      { filename: null, contentType: 'image/png', size: null, result: { error: 'attachment: digest mismatch' } },
    ],
  },
  {
    entry: {
      timestamp: 1700000000002,
      sender: '+4915100000002',
      senderUuid: '22222222-2222-4222-8222-222222222222',
      body: null,
      groupId: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=',
      reaction: { emoji: '👍', author: '+4915100000001', authorUuid: '11111111-1111-4111-8111-111111111111', timestamp: 1700000000001, remove: false },
    },
    attachments: [],
  },
  { entry: { statusCode: 8, errorMessage: 'could not decrypt a message from 33333333-3333-4333-8333-333333333333: invalid MAC' }, attachments: [] },
  { entry: { statusCode: 10, errorMessage: 'received an envelope that is not valid: index out of range: 3 + 7 > 5' }, attachments: [] },
  {
    entry: {
      timestamp: 1700000000005,
      sender: null,
      senderUuid: '44444444-4444-4444-8444-444444444444',
      body: 'lone \ud800 and \u2028 line sep',
      reaction: { emoji: '❤️', author: null, authorUuid: null, timestamp: 1699999999999, remove: true },
    },
    attachments: [],
  },
  {
    entry: { timestamp: 1700000000006, sender: '+4915100000001', senderUuid: '11111111-1111-4111-8111-111111111111', body: 'in group', groupId: 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=' },
    attachments: [{ filename: 'late.txt', contentType: 'text/plain', size: 5, result: 'pending' }],
  },
];

/** Writes a schema-3 database at `path` holding LEGACY_ROWS; returns the inbox ids of pending attachments. */
export function writeLegacyDatabase(path: string, keyHex: string): { inboxId: number; idx: number }[] {
  const db = new Database(path);
  try {
    db.pragma(`key = "x'${keyHex}'"`);
    for (const step of MIGRATIONS.slice(0, 3)) {
      if (typeof step !== 'string') throw new Error('schema versions 1 to 3 are SQL');
      db.exec(step);
    }
    db.pragma('user_version = 3');
    const pending: { inboxId: number; idx: number }[] = [];
    for (const row of LEGACY_ROWS) {
      const { lastInsertRowid } = db
        .prepare('INSERT INTO inbox (received_at, entry, pending_attachments) VALUES (?, ?, ?)')
        .run([Date.now(), JSON.stringify(row.entry), row.attachments.length]);
      const id = Number(lastInsertRowid);
      row.attachments.forEach((a, idx) => {
        db.prepare('INSERT INTO inbox_attachment (inbox_id, idx, pointer, filename, content_type, size) VALUES (?, ?, ?, ?, ?, ?)').run([
          id,
          idx,
          new Uint8Array([9]),
          a.filename,
          a.contentType,
          a.size,
        ]);
        if (a.result === 'pending') {
          pending.push({ inboxId: id, idx });
          return;
        }
        const done = a.result instanceof Uint8Array ? [a.result as Uint8Array<ArrayBuffer>, null] : [null, a.result.error];
        db.prepare('UPDATE inbox_attachment SET data = ?, error = ?, done = 1 WHERE inbox_id = ? AND idx = ?').run([...done, id, idx]);
        db.prepare('UPDATE inbox SET pending_attachments = pending_attachments - 1 WHERE id = ?').run([id]);
      });
    }
    return pending;
  } finally {
    db.close();
  }
}
