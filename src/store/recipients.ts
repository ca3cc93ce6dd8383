// People the account knows: ACI ↔ phone number, profile key (for sealed sender), name.
import { blobOrNull, type Db } from './database.js';

export interface Recipient {
  aci: string;
  e164: string | null;
  pni: string | null;
  profileKey: Uint8Array | null;
  /** The name in the owner's contact list (contact sync or the storage service). */
  name: string | null;
  /** The name set on this device (`updateContact`); shown before `name`. */
  localName: string | null;
  /** The recipient's own Signal profile name, decrypted with the profile key they shared. */
  profileName: string | null;
  /** The conversation's disappearing-message timer in seconds, when contact sync said. */
  expireTimer: number | null;
  /** The owner wrote to them or accepted their message request: their messages are not requests. */
  accepted: boolean;
}

export interface RecipientUpdate {
  aci: string;
  e164?: string;
  pni?: string;
  profileKey?: Uint8Array;
  name?: string;
  expireTimer?: number;
}

function toRecipient(row: Record<string, unknown> | undefined): Recipient | undefined {
  if (!row) return undefined;
  return {
    aci: String(row.aci),
    e164: (row.e164 as string | null) ?? null,
    pni: (row.pni as string | null) ?? null,
    profileKey: (row.profile_key as Uint8Array | null) ?? null,
    name: (row.name as string | null) ?? null,
    localName: (row.local_name as string | null | undefined) ?? null,
    profileName: (row.profile_name as string | null | undefined) ?? null,
    expireTimer: row.expire_timer === null || row.expire_timer === undefined ? null : Number(row.expire_timer),
    accepted: Number(row.accepted ?? 0) === 1,
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
          `INSERT INTO recipient (aci, e164, pni, profile_key, name, expire_timer, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(aci) DO UPDATE SET
             e164 = COALESCE(excluded.e164, e164), pni = COALESCE(excluded.pni, pni),
             profile_key = COALESCE(excluded.profile_key, profile_key), name = COALESCE(excluded.name, name),
             profile_name = CASE WHEN excluded.profile_key IS NOT NULL AND excluded.profile_key IS NOT profile_key THEN NULL ELSE profile_name END,
             expire_timer = COALESCE(excluded.expire_timer, expire_timer),
             updated_at = excluded.updated_at`,
        )
        .run([
          update.aci,
          update.e164 ?? null,
          update.pni ?? null,
          blobOrNull(update.profileKey),
          update.name ?? null,
          update.expireTimer ?? null,
          Date.now(),
        ]);
    })();
  }

  /** The name the owner gives `aci` on this device; null clears it. Creates the row when needed. */
  setLocalName(aci: string, e164: string | null, localName: string | null): void {
    this.upsertRecipient({ aci, e164: e164 ?? undefined });
    this.db.prepare('UPDATE recipient SET local_name = ?, updated_at = ? WHERE aci = ?').run([localName, Date.now(), aci]);
  }

  /** Marks `aci` as someone the owner talks to (creating the row when needed). */
  setAccepted(aci: string, accepted = true): void {
    this.upsertRecipient({ aci });
    this.db.prepare('UPDATE recipient SET accepted = ? WHERE aci = ?').run([accepted ? 1 : 0, aci]);
  }

  /** The profile name decrypted with `profileKey`; kept only while that is still the recipient's key. */
  setProfileName(aci: string, profileKey: Uint8Array, profileName: string | null): boolean {
    const { changes } = this.db
      .prepare('UPDATE recipient SET profile_name = ?, updated_at = ? WHERE aci = ? AND profile_key = ?')
      .run([profileName, Date.now(), aci, blobOrNull(profileKey)]);
    return changes > 0;
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
