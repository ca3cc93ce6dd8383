// Opening an account's SQLCipher database: key first, then durability settings and migrations.
import Database from '@signalapp/sqlcipher';
import { DiskFullError, isSqliteFull } from './diskFull.js';
import { MIGRATIONS } from './migrations.js';
import { honourTestDiskFull } from './testDiskFull.js';

/**
 * SQLCipher's database with a transaction that never hides why it failed. On SQLITE_FULL (like
 * SQLITE_IOERR or SQLITE_NOMEM) SQLite may already have rolled the whole transaction back; the
 * library's ROLLBACK then fails with "cannot rollback - no transaction is active", and that error
 * replaced the real one. Here the real one is rethrown, typed when the disk is full.
 */
class AccountDatabase extends Database {
  private depth = 0;

  constructor(readonly path: string) {
    super(path, { cacheStatements: true });
  }

  override transaction<Params extends [], Result>(fn: (...params: Params) => Result): typeof fn {
    return (...params: Params): Result => {
      const outermost = this.depth === 0;
      this.run(outermost ? 'BEGIN' : 'SAVEPOINT sigsock');
      this.depth++;
      try {
        const result = fn(...params);
        this.run(outermost ? 'COMMIT' : 'RELEASE sigsock');
        return result;
      } catch (err) {
        try {
          if (outermost) {
            this.run('ROLLBACK');
          } else {
            this.run('ROLLBACK TO sigsock');
            this.run('RELEASE sigsock');
          }
        } catch {
          // SQLite rolled back already (the transaction or the savepoint is gone): nothing to undo.
        }
        throw isSqliteFull(err) ? new DiskFullError(this.path, { cause: err }) : err;
      } finally {
        this.depth--;
      }
    };
  }

  private run(sql: string): void {
    this.prepare(sql).run();
  }
}

export type Db = Database;

/** What SQLite parameters accept; our byte arrays are never backed by shared memory. */
export type SqlValue = string | number | null | Uint8Array<ArrayBuffer>;
export const blob = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;
export const blobOrNull = (bytes: Uint8Array | null | undefined): Uint8Array<ArrayBuffer> | null => (bytes ? blob(bytes) : null);

export function openDatabase(path: string, keyHex: string): Db {
  const db = new AccountDatabase(path);
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
    honourTestDiskFull(db);
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
