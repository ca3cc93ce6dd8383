// Files only the daemon's user may read: created 0600 and narrowed to 0600 when found wider.
// SQLite creates a database's -wal and -shm with the mode of the database file itself, so a
// database that exists 0600 before SQLite opens it gets private companions too. (A umask would
// do the same, but it is process-wide: every file another thread creates meanwhile would get it.)
import { chmodSync, statSync, writeFileSync } from 'node:fs';

const OWNER_ONLY = 0o600;

/** Creates `path` empty and 0600 unless it exists; narrows an existing one to 0600. */
export function createPrivateFile(path: string): void {
  try {
    // 'wx' never opens an existing file: a descriptor closed here could drop a lock SQLite holds on it.
    writeFileSync(path, '', { flag: 'wx', mode: OWNER_ONLY });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  restrictToOwner(path);
}

/** Narrows `path` to 0600 if it exists and others may read it. */
export function restrictToOwner(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((mode & 0o777) !== OWNER_ONLY) chmodSync(path, OWNER_ONLY);
}

/** The file behind `path` (device and inode), whatever name it was reached by. */
export function fileIdentity(path: string): string {
  const st = statSync(path);
  return `${st.dev}:${st.ino}`;
}
