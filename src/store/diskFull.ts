// A write the disk had no room for. SQLite reports it as SQLITE_FULL (a full file system, or a
// database at its max_page_count); whoever can wait for space (the receiver, the inbox delete)
// or must say why a send failed tells it apart by this type.
import { dirname } from 'node:path';

export class DiskFullError extends Error {
  /** Where space has to be freed: the data directory holding the database. */
  readonly directory: string;

  // The file's name holds the account's number: only its directory goes into the message.
  constructor(databasePath: string, options: { cause: unknown }) {
    const directory = dirname(databasePath);
    super(`disk full: the account database could not be written; free space in ${directory}`, options);
    this.name = 'DiskFullError';
    this.directory = directory;
  }
}

/** SQLite's own report of a full disk: by its result code, never by the message text. */
export function isSqliteFull(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_FULL';
}
