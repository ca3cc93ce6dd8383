// Opening an account's SQLCipher database: private files, key first, then durability settings and
// migrations. A database the key does not open is left exactly as it was, and the error says why.
import Database from '@signalapp/sqlcipher';
import { checkPages } from './cipherPages.js';
import { UnreadableDatabaseError } from './databaseErrors.js';
import { DiskFullError, isSqliteFull } from './diskFull.js';
import { MIGRATIONS } from './migrations.js';
import { createPrivateFile, restrictToOwner } from './privateFiles.js';
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

/** SQLite's answer when page 1 does not decrypt: a wrong key and a damaged page look alike to it. */
const UNREADABLE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function openDatabase(path: string, keyHex: string): Db {
  // Created 0600 before SQLite opens it, so its -wal and -shm are created 0600 as well.
  createPrivateFile(path);
  for (const suffix of WAL_FILES) restrictToOwner(`${path}${suffix}`);
  const db = new AccountDatabase(path);
  let unreadable: unknown;
  try {
    db.pragma(`key = "x'${keyHex}'"`);
    unreadable = firstReadFailure(db);
    if (unreadable === undefined) {
      db.pragma('journal_mode = WAL');
      // Acknowledged to the server means on disk: nothing may be lost after a crash.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      honourTestDiskFull(db);
      for (const suffix of WAL_FILES) restrictToOwner(`${path}${suffix}`);
      return db;
    }
  } catch (err) {
    db.close();
    throw err;
  }
  db.close();
  throw explainUnreadable(path, keyHex, unreadable);
}

const WAL_FILES = ['-wal', '-shm'];

/** The error of the first read if it is SQLite's "cannot decrypt"; other errors are thrown as they are. */
function firstReadFailure(db: Db): unknown {
  // SQLCipher would also print its own "hmac check failed" lines to stderr: our error says it better.
  const logLevel = db.pragma('cipher_log_level', { simple: true });
  db.pragma('cipher_log_level = NONE');
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return undefined;
  } catch (err) {
    if (UNREADABLE_CODES.has(String((err as { code?: unknown }).code))) return err;
    throw err;
  } finally {
    db.pragma(`cipher_log_level = ${String(logLevel ?? 'WARN')}`);
  }
}

/** The checks read the file themselves, so SQLite must have let go of it first (the database is closed). */
function explainUnreadable(path: string, keyHex: string, cause: unknown): Error {
  const verdict = checkPages(path, keyHex);
  if (verdict === 'first-page-intact') return new Error(`cannot open the database ${path}: ${(cause as Error).message}`, { cause });
  return new UnreadableDatabaseError(path, verdict, { cause });
}

function migrate(db: Db): void {
  const current = Number(db.pragma('user_version', { simple: true }) ?? 0);
  if (current > MIGRATIONS.length) throw new Error('this database was written by a newer sigsock; upgrade sigsock');
  if (current === MIGRATIONS.length) return;
  db.transaction(() => {
    for (const step of MIGRATIONS.slice(current)) {
      if (typeof step === 'string') db.exec(step);
      else step(db);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
