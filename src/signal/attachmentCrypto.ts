// Attachment encryption as Signal clients do it. The plaintext is zero-padded to a size bucket,
// then encrypted with AES-256-CBC (PKCS#7); the CDN gets iv ‖ ciphertext ‖ HMAC-SHA256(iv ‖
// ciphertext), and the end-to-end encrypted pointer carries the 64-byte key (aes ‖ mac), the
// plaintext size and the SHA-256 digest of the whole blob.
//
// Work goes through the cipher in chunks straight into one preallocated blob, so a 10 MiB
// attachment costs one blob-sized allocation, not a chain of concatenated copies.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual, type Cipher } from 'node:crypto';
import { passedThrough } from '../util/youngGarbage.js';

const KEY_BYTES = 64;
const IV_BYTES = 16;
const AES_BLOCK = 16;
const MAC_BYTES = 32;
const CHUNK = 64 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/**
 * The padded plaintext size for `size` bytes: at least 541, otherwise the next of a series of
 * buckets 5 % apart, so the blob size says little about the file. Signal clients use this
 * formula; the `max` guards against float rounding landing a bucket just below `size`.
 */
export function paddedAttachmentSize(size: number): number {
  const bucket = Math.max(541, Math.floor(1.05 ** Math.ceil(Math.log(size) / Math.log(1.05))));
  return Math.max(bucket, size);
}

/** Plaintext read chunk by chunk, as many times as asked (a retried upload reads it again). */
export interface PlaintextSource {
  readonly size: number;
  chunks(): Iterable<Uint8Array>;
}

export interface EncryptedAttachment {
  /** iv ‖ ciphertext ‖ mac: the bytes to upload. */
  ciphertext: Uint8Array;
  /** aes key ‖ mac key, 64 bytes. */
  key: Uint8Array;
  /** SHA-256 of `ciphertext`, for the pointer. */
  digest: Uint8Array;
  /** Plaintext size before padding, for the pointer. */
  size: number;
}

/** Runs `data` through `cipher` chunk by chunk, writing into `out` at `offset`; returns the new offset. */
function pump(cipher: Cipher, data: Uint8Array, out: Buffer, offset: number): number {
  for (let i = 0; i < data.length; i += CHUNK) {
    offset += cipher.update(data.subarray(i, i + CHUNK)).copy(out, offset);
  }
  return offset;
}

/**
 * Attachment encryption as a stream of chunks (iv, ciphertext, mac), for uploading without ever
 * holding the whole blob: the MAC and the digest are computed as the chunks go by. The digest is
 * known once every chunk was taken.
 */
export class AttachmentEncryption {
  /** Bytes of the whole blob: iv ‖ ciphertext ‖ mac. */
  readonly length: number;
  readonly size: number;
  private finalDigest: Buffer | null = null;

  private readonly plaintext: PlaintextSource;

  constructor(
    plaintext: Uint8Array | PlaintextSource,
    readonly key: Uint8Array = randomBytes(KEY_BYTES),
    private readonly iv: Uint8Array = randomBytes(IV_BYTES),
  ) {
    if (key.length !== KEY_BYTES) throw new Error(`attachment key must be ${KEY_BYTES} bytes`);
    if (iv.length !== IV_BYTES) throw new Error(`attachment iv must be ${IV_BYTES} bytes`);
    this.plaintext = plaintext instanceof Uint8Array ? { size: plaintext.length, chunks: () => [plaintext] } : plaintext;
    this.size = this.plaintext.size;
    const cipherLength = (Math.floor(paddedAttachmentSize(this.size) / AES_BLOCK) + 1) * AES_BLOCK;
    this.length = IV_BYTES + cipherLength + MAC_BYTES;
  }

  /** The blob, chunk by chunk; may be run again (a retried upload) and gives the same bytes. */
  *chunks(): Generator<Uint8Array> {
    const mac = createHmac('sha256', this.key.subarray(32));
    const hash = createHash('sha256');
    const emit = (chunk: Uint8Array, macked = true) => {
      if (macked) mac.update(chunk);
      hash.update(chunk);
      return chunk;
    };
    yield emit(this.iv);
    const cipher = createCipheriv('aes-256-cbc', this.key.subarray(0, 32), this.iv);
    let taken = 0;
    for (const piece of this.plaintext.chunks()) {
      taken += piece.length;
      // More bytes than announced would make a blob longer than the upload said: stop before sending them.
      if (taken > this.size) throw new Error(`the attachment has more than the ${this.size} bytes it had when it was checked`);
      for (let i = 0; i < piece.length; i += CHUNK) {
        passedThrough(Math.min(CHUNK, piece.length - i));
        yield emit(cipher.update(piece.subarray(i, i + CHUNK)));
      }
    }
    if (taken !== this.size) throw new Error(`the attachment has ${taken} bytes, not the ${this.size} it had when it was checked`);
    for (let left = paddedAttachmentSize(this.size) - this.size; left > 0; left -= CHUNK) {
      yield emit(cipher.update(ZEROS.subarray(0, Math.min(left, CHUNK))));
    }
    yield emit(cipher.final());
    yield emit(mac.digest(), false);
    this.finalDigest = hash.digest();
  }

  /** SHA-256 of the whole blob, for the pointer; only once `chunks()` ran to its end. */
  get digest(): Buffer {
    if (!this.finalDigest) throw new Error('the attachment digest is known only after every chunk was taken');
    return this.finalDigest;
  }
}

/** The whole blob at once (tests, small blobs); uploads use AttachmentEncryption's chunks. */
export function encryptAttachment(plaintext: Uint8Array, key?: Uint8Array, iv?: Uint8Array): EncryptedAttachment {
  const encryption = new AttachmentEncryption(plaintext, key, iv);
  const blob = Buffer.allocUnsafe(encryption.length);
  let offset = 0;
  for (const chunk of encryption.chunks()) offset += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).copy(blob, offset);
  if (offset !== encryption.length) throw new Error('attachment ciphertext length is off (bug)');
  return { ciphertext: blob, key: encryption.key, digest: encryption.digest, size: encryption.size };
}

/**
 * The plaintext of a downloaded blob, checked against the pointer: the digest (when the pointer
 * has one) and the MAC, both before any decryption. `size` cuts off the bucket padding; without
 * it the padded plaintext comes back whole.
 */
export function decryptAttachment(blob: Uint8Array, key: Uint8Array, expectedDigest?: Uint8Array, size?: number): Uint8Array {
  return decryptInto(blob, key, expectedDigest, size, false);
}

/**
 * decryptAttachment, writing the plaintext over the blob's own bytes (CBC output never overtakes
 * its input), so a large download is not held twice. The blob is consumed: do not use it after.
 */
export function decryptAttachmentInPlace(blob: Uint8Array, key: Uint8Array, expectedDigest?: Uint8Array, size?: number): Uint8Array {
  return decryptInto(blob, key, expectedDigest, size, true);
}

function decryptInto(blob: Uint8Array, key: Uint8Array, expectedDigest: Uint8Array | undefined, size: number | undefined, inPlace: boolean): Uint8Array {
  if (key.length !== KEY_BYTES) throw new Error(`attachment key must be ${KEY_BYTES} bytes`);
  if (blob.length < IV_BYTES + AES_BLOCK + MAC_BYTES) throw new Error('attachment is too short');
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);

  if (expectedDigest?.length) {
    const digest = createHash('sha256').update(data).digest();
    if (digest.length !== expectedDigest.length || !timingSafeEqual(digest, expectedDigest)) throw new Error('attachment digest mismatch');
  }
  const macStart = data.length - MAC_BYTES;
  const mac = createHmac('sha256', key.subarray(32)).update(data.subarray(0, macStart)).digest();
  if (!timingSafeEqual(mac, data.subarray(macStart))) throw new Error('attachment MAC mismatch');
  const encrypted = data.subarray(IV_BYTES, macStart);
  if (encrypted.length % AES_BLOCK !== 0) throw new Error('attachment ciphertext is not a whole number of AES blocks');

  const decipher = createDecipheriv('aes-256-cbc', key.subarray(0, 32), data.subarray(0, IV_BYTES));
  // In place, the plaintext starts where the iv was: each output chunk lands on input already read.
  const plain = inPlace ? data.subarray(0, encrypted.length) : Buffer.allocUnsafe(encrypted.length);
  let length = pump(decipher, encrypted, plain, 0);
  try {
    length += decipher.final().copy(plain, length);
  } catch {
    throw new Error('attachment has invalid AES padding');
  }
  if (size === undefined) return plain.subarray(0, length);
  if (size > length) throw new Error(`attachment is shorter (${length} bytes) than its declared size (${size})`);
  return plain.subarray(0, size);
}

/**
 * decryptAttachment as a stream, for a blob that is never held whole: `update` takes the blob as it
 * downloads and hands the plaintext (cut at `size`) to `output` at once; `final` checks the digest
 * and the MAC and throws when either fails. The plaintext is handed out before that check, so the
 * caller must keep it from anyone (write it to a file it discards on failure) until `final` passed.
 */
export class AttachmentDecryption {
  private readonly iv = Buffer.alloc(IV_BYTES);
  private ivFilled = 0;
  /** The last bytes seen: they may be the MAC, so they are not deciphered yet. */
  private held = Buffer.alloc(0);
  private readonly hash = createHash('sha256');
  private readonly mac: ReturnType<typeof createHmac>;
  private decipher: ReturnType<typeof createDecipheriv> | null = null;
  private total = 0;
  private plaintextLength = 0;
  private emitted = 0;

  constructor(
    private readonly key: Uint8Array,
    private readonly output: (plaintext: Uint8Array) => void,
    private readonly expectedDigest?: Uint8Array,
    private readonly size?: number,
  ) {
    if (key.length !== KEY_BYTES) throw new Error(`attachment key must be ${KEY_BYTES} bytes`);
    this.mac = createHmac('sha256', key.subarray(32));
  }

  update(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    passedThrough(chunk.length);
    this.total += chunk.length;
    this.hash.update(chunk);
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (bytes.length < MAC_BYTES) {
      // Rare (tiny network reads): joining costs little here.
      const joined = Buffer.concat([this.held, bytes]);
      const bodyEnd = Math.max(0, joined.length - MAC_BYTES);
      this.held = joined.subarray(bodyEnd);
      this.body(joined.subarray(0, bodyEnd));
      return;
    }
    // What was held back is body after all (more bytes came); the chunk's last bytes are held now,
    // copied, as the chunk may be a buffer its producer reuses.
    const earlier = this.held;
    this.held = Buffer.from(bytes.subarray(bytes.length - MAC_BYTES));
    this.body(earlier);
    this.body(bytes.subarray(0, bytes.length - MAC_BYTES));
  }

  private body(bytes: Buffer): void {
    let body = bytes;
    if (body.length === 0) return;
    if (this.ivFilled < IV_BYTES) {
      const n = Math.min(IV_BYTES - this.ivFilled, body.length);
      body.copy(this.iv, this.ivFilled, 0, n);
      this.ivFilled += n;
      this.mac.update(body.subarray(0, n));
      body = body.subarray(n);
      if (this.ivFilled < IV_BYTES) return;
    }
    if (body.length === 0) return;
    this.mac.update(body);
    this.decipher ??= createDecipheriv('aes-256-cbc', this.key.subarray(0, 32), this.iv);
    this.emit(this.decipher.update(body));
  }

  /** Checks the whole blob; throws (digest, MAC, padding, size) when it is not what the pointer promised. */
  final(): void {
    if (this.total < IV_BYTES + AES_BLOCK + MAC_BYTES) throw new Error('attachment is too short');
    if (this.expectedDigest?.length) {
      const digest = this.hash.digest();
      if (digest.length !== this.expectedDigest.length || !timingSafeEqual(digest, this.expectedDigest)) throw new Error('attachment digest mismatch');
    }
    if (!timingSafeEqual(this.mac.digest(), this.held)) throw new Error('attachment MAC mismatch');
    if ((this.total - IV_BYTES - MAC_BYTES) % AES_BLOCK !== 0) throw new Error('attachment ciphertext is not a whole number of AES blocks');
    let last: Buffer;
    try {
      last = this.decipher!.final();
    } catch {
      throw new Error('attachment has invalid AES padding');
    }
    this.emit(last);
    if (this.size !== undefined && this.size > this.plaintextLength) {
      throw new Error(`attachment is shorter (${this.plaintextLength} bytes) than its declared size (${this.size})`);
    }
  }

  private emit(plain: Buffer): void {
    this.plaintextLength += plain.length;
    const room = this.size === undefined ? plain.length : Math.max(0, Math.min(plain.length, this.size - this.emitted));
    if (room === 0) return;
    this.emitted += room;
    this.output(plain.subarray(0, room));
  }
}
