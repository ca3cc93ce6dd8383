// Who this account blocked: accounts by ACI or by phone number (the phone's list may name a number
// whose ACI is unknown here), and groups by id. Small enough to be read whole and kept in memory by
// the engine; written only when the owner or the phone changes it.
import type { Db } from './database.js';

export type BlockedKind = 'aci' | 'e164' | 'group';

export interface BlockedEntries {
  acis: string[];
  numbers: string[];
  groupIds: string[];
}

export class BlockList {
  constructor(private readonly db: Db) {}

  all(): BlockedEntries {
    const out: BlockedEntries = { acis: [], numbers: [], groupIds: [] };
    for (const row of this.db.prepare('SELECT kind, id FROM blocked ORDER BY blocked_at, id').all()) {
      const id = String(row.id);
      if (row.kind === 'aci') out.acis.push(id);
      else if (row.kind === 'e164') out.numbers.push(id);
      else if (row.kind === 'group') out.groupIds.push(id);
    }
    return out;
  }

  add(kind: BlockedKind, id: string): void {
    this.db.prepare('INSERT OR IGNORE INTO blocked (kind, id, blocked_at) VALUES (?, ?, ?)').run([kind, id, Date.now()]);
  }

  remove(kind: BlockedKind, id: string): void {
    this.db.prepare('DELETE FROM blocked WHERE kind = ? AND id = ?').run([kind, id]);
  }

  /** The phone's list replaces ours whole: what it no longer names was unblocked there. */
  replace(entries: BlockedEntries): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM blocked');
      for (const aci of entries.acis) this.add('aci', aci);
      for (const e164 of entries.numbers) this.add('e164', e164);
      for (const groupId of entries.groupIds) this.add('group', groupId);
    })();
  }
}
