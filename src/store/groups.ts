// Groups the account has seen: master key, revision, decrypted title and member ACIs; and for
// sending with sender keys, our distribution id per group and which member devices hold it.
import { randomUUID } from 'node:crypto';
import { blob, type Db } from './database.js';

export interface StoredGroup {
  id: string;
  masterKey: Uint8Array;
  revision: number;
  title: string;
  members: string[];
  isMember: boolean;
  /** Invited, not yet members (service ids); absent: none. */
  pendingMembers?: string[];
}

function toGroup(row: Record<string, unknown> | undefined): StoredGroup | undefined {
  if (!row) return undefined;
  return {
    id: String(row.id),
    masterKey: row.master_key as Uint8Array,
    revision: Number(row.revision),
    title: String(row.title),
    members: JSON.parse(String(row.members)) as string[],
    isMember: Number(row.is_member) === 1,
    pendingMembers: JSON.parse(String(row.pending_members ?? '[]')) as string[],
  };
}

export class Groups {
  constructor(private readonly db: Db) {}

  upsertGroup(group: StoredGroup): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO grp (id, master_key, revision, title, members, is_member, pending_members, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run([
        group.id,
        blob(group.masterKey),
        group.revision,
        group.title,
        JSON.stringify(group.members),
        group.isMember ? 1 : 0,
        JSON.stringify(group.pendingMembers ?? []),
        Date.now(),
      ]);
  }

  getGroup(id: string): StoredGroup | undefined {
    return toGroup(this.db.prepare('SELECT * FROM grp WHERE id = ?').get([id]));
  }

  listGroups(): StoredGroup[] {
    return this.db.prepare('SELECT * FROM grp ORDER BY title, id').all().map((r) => toGroup(r)!);
  }

  /** Our sender-key distribution id for the group, created on first use. */
  distributionId(groupId: string): string {
    const row = this.db.prepare('SELECT distribution_id FROM group_sender_key WHERE group_id = ?').get([groupId]);
    if (row) return String(row.distribution_id);
    const id = randomUUID();
    this.db.prepare('INSERT INTO group_sender_key (group_id, distribution_id, created_at) VALUES (?, ?, ?)').run([groupId, id, Date.now()]);
    return id;
  }

  /**
   * Starts a new distribution id for the group (after a member left, so that they cannot read
   * what follows); every member needs the new key again.
   */
  rotateDistributionId(groupId: string): string {
    const old = this.db.prepare('SELECT distribution_id FROM group_sender_key WHERE group_id = ?').get([groupId]);
    const id = randomUUID();
    this.db.transaction(() => {
      if (old) this.db.prepare('DELETE FROM sender_key_shared WHERE distribution_id = ?').run([String(old.distribution_id)]);
      this.db.prepare('INSERT OR REPLACE INTO group_sender_key (group_id, distribution_id, created_at) VALUES (?, ?, ?)').run([groupId, id, Date.now()]);
    })();
    return id;
  }

  /** Member devices that were sent our sender key for this distribution id, by ACI. */
  sharedDevices(distributionId: string): Map<string, Set<number>> {
    const out = new Map<string, Set<number>>();
    for (const row of this.db.prepare('SELECT aci, device_id FROM sender_key_shared WHERE distribution_id = ?').all([distributionId])) {
      const aci = String(row.aci);
      let set = out.get(aci);
      if (!set) out.set(aci, (set = new Set()));
      set.add(Number(row.device_id));
    }
    return out;
  }

  markShared(distributionId: string, aci: string, deviceIds: number[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const device of deviceIds) {
        this.db
          .prepare('INSERT OR REPLACE INTO sender_key_shared (distribution_id, aci, device_id, shared_at) VALUES (?, ?, ?, ?)')
          .run([distributionId, aci, device, now]);
      }
    })();
  }

  /** The member's devices changed (or a send to them failed): they get the key again next time. */
  forgetShared(distributionId: string, aci: string): void {
    this.db.prepare('DELETE FROM sender_key_shared WHERE distribution_id = ? AND aci = ?').run([distributionId, aci]);
  }
}
