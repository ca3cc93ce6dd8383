// Schema changes in order; `PRAGMA user_version` counts how many were applied. A migration is SQL,
// or a function for what SQL cannot say well (rewriting JSON); all run in one transaction.
import type { Db } from './database.js';
import { fromFormat1, INBOX_FORMAT } from './inboxFormat.js';

export type Migration = string | ((db: Db) => void);

export const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE account (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE identity (
    kind TEXT NOT NULL, address TEXT NOT NULL, public_key BLOB NOT NULL,
    trust INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, address));
  CREATE TABLE session (
    kind TEXT NOT NULL, name TEXT NOT NULL, device_id INTEGER NOT NULL, record BLOB NOT NULL,
    PRIMARY KEY (kind, name, device_id));
  CREATE TABLE prekey (kind TEXT NOT NULL, id INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (kind, id));
  CREATE TABLE signed_prekey (kind TEXT NOT NULL, id INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY (kind, id));
  CREATE TABLE kyber_prekey (
    kind TEXT NOT NULL, id INTEGER NOT NULL, record BLOB NOT NULL, last_resort INTEGER NOT NULL,
    PRIMARY KEY (kind, id));
  CREATE TABLE kyber_prekey_use (
    kind TEXT NOT NULL, id INTEGER NOT NULL, signed_id INTEGER NOT NULL, base_key BLOB NOT NULL,
    PRIMARY KEY (kind, id, signed_id, base_key));
  CREATE TABLE sender_key (
    name TEXT NOT NULL, device_id INTEGER NOT NULL, distribution_id TEXT NOT NULL, record BLOB NOT NULL,
    PRIMARY KEY (name, device_id, distribution_id));
  CREATE TABLE inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL, entry TEXT NOT NULL,
    pending_attachments INTEGER NOT NULL);
  CREATE TABLE inbox_attachment (
    inbox_id INTEGER NOT NULL REFERENCES inbox(id) ON DELETE CASCADE, idx INTEGER NOT NULL,
    pointer BLOB NOT NULL, data BLOB, filename TEXT, content_type TEXT, size INTEGER, error TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (inbox_id, idx));
  CREATE TABLE seen_envelope (id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
  CREATE INDEX seen_envelope_age ON seen_envelope (seen_at);
  CREATE TABLE recipient (
    aci TEXT PRIMARY KEY, e164 TEXT UNIQUE, pni TEXT, profile_key BLOB, name TEXT, updated_at INTEGER NOT NULL);
  CREATE TABLE grp (
    id TEXT PRIMARY KEY, master_key BLOB NOT NULL, revision INTEGER NOT NULL, title TEXT NOT NULL,
    members TEXT NOT NULL, is_member INTEGER NOT NULL, updated_at INTEGER NOT NULL);
  `,
  // 2: sender keys for groups — our distribution id per group, and which member devices have it.
  `
  CREATE TABLE group_sender_key (
    group_id TEXT PRIMARY KEY, distribution_id TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE sender_key_shared (
    distribution_id TEXT NOT NULL, aci TEXT NOT NULL, device_id INTEGER NOT NULL, shared_at INTEGER NOT NULL,
    PRIMARY KEY (distribution_id, aci, device_id));
  `,
  // 3: invited group members (pending their profile key), shown by list_groups.
  `
  ALTER TABLE grp ADD COLUMN pending_members TEXT NOT NULL DEFAULT '[]';
  `,
  // 4: inbox entries in the store's own format (inboxFormat.ts) instead of the socket protocol's;
  // the entries already queued are converted, so they are delivered as they would have been.
  convertInboxToFormat2,
  // 5 (contacts, issue 16): the name the owner set here (kept apart from the phone's), the sender's
  // decrypted profile name, the disappearing timer from contact sync, whether the owner accepted
  // them (messages from others are message requests; everyone known before this counts as
  // accepted), and the block list: accounts
  // by ACI or number (the phone's list may name a number whose ACI is unknown) and groups by id.
  `
  ALTER TABLE recipient ADD COLUMN local_name TEXT;
  ALTER TABLE recipient ADD COLUMN profile_name TEXT;
  ALTER TABLE recipient ADD COLUMN expire_timer INTEGER;
  ALTER TABLE recipient ADD COLUMN accepted INTEGER NOT NULL DEFAULT 0;
  UPDATE recipient SET accepted = 1;
  CREATE TABLE blocked (kind TEXT NOT NULL, id TEXT NOT NULL, blocked_at INTEGER NOT NULL, PRIMARY KEY (kind, id));
  `,
  // 6: received attachments in encrypted files beside the database (inboxFiles.ts): the row keeps
  // the file's name, key and plaintext size; `data` stays for blobs not yet moved to files
  // (Inbox.moveBlobsToFiles does that when the account opens).
  `
  ALTER TABLE inbox_attachment ADD COLUMN file TEXT;
  ALTER TABLE inbox_attachment ADD COLUMN file_key BLOB;
  ALTER TABLE inbox_attachment ADD COLUMN file_size INTEGER;
  `,
  // 7: sync copies (sent transcripts, read syncs) owed to the account's own devices: recorded before
  // the send is answered, deleted once the server accepted them, resent after a restart. Ids are
  // handed out by pendingSync.ts, never reused while it runs (no AUTOINCREMENT: its sqlite_sequence
  // row would add a page to every send's commit).
  `
  CREATE TABLE pending_sync (
    id INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, content BLOB NOT NULL, created_at INTEGER NOT NULL);
  `,
];

function convertInboxToFormat2(db: Db): void {
  db.exec('ALTER TABLE inbox ADD COLUMN format INTEGER NOT NULL DEFAULT 1');
  const update = db.prepare('UPDATE inbox SET entry = ?, format = ? WHERE id = ?');
  for (const row of db.prepare('SELECT id, entry FROM inbox WHERE format = 1 ORDER BY id').all()) {
    update.run([JSON.stringify(fromFormat1(String(row.entry))), INBOX_FORMAT, Number(row.id)]);
  }
}
