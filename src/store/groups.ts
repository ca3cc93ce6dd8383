// Groups the account has seen: master key, revision, decrypted title and member ACIs.
import { blob, type Db } from './database.js';

export interface StoredGroup {
  id: string;
  masterKey: Uint8Array;
  revision: number;
  title: string;
  members: string[];
  isMember: boolean;
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
  };
}

export class Groups {
  constructor(private readonly db: Db) {}

  upsertGroup(group: StoredGroup): void {
    this.db
      .prepare('INSERT OR REPLACE INTO grp (id, master_key, revision, title, members, is_member, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run([group.id, blob(group.masterKey), group.revision, group.title, JSON.stringify(group.members), group.isMember ? 1 : 0, Date.now()]);
  }

  getGroup(id: string): StoredGroup | undefined {
    return toGroup(this.db.prepare('SELECT * FROM grp WHERE id = ?').get([id]));
  }

  listGroups(): StoredGroup[] {
    return this.db.prepare('SELECT * FROM grp ORDER BY title, id').all().map((r) => toGroup(r)!);
  }
}
