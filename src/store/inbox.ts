// The durable queue of received messages, with their attachments, and the ids of envelopes
// already handled (so a redelivery after a crash is dropped, not shown twice).
import { blob, type Db } from './database.js';
import { INBOX_FORMAT, InboxFormatError, type InboxRecord } from './inboxFormat.js';

export interface NewAttachment {
  pointer: Uint8Array;
  filename: string | null;
  contentType: string | null;
  size: number | null;
}

export interface StoredAttachment {
  data: Uint8Array | null;
  filename: string | null;
  contentType: string | null;
  size: number | null;
  error: string | null;
}

export interface StoredEntry {
  id: number;
  entry: InboxRecord;
  attachments: StoredAttachment[];
}

const SEEN_RETENTION_MS = 30 * 24 * 3600 * 1000;
const PAGE = 200;

export class Inbox {
  constructor(private readonly db: Db) {}

  insertEntry(entry: InboxRecord, attachments: NewAttachment[]): number {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO inbox (received_at, entry, format, pending_attachments) VALUES (?, ?, ?, ?)')
      .run([Date.now(), JSON.stringify(entry), INBOX_FORMAT, attachments.length]);
    const id = Number(lastInsertRowid);
    const insert = this.db.prepare(
      'INSERT INTO inbox_attachment (inbox_id, idx, pointer, filename, content_type, size) VALUES (?, ?, ?, ?, ?, ?)',
    );
    attachments.forEach((a, idx) => insert.run([id, idx, blob(a.pointer), a.filename, a.contentType, a.size]));
    return id;
  }

  pendingAttachments(): { inboxId: number; idx: number; pointer: Uint8Array }[] {
    return this.db
      .prepare('SELECT inbox_id, idx, pointer FROM inbox_attachment WHERE done = 0 ORDER BY inbox_id, idx')
      .all()
      .map((r) => ({ inboxId: Number(r.inbox_id), idx: Number(r.idx), pointer: r.pointer as Uint8Array }));
  }

  completeAttachment(inboxId: number, idx: number, result: Uint8Array | { error: string }): void {
    this.db.transaction(() => {
      const { changes } = this.db
        .prepare('UPDATE inbox_attachment SET data = ?, error = ?, done = 1 WHERE inbox_id = ? AND idx = ? AND done = 0')
        .run(result instanceof Uint8Array ? [blob(result), null, inboxId, idx] : [null, result.error, inboxId, idx]);
      if (changes > 0) this.db.prepare('UPDATE inbox SET pending_attachments = pending_attachments - 1 WHERE id = ?').run([inboxId]);
    })();
  }

  /** Entries in arrival order, skipping `excludeIds`, stopping before one still downloading. */
  readyEntries(limit: number, excludeIds: Set<number>): StoredEntry[] {
    const picked: { id: number; entry: string; format: number }[] = [];
    let after = 0;
    outer: while (picked.length < limit) {
      const rows = this.db.prepare('SELECT id, entry, format, pending_attachments FROM inbox WHERE id > ? ORDER BY id LIMIT ?').all([after, PAGE]);
      if (rows.length === 0) break;
      for (const row of rows) {
        const id = Number(row.id);
        after = id;
        if (excludeIds.has(id)) continue;
        if (Number(row.pending_attachments) > 0) break outer;
        picked.push({ id, entry: String(row.entry), format: Number(row.format) });
        if (picked.length >= limit) break outer;
      }
    }
    const attachments = this.db.prepare(
      'SELECT data, filename, content_type, size, error FROM inbox_attachment WHERE inbox_id = ? ORDER BY idx',
    );
    return picked.map((p) => ({
      id: p.id,
      entry: parseRecord(p.entry, p.format),
      attachments: attachments.all([p.id]).map((a) => ({
        data: (a.data as Uint8Array | null) ?? null,
        filename: (a.filename as string | null) ?? null,
        contentType: (a.content_type as string | null) ?? null,
        size: a.size === null ? null : Number(a.size),
        error: (a.error as string | null) ?? null,
      })),
    }));
  }

  /**
   * Deleting what a client received is the one write that may be lost to a power cut (the entries
   * would come again, never go missing), so it skips the fsync: WAL with synchronous=NORMAL still
   * survives the daemon being killed. A shorter delete is a shorter window in which a kill after
   * the answer was written repeats its entries (docs/reliability.md).
   */
  deleteEntries(ids: number[]): void {
    if (ids.length === 0) return;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
        const att = this.db.prepare('DELETE FROM inbox_attachment WHERE inbox_id = ?');
        const entry = this.db.prepare('DELETE FROM inbox WHERE id = ?');
        for (const id of ids) {
          att.run([id]);
          entry.run([id]);
        }
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  count(): number {
    return Number(this.db.prepare('SELECT count(*) AS n FROM inbox').get()?.n ?? 0);
  }

  hasSeenEnvelope(id: string): boolean {
    return this.db.prepare('SELECT 1 AS x FROM seen_envelope WHERE id = ?').get([id]) !== undefined;
  }

  markEnvelopeSeen(id: string): void {
    this.db.prepare('INSERT OR IGNORE INTO seen_envelope (id, seen_at) VALUES (?, ?)').run([id, Date.now()]);
  }

  pruneSeenEnvelopes(now = Date.now()): void {
    this.db.prepare('DELETE FROM seen_envelope WHERE seen_at < ?').run([now - SEEN_RETENTION_MS]);
  }
}

/** Every entry is in the current format once the migrations ran; anything else is a bug, not data to guess at. */
function parseRecord(json: string, format: number): InboxRecord {
  if (format !== INBOX_FORMAT) throw new InboxFormatError(`an inbox entry is in format ${format}, expected ${INBOX_FORMAT}`);
  return JSON.parse(json) as InboxRecord;
}
