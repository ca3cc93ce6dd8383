// Sync copies owed to the account's own devices (sent transcripts, read syncs). A send is answered
// once its copy is recorded here; the copy goes out in the background and its row is deleted once
// the server accepted it, so a crash in between resends it after the restart (at least once).
import { blob, type Db } from './database.js';

export interface PendingSyncCopy {
  id: number;
  timestamp: number;
  content: Uint8Array;
}

export class PendingSyncCopies {
  /** Never reused while the process runs, even after a rollback or a delete: callers hold ids across commits. */
  private nextId: number | null = null;

  constructor(private readonly db: Db) {}

  /** Runs in the caller's transaction when there is one (the send's own commit). */
  add(timestamp: number, content: Uint8Array): number {
    this.nextId ??= Number(this.db.prepare('SELECT coalesce(max(id), 0) AS top FROM pending_sync').get()?.top ?? 0) + 1;
    const id = this.nextId++;
    this.db.prepare('INSERT INTO pending_sync (id, timestamp, content, created_at) VALUES (?, ?, ?, ?)').run([id, timestamp, blob(content), Date.now()]);
    return id;
  }

  /** Oldest first: the order they were sent in. */
  all(): PendingSyncCopy[] {
    return this.db
      .prepare('SELECT id, timestamp, content FROM pending_sync ORDER BY id')
      .all()
      .map((row) => ({ id: Number(row.id), timestamp: Number(row.timestamp), content: row.content as Uint8Array }));
  }

  /** Runs in the caller's transaction when there is one. */
  remove(ids: readonly number[]): void {
    const del = this.db.prepare('DELETE FROM pending_sync WHERE id = ?');
    for (const id of ids) del.run([id]);
  }
}
