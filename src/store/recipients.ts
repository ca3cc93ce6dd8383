// People the account knows: ACI ↔ phone number, profile key (for sealed sender), name.
import { blobOrNull, type Db } from './database.js';

export interface Recipient {
  aci: string;
  e164: string | null;
  pni: string | null;
  profileKey: Uint8Array | null;
  name: string | null;
}

export interface RecipientUpdate {
  aci: string;
  e164?: string;
  pni?: string;
  profileKey?: Uint8Array;
  name?: string;
}

function toRecipient(row: Record<string, unknown> | undefined): Recipient | undefined {
  if (!row) return undefined;
  return {
    aci: String(row.aci),
    e164: (row.e164 as string | null) ?? null,
    pni: (row.pni as string | null) ?? null,
    profileKey: (row.profile_key as Uint8Array | null) ?? null,
    name: (row.name as string | null) ?? null,
  };
}

export class Recipients {
  constructor(private readonly db: Db) {}

  upsertRecipient(update: RecipientUpdate): void {
    this.db.transaction(() => {
      if (update.e164) {
        // A number belongs to one account at a time; it moved if another ACI had it.
        this.db.prepare('UPDATE recipient SET e164 = NULL WHERE e164 = ? AND aci != ?').run([update.e164, update.aci]);
      }
      this.db
        .prepare(
          `INSERT INTO recipient (aci, e164, pni, profile_key, name, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(aci) DO UPDATE SET
             e164 = COALESCE(excluded.e164, e164), pni = COALESCE(excluded.pni, pni),
             profile_key = COALESCE(excluded.profile_key, profile_key), name = COALESCE(excluded.name, name),
             updated_at = excluded.updated_at`,
        )
        .run([update.aci, update.e164 ?? null, update.pni ?? null, blobOrNull(update.profileKey), update.name ?? null, Date.now()]);
    })();
  }

  byE164(e164: string): Recipient | undefined {
    return toRecipient(this.db.prepare('SELECT * FROM recipient WHERE e164 = ?').get([e164]));
  }

  byAci(aci: string): Recipient | undefined {
    return toRecipient(this.db.prepare('SELECT * FROM recipient WHERE aci = ?').get([aci]));
  }

  all(): Recipient[] {
    return this.db.prepare('SELECT * FROM recipient ORDER BY aci').all().map((r) => toRecipient(r)!);
  }
}
