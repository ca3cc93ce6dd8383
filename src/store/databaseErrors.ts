// Why an account's database could not be opened, in words that say what to do. Every one of these
// is raised before anything was written to the database.
import type { PageVerdict } from './cipherPages.js';

export class DatabaseKeyMissingError extends Error {
  constructor(
    readonly keyPath: string,
    readonly databases: string[],
  ) {
    const needs = databases.length === 1 ? `${databases[0]} exists and needs it` : `${databases.join(', ')} exist and need it`;
    super(
      `the database key file ${keyPath} is missing, but ${needs}; no new key was written (it could not open ${databases.length === 1 ? 'that database' : 'them'}). ` +
        `Put the key back in ${keyPath} (64 hex digits, mode 0600), or supply it in SIGSOCK_DB_KEY ` +
        '(the 64 hex digits, or the passphrase the database was created with).',
    );
    this.name = 'DatabaseKeyMissingError';
  }
}

export type UnreadableReason = Exclude<PageVerdict, 'first-page-intact'>;

export class UnreadableDatabaseError extends Error {
  constructor(
    readonly path: string,
    readonly reason: UnreadableReason,
    options: { cause: unknown },
  ) {
    super(describe(path, reason), options);
    this.name = 'UnreadableDatabaseError';
  }
}

const UNCHANGED = 'sigsock changed nothing in it';
const WHERE_THE_KEY_IS = 'SIGSOCK_DB_KEY, or else db.key in the data directory';

function describe(path: string, reason: UnreadableReason): string {
  switch (reason) {
    case 'first-page-damaged':
      return (
        `the database ${path} is damaged: its first page fails SQLCipher's integrity check, while the key opens its other pages. ` +
        `${UNCHANGED}. Restore the file from a backup, or link the account again (which starts an empty database).`
      );
    case 'no-page-authenticates':
      return (
        `cannot open the database ${path}: no page of it passes SQLCipher's integrity check with this key. Either the key is wrong ` +
        `(it comes from ${WHERE_THE_KEY_IS}), or the file is not a sigsock database, or its first 16 bytes (the salt every ` +
        `page's check depends on) are damaged. ${UNCHANGED}.`
      );
    case 'only-first-page':
      return (
        `cannot open the database ${path}: its only page fails SQLCipher's integrity check, so either the key is wrong ` +
        `(it comes from ${WHERE_THE_KEY_IS}) or the page is damaged; there is no other page to tell which. ${UNCHANGED}.`
      );
    case 'plain-sqlite':
      return `${path} is an unencrypted SQLite database, not a sigsock database. ${UNCHANGED}.`;
  }
}
