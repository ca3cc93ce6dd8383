// Opening an account's SQLCipher database: key first, then durability settings and migrations.
import Database from '@signalapp/sqlcipher';
import { MIGRATIONS } from './migrations.js';

export type Db = Database;

/** What SQLite parameters accept; our byte arrays are never backed by shared memory. */
export type SqlValue = string | number | null | Uint8Array<ArrayBuffer>;
export const blob = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;
export const blobOrNull = (bytes: Uint8Array | null | undefined): Uint8Array<ArrayBuffer> | null => (bytes ? blob(bytes) : null);

export function openDatabase(path: string, keyHex: string): Db {
  const db = new Database(path, { cacheStatements: true });
  try {
    db.pragma(`key = "x'${keyHex}'"`);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch {
      throw new Error(`cannot open ${path}: wrong key or not a sigsock database`);
    }
    db.pragma('journal_mode = WAL');
    // Acknowledged to the server means on disk: nothing may be lost after a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Db): void {
  const current = Number(db.pragma('user_version', { simple: true }) ?? 0);
  if (current > MIGRATIONS.length) throw new Error('this database was written by a newer sigsock; upgrade sigsock');
  if (current === MIGRATIONS.length) return;
  db.transaction(() => {
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
