// Received attachments as files beside the account's database, so a large one never sits whole in
// memory or in SQLCipher. Each file is encrypted with its own random key, kept in its inbox row
// (the database is encrypted, the folder is 0700 and the files 0600).
//
// Format: the plaintext in segments of SEGMENT_BYTES (the last one shorter, possibly empty), each
// sealed with AES-256-GCM-SIV (libsignal) under the file's key, nonce = the segment's index, and
// associated data saying whether it is the last segment. A segment is checked before any of its
// bytes are handed out; a file cut at a segment boundary fails on its new last segment (sealed as
// "not last"), and segments cannot be reordered (the index is the nonce).
import { Aes256GcmSiv } from '@signalapp/libsignal-client';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { passedThrough } from '../util/youngGarbage.js';

export const SEGMENT_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const NAME = /^[0-9a-f]{32}\.att$/;
const NOT_LAST = new Uint8Array([0]);
const LAST = new Uint8Array([1]);

/** What the inbox row keeps to find and read a file back. */
export interface InboxFileRef {
  name: string;
  key: Uint8Array;
  /** Plaintext bytes. */
  size: number;
}

/** The file did not decrypt under its key: changed on disk, cut short, or not ours. */
export class InboxFileCorruptError extends Error {
  constructor(name: string, cause?: unknown) {
    super(`the attachment file ${name} does not decrypt (damaged or changed on disk)`, { cause });
    this.name = 'InboxFileCorruptError';
  }
}

function nonce(index: number): Uint8Array<ArrayBuffer> {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(4, BigInt(index));
  return n;
}

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  // libsignal wants a plain ArrayBuffer view; Buffers from the pool are that, SharedArrayBuffers are not.
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

export class InboxFiles {
  constructor(readonly directory: string) {}

  private ensureDirectory(): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    if ((statSync(this.directory).mode & 0o077) !== 0) chmodSync(this.directory, 0o700);
  }

  /** A new file, written segment by segment as the plaintext comes. */
  create(): InboxFileWriter {
    this.ensureDirectory();
    const name = `${randomBytes(16).toString('hex')}.att`;
    return new InboxFileWriter(this.directory, name, openSync(join(this.directory, name), 'wx', 0o600));
  }

  /**
   * The plaintext, segment by segment, each checked before it is yielded. Reads lazily: the file
   * is opened at the first chunk asked for and closed at the end (or when the reader stops early).
   */
  *chunks(ref: InboxFileRef): Generator<Uint8Array> {
    const cipher = Aes256GcmSiv.new(own(ref.key));
    const fd = openSync(join(this.directory, ref.name), 'r');
    try {
      const length = fstatSync(fd).size;
      const sealed = Buffer.allocUnsafe(SEGMENT_BYTES + TAG_BYTES);
      let produced = 0;
      for (let offset = 0, index = 0; ; index++) {
        const want = Math.min(sealed.length, length - offset);
        if (want < TAG_BYTES) throw new InboxFileCorruptError(ref.name);
        let got = 0;
        while (got < want) {
          const n = readSync(fd, sealed, got, want - got, offset + got);
          if (n === 0) throw new InboxFileCorruptError(ref.name);
          got += n;
        }
        offset += want;
        const last = offset === length;
        let plain: Uint8Array;
        try {
          plain = cipher.decrypt(new Uint8Array(sealed.buffer, sealed.byteOffset, want), nonce(index), last ? LAST : NOT_LAST);
        } catch (err) {
          throw new InboxFileCorruptError(ref.name, err);
        }
        produced += plain.length;
        passedThrough(want);
        if (plain.length > 0) yield plain;
        if (last) break;
      }
      if (produced !== ref.size) throw new InboxFileCorruptError(ref.name);
    } finally {
      closeSync(fd);
    }
  }

  exists(name: string): boolean {
    try {
      return statSync(join(this.directory, name)).isFile();
    } catch {
      return false;
    }
  }

  /** Deletes the files; one already gone is fine. */
  remove(names: Iterable<string>): void {
    for (const name of names) rmSync(join(this.directory, name), { force: true });
  }

  /**
   * Deletes every file of ours that `isReferenced` does not claim: left by a crash between writing
   * a file and committing its row, or between deleting a row and its file. Returns how many.
   */
  removeOrphans(isReferenced: (name: string) => boolean): number {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
    const orphans = names.filter((name) => NAME.test(name) && !isReferenced(name));
    this.remove(orphans);
    return orphans.length;
  }

  /** Removes the folder and everything in it (the account is deleted). */
  removeAll(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

export class InboxFileWriter {
  private readonly key = randomBytes(KEY_BYTES);
  private readonly cipher = Aes256GcmSiv.new(own(this.key));
  private readonly pending = Buffer.allocUnsafe(SEGMENT_BYTES);
  private filled = 0;
  private index = 0;
  private offset = 0;
  private size = 0;
  private closed = false;

  constructor(
    private readonly directory: string,
    readonly name: string,
    private readonly fd: number,
  ) {}

  write(chunk: Uint8Array): void {
    if (this.closed) throw new Error('attachment file already closed (bug)');
    this.size += chunk.length;
    for (let at = 0; at < chunk.length; ) {
      // A segment is sealed only once more bytes follow it: then it is known not to be the last.
      if (this.filled === SEGMENT_BYTES) this.seal(false);
      const n = Math.min(SEGMENT_BYTES - this.filled, chunk.length - at);
      this.pending.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
    }
  }

  /** Seals the last segment and makes the file durable (file and folder fsynced); then it may be referenced. */
  finish(): InboxFileRef {
    this.seal(true);
    fsyncSync(this.fd);
    this.close();
    const dir = openSync(this.directory, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    return { name: this.name, key: this.key, size: this.size };
  }

  /** Closes and deletes the file (the download failed or did not verify). */
  discard(): void {
    this.close();
    rmSync(join(this.directory, this.name), { force: true });
  }

  private seal(last: boolean): void {
    passedThrough(this.filled);
    const sealed = this.cipher.encrypt(new Uint8Array(this.pending.buffer, this.pending.byteOffset, this.filled), nonce(this.index), last ? LAST : NOT_LAST);
    for (let at = 0; at < sealed.length; ) at += writeSync(this.fd, sealed, at, sealed.length - at, this.offset + at);
    this.offset += sealed.length;
    this.index++;
    this.filled = 0;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** The account's attachment folder: beside its database, named after it. */
export function inboxFilesDirectory(dbPath: string): string {
  return `${dbPath.replace(/\.db$/, '')}.attachments`;
}

/** A row's file name is checked before it is joined to a path: a name of ours, never `../x`. */
export function isInboxFileName(name: string): boolean {
  return NAME.test(name);
}
