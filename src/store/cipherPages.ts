// Why SQLCipher refused a database: a wrong key, or a damaged file? SQLite reports both as "file
// is not a database", because both make page 1 fail its check. But SQLCipher authenticates every
// page on its own: HMAC-SHA512 over the page's ciphertext, its IV and its number, keyed from the
// database key and the salt in the file's first 16 bytes. A page other than the first that
// authenticates with our key proves the key right (and the salt intact), so page 1 is damaged.
// If none does, the key is wrong — or the salt itself is damaged, which no check can tell apart.
// The layout is SQLCipher 4's default, which sigsock never changes: 4096-byte pages, each ending
// in a 16-byte IV and a 64-byte HMAC; pages live in the database file and in its -wal frames.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHmac, pbkdf2Sync } from 'node:crypto';

const PAGE_SIZE = 4096;
const SALT_SIZE = 16;
const HMAC_SIZE = 64;
/** SQLCipher derives the HMAC key from the key and the salt XOR 0x3a, in 2 PBKDF2 rounds. */
const HMAC_SALT_MASK = 0x3a;
const HMAC_KDF_ROUNDS = 2;
const WAL_HEADER_SIZE = 32;
const WAL_FRAME_HEADER_SIZE = 24;
/** Enough pages to find one intact; a damaged file rarely has more than a few bad ones. */
const MAX_PAGES_CHECKED = 64;
const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type PageVerdict =
  /** An unencrypted SQLite file: not a sigsock database. */
  | 'plain-sqlite'
  /** Page 1 fails, other pages authenticate: the key is right, page 1 is damaged. */
  | 'first-page-damaged'
  /** No page authenticates: a wrong key, a damaged salt, or not a SQLCipher database at all. */
  | 'no-page-authenticates'
  /** Only page 1 exists, and it fails: a wrong key or a damaged page, there is nothing to compare. */
  | 'only-first-page'
  /** Page 1 authenticates: the key is right and the page is what SQLCipher wrote. */
  | 'first-page-intact';

export function checkPages(path: string, keyHex: string): PageVerdict {
  const main = readHead(path, MAX_PAGES_CHECKED * PAGE_SIZE);
  if (main.subarray(0, PLAIN_SQLITE_HEADER.length).equals(PLAIN_SQLITE_HEADER)) return 'plain-sqlite';
  if (main.length < PAGE_SIZE) return 'no-page-authenticates';
  const salt = main.subarray(0, SALT_SIZE);
  const hmacKey = pbkdf2Sync(Buffer.from(keyHex, 'hex'), Buffer.from(salt.map((b) => b ^ HMAC_SALT_MASK)), HMAC_KDF_ROUNDS, 32, 'sha512');
  const authentic = (page: Buffer, pageNumber: number) => pageAuthenticates(hmacKey, page, pageNumber);

  if (authentic(main.subarray(0, PAGE_SIZE), 1)) return 'first-page-intact';
  let others = 0;
  for (let n = 2; n * PAGE_SIZE <= main.length; n++) {
    others++;
    if (authentic(main.subarray((n - 1) * PAGE_SIZE, n * PAGE_SIZE), n)) return 'first-page-damaged';
  }
  for (const frame of walFrames(`${path}-wal`)) {
    // A newer copy of page 1 in the WAL is still page 1: it says nothing about the file's page 1.
    if (frame.pageNumber === 1) continue;
    others++;
    if (authentic(frame.page, frame.pageNumber)) return 'first-page-damaged';
  }
  return others === 0 ? 'only-first-page' : 'no-page-authenticates';
}

function pageAuthenticates(hmacKey: Buffer, page: Buffer, pageNumber: number): boolean {
  // Page 1 starts with the salt in the clear; the rest of every page is ciphertext, IV, HMAC.
  const signed = page.subarray(pageNumber === 1 ? SALT_SIZE : 0, PAGE_SIZE - HMAC_SIZE);
  const number = Buffer.alloc(4);
  number.writeUInt32LE(pageNumber);
  const mac = createHmac('sha512', hmacKey).update(signed).update(number).digest();
  return mac.equals(page.subarray(PAGE_SIZE - HMAC_SIZE));
}

function* walFrames(path: string): Generator<{ pageNumber: number; page: Buffer }> {
  const frameSize = WAL_FRAME_HEADER_SIZE + PAGE_SIZE;
  const wal = readHead(path, WAL_HEADER_SIZE + MAX_PAGES_CHECKED * frameSize);
  for (let at = WAL_HEADER_SIZE; at + frameSize <= wal.length; at += frameSize) {
    yield { pageNumber: wal.readUInt32BE(at), page: wal.subarray(at + WAL_FRAME_HEADER_SIZE, at + frameSize) };
  }
}

/** Up to `limit` bytes from the start of `path`; empty if it does not exist. */
function readHead(path: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
  try {
    const out = Buffer.alloc(Math.min(limit, fstatSync(fd).size));
    let filled = 0;
    while (filled < out.length) {
      const n = readSync(fd, out, filled, out.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return out.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
