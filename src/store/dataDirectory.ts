// Where accounts live: the data directory (0700), one database per account, the database key.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DatabaseKeyMissingError } from './databaseErrors.js';

export function resolveDataDir(explicit?: string): string {
  if (explicit) return explicit;
  const xdg = process.env.XDG_DATA_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.local', 'share'), 'sigsock');
}

export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

export function accountDbPath(dataDir: string, number: string): string {
  return join(dataDir, `account-${number.replace(/^\+/, '')}.db`);
}

const ACCOUNT_DB_NAME = /^account-(\d+)\.db$/;

export function listAccounts(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .map((name) => ACCOUNT_DB_NAME.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map((digits) => `+${digits}`);
}

function accountDbFiles(dataDir: string): string[] {
  return listAccounts(dataDir).map((number) => accountDbPath(dataDir, number));
}

/**
 * The key as SQLCipher wants it: 64 hex digits. From SIGSOCK_DB_KEY, else the data directory's
 * 0600 key file. The file is created only when no database exists that would need the old one:
 * a new key never opens an existing database, and writing one would only hide that the key is lost.
 */
export function loadDbKey(dataDir: string): string {
  const fromEnv = process.env.SIGSOCK_DB_KEY;
  if (fromEnv) {
    if (/^[0-9a-fA-F]{64}$/.test(fromEnv)) return fromEnv.toLowerCase();
    // Any other text is a passphrase: stretch it into a raw key deterministically.
    return Buffer.from(scryptSync(fromEnv, 'sigsock-db-key', 32)).toString('hex');
  }
  const path = join(dataDir, 'db.key');
  if (!existsSync(path)) {
    const databases = accountDbFiles(dataDir);
    if (databases.length > 0) throw new DatabaseKeyMissingError(path, databases);
    try {
      writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`${path} does not hold a database key`);
  return key;
}
