// Attachment encryption as Signal clients do it. The plaintext is zero-padded to a size bucket,
// then encrypted with AES-256-CBC (PKCS#7); the CDN gets iv ‖ ciphertext ‖ HMAC-SHA256(iv ‖
// ciphertext), and the end-to-end encrypted pointer carries the 64-byte key (aes ‖ mac), the
// plaintext size and the SHA-256 digest of the whole blob.
//
// Work goes through the cipher in chunks straight into one preallocated blob, so a 10 MiB
// attachment costs one blob-sized allocation, not a chain of concatenated copies.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual, type Cipher } from 'node:crypto';

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

export function encryptAttachment(plaintext: Uint8Array, key: Uint8Array = randomBytes(KEY_BYTES), iv: Uint8Array = randomBytes(IV_BYTES)): EncryptedAttachment {
  if (key.length !== KEY_BYTES) throw new Error(`attachment key must be ${KEY_BYTES} bytes`);
  if (iv.length !== IV_BYTES) throw new Error(`attachment iv must be ${IV_BYTES} bytes`);
  const padded = paddedAttachmentSize(plaintext.length);
  const cipherLength = (Math.floor(padded / AES_BLOCK) + 1) * AES_BLOCK;
  const blob = Buffer.allocUnsafe(IV_BYTES + cipherLength + MAC_BYTES);
  blob.set(iv, 0);

  const cipher = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv);
  let offset = pump(cipher, plaintext, blob, IV_BYTES);
  for (let left = padded - plaintext.length; left > 0; left -= CHUNK) {
    offset += cipher.update(ZEROS.subarray(0, Math.min(left, CHUNK))).copy(blob, offset);
  }
  offset += cipher.final().copy(blob, offset);
  if (offset !== IV_BYTES + cipherLength) throw new Error('attachment ciphertext length is off (bug)');

  createHmac('sha256', key.subarray(32)).update(blob.subarray(0, offset)).digest().copy(blob, offset);
  const digest = createHash('sha256').update(blob).digest();
  return { ciphertext: blob, key, digest, size: plaintext.length };
}

/**
 * The plaintext of a downloaded blob, checked against the pointer: the digest (when the pointer
 * has one) and the MAC, both before any decryption. `size` cuts off the bucket padding; without
 * it the padded plaintext comes back whole.
 */
export function decryptAttachment(blob: Uint8Array, key: Uint8Array, expectedDigest?: Uint8Array, size?: number): Uint8Array {
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
  const plain = Buffer.allocUnsafe(encrypted.length);
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
