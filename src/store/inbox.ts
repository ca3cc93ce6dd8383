// The durable queue of received messages, with their attachments, and the ids of envelopes
// already handled (so a redelivery after a crash is dropped, not shown twice). An attachment's
// bytes live in an encrypted file beside the database (inboxFiles.ts); its row holds the file's
// name and key, committed only once the file is durable, and the file goes with its entry.
import { blob, type Db } from './database.js';
import { INBOX_FORMAT, InboxFormatError, type InboxRecord } from './inboxFormat.js';
import { isInboxFileName, type InboxFileRef, type InboxFiles, type InboxFileWriter } from './inboxFiles.js';

export interface NewAttachment {
  pointer: Uint8Array;
  filename: string | null;
  contentType: string | null;
  size: number | null;
}

/** An attachment's plaintext, read from its file chunk by chunk (or, for a test, held whole). */
export interface StoredContent {
  size: number;
  chunks(): Iterable<Uint8Array>;
}

export interface StoredAttachment {
  content: StoredContent | null;
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

const MISSING_FILE = 'the attachment file is missing from the data directory';

export class Inbox {
  constructor(
    private readonly db: Db,
    readonly files: InboxFiles,
  ) {}

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

  /** A new attachment file, for a download to write into before `completeAttachment` references it. */
  createAttachmentFile(): InboxFileWriter {
    return this.files.create();
  }

  /**
   * Records a download's outcome: a file written and made durable by `files.create()…finish()`, its
   * bytes (written to a file here; tests and the blob migration), or the error to deliver instead.
   * A file that is not referenced once this commits (a crash, a second completion) is an orphan,
   * removed by `removeOrphanFiles` at the next start.
   */
  completeAttachment(inboxId: number, idx: number, result: InboxFileRef | Uint8Array | { error: string }): void {
    const file = result instanceof Uint8Array ? this.writeFile(result) : 'name' in result ? result : null;
    const error = file === null && 'error' in result ? result.error : null;
    let referenced = false;
    try {
      this.db.transaction(() => {
        const { changes } = this.db
          .prepare('UPDATE inbox_attachment SET file = ?, file_key = ?, file_size = ?, error = ?, done = 1 WHERE inbox_id = ? AND idx = ? AND done = 0')
          .run([file?.name ?? null, file ? blob(file.key) : null, file?.size ?? null, error, inboxId, idx]);
        if (changes > 0) this.db.prepare('UPDATE inbox SET pending_attachments = pending_attachments - 1 WHERE id = ?').run([inboxId]);
        referenced = changes > 0;
      })();
    } finally {
      // Not committed (a full disk) or not needed (completed already): the download is tried again.
      if (file && !referenced) this.files.remove([file.name]);
    }
  }

  private writeFile(bytes: Uint8Array): InboxFileRef {
    const writer = this.files.create();
    try {
      writer.write(bytes);
      return writer.finish();
    } catch (err) {
      writer.discard();
      throw err;
    }
  }

  /**
   * Moves attachments stored as blobs in the database (schema versions before 5 kept them there) into
   * files, one row per transaction, so an upgraded inbox is served like a new one. A crash midway
   * leaves an orphan file at worst; the row keeps its blob until the file is referenced.
   */
  moveBlobsToFiles(): number {
    let moved = 0;
    const next = this.db.prepare('SELECT inbox_id, idx, data FROM inbox_attachment WHERE data IS NOT NULL LIMIT 1');
    for (let row = next.get(); row; row = next.get()) {
      const file = this.writeFile(row.data as Uint8Array);
      this.db
        .prepare('UPDATE inbox_attachment SET data = NULL, file = ?, file_key = ?, file_size = ? WHERE inbox_id = ? AND idx = ?')
        .run([file.name, blob(file.key), file.size, Number(row.inbox_id), Number(row.idx)]);
      moved++;
    }
    return moved;
  }

  /** Deletes attachment files no row references (see completeAttachment, deleteEntries). */
  removeOrphanFiles(): number {
    const referenced = new Set(
      this.db
        .prepare('SELECT file FROM inbox_attachment WHERE file IS NOT NULL')
        .all()
        .map((r) => String(r.file)),
    );
    return this.files.removeOrphans((name) => referenced.has(name));
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
      'SELECT data, file, file_key, file_size, filename, content_type, size, error FROM inbox_attachment WHERE inbox_id = ? ORDER BY idx',
    );
    return picked.map((p) => ({
      id: p.id,
      entry: parseRecord(p.entry, p.format),
      attachments: attachments.all([p.id]).map((a) => {
        const found = this.contentOf(a);
        const failed = found !== null && 'error' in found;
        return {
          content: failed ? null : found,
          filename: (a.filename as string | null) ?? null,
          contentType: (a.content_type as string | null) ?? null,
          size: a.size === null ? null : Number(a.size),
          error: failed ? found.error : ((a.error as string | null) ?? null),
        };
      }),
    }));
  }

  /**
   * The plaintext of an attachment row: its file, or a blob not yet moved to one. A file that is
   * gone (deleted by hand) is delivered as an error rather than failing the whole answer mid-write.
   */
  private contentOf(row: Record<string, unknown>): StoredContent | { error: string } | null {
    if (row.data !== null && row.data !== undefined) {
      const data = row.data as Uint8Array;
      return { size: data.length, chunks: () => [data] };
    }
    if (row.file === null || row.file === undefined) return row.error === null ? null : { error: String(row.error) };
    const ref: InboxFileRef = { name: String(row.file), key: row.file_key as Uint8Array, size: Number(row.file_size) };
    if (!isInboxFileName(ref.name) || !this.files.exists(ref.name)) return { error: MISSING_FILE };
    return { size: ref.size, chunks: () => this.files.chunks(ref) };
  }

  /**
   * Deleting what a client received is the one write that may be lost to a power cut (the entries
   * would come again, never go missing), so it skips the fsync: WAL with synchronous=NORMAL still
   * survives the daemon being killed. A shorter delete is a shorter window in which a kill after
   * the answer was written repeats its entries (docs/reliability.md).
   */
  deleteEntries(ids: number[]): void {
    if (ids.length === 0) return;
    const files = this.filesOf(ids);
    // Attachment files go once their rows are gone for good: a delete lost to a power cut would
    // otherwise bring back entries whose files are deleted. So a delete that removes files keeps
    // the fsync; a crash between the commit and the unlinks leaves orphans for the next start.
    if (files.length === 0) this.db.pragma('synchronous = NORMAL');
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
      if (files.length === 0) this.db.pragma('synchronous = FULL');
    }
    this.files.remove(files.filter(isInboxFileName));
  }

  private filesOf(ids: number[]): string[] {
    const query = this.db.prepare('SELECT file FROM inbox_attachment WHERE inbox_id = ? AND file IS NOT NULL');
    return ids.flatMap((id) => query.all([id]).map((r) => String(r.file)));
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
