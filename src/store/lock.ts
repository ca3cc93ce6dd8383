// One writer per account, enforced by the kernel: the owner holds an exclusive SQLite write lock
// (an fcntl lock) on `account-N.db.lock` for as long as it runs. The kernel drops the lock when
// the process dies, however it dies, so a killed daemon never blocks a restart, and whatever pid
// the file names decides nothing. The owner's pid is written into the file's header
// (user_version, bytes 60..63) only to name it in the error a second process gets.
//
// POSIX locks belong to the process and the file: closing *any* descriptor of the lock file in
// the owning process drops them. So nothing in this process may open the lock file while it holds
// it; `held` answers a second acquire here without touching the file.
import Database from '@signalapp/sqlcipher';
import { closeSync, openSync, readSync, truncateSync } from 'node:fs';
import { createPrivateFile, fileIdentity } from './privateFiles.js';

export class AccountLockedError extends Error {
  constructor(
    number: string,
    readonly ownerPid: number | undefined,
  ) {
    super(`account ${number} is in use by another sigsock process${ownerPid ? ` (pid ${ownerPid})` : ''}; stop it first`);
    this.name = 'AccountLockedError';
  }
}

/** Lock files held by this process, by device and inode. */
const held = new Map<string, AccountLock>();

const USER_VERSION_OFFSET = 60;

export class AccountLock {
  private released = false;

  private constructor(
    private readonly identity: string,
    private readonly db: Database,
  ) {
    held.set(identity, this);
  }

  static acquire(path: string, number: string): AccountLock {
    createPrivateFile(path);
    const identity = fileIdentity(path);
    if (held.has(identity)) throw new AccountLockedError(number, process.pid);
    try {
      return AccountLock.take(path, number, identity);
    } catch (err) {
      if (sqliteCode(err) !== 'SQLITE_NOTADB') throw err;
    }
    // Not a database: the pid file of an older sigsock (or junk). It locks nothing; start it afresh.
    truncateSync(path);
    return AccountLock.take(path, number, identity);
  }

  private static take(path: string, number: string, identity: string): AccountLock {
    const db = new Database(path);
    try {
      // Fail at once instead of waiting for the owner; keep the lock until the connection closes.
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
      db.exec('BEGIN EXCLUSIVE');
      db.pragma(`user_version = ${process.pid}`);
      db.exec('COMMIT');
      return new AccountLock(identity, db);
    } catch (err) {
      db.close();
      if (sqliteCode(err) === 'SQLITE_BUSY') throw new AccountLockedError(number, recordedOwner(path));
      throw err;
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this.identity);
    try {
      this.db.pragma('user_version = 0');
    } catch {
      // The pid is information only; closing releases the lock all the same.
    }
    this.db.close();
  }
}

/**
 * The pid the lock's owner wrote into the file, if any: information only (a process that died
 * without releasing leaves its pid behind). Never call this in a process that holds the lock.
 */
export function recordedOwner(path: string): number | undefined {
  const header = Buffer.alloc(4);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = readSync(fd, header, 0, 4, USER_VERSION_OFFSET);
    const pid = n === 4 ? header.readUInt32BE(0) : 0;
    return pid > 0 ? pid : undefined;
  } finally {
    closeSync(fd);
  }
}

function sqliteCode(err: unknown): string | undefined {
  return (err as { code?: unknown } | null)?.code as string | undefined;
}
