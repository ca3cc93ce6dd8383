// Attachment encryption as Signal clients do it: the plaintext padded to a size bucket,
// AES-256-CBC (PKCS#7), HMAC-SHA256 over iv ‖ ciphertext, and a SHA-256 digest of the whole blob
// that travels in the (end-to-end encrypted) pointer.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const IV_BYTES = 16;
const MAC_BYTES = 32;

/** Sizes are rounded up to buckets 5% apart (at least 541 bytes), so a blob reveals little. */
export function paddedAttachmentSize(size: number): number {
  return Math.max(541, Math.floor(1.05 ** Math.ceil(Math.log(size) / Math.log(1.05))));
}

export interface EncryptedAttachment {
  /** iv ‖ ciphertext ‖ mac: what goes to the CDN. */
  ciphertext: Uint8Array;
  /** aes key ‖ mac key, 64 bytes. */
  key: Uint8Array;
  digest: Uint8Array;
  size: number;
}

export function encryptAttachment(plaintext: Uint8Array, key: Uint8Array = randomBytes(64), iv: Uint8Array = randomBytes(IV_BYTES)): EncryptedAttachment {
  if (key.length !== 64) throw new Error('attachment key must be 64 bytes');
  const padding = Buffer.alloc(paddedAttachmentSize(plaintext.length) - plaintext.length);
  const cipher = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv);
  const body = Buffer.concat([Buffer.from(iv), cipher.update(plaintext), cipher.update(padding), cipher.final()]);
  const mac = createHmac('sha256', key.subarray(32, 64)).update(body).digest();
  const blob = Buffer.concat([body, mac]);
  return { ciphertext: blob, key, digest: createHash('sha256').update(blob).digest(), size: plaintext.length };
}

export function decryptAttachment(blob: Uint8Array, key: Uint8Array, expectedDigest?: Uint8Array, size?: number): Uint8Array {
  if (key.length !== 64) throw new Error('attachment key must be 64 bytes');
  if (blob.length < IV_BYTES + 16 + MAC_BYTES) throw new Error('attachment is too short');
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
  if (expectedDigest && expectedDigest.length > 0) {
    const digest = createHash('sha256').update(data).digest();
    if (digest.length !== expectedDigest.length || !timingSafeEqual(digest, expectedDigest)) throw new Error('attachment digest mismatch');
  }
  const body = data.subarray(0, data.length - MAC_BYTES);
  const mac = createHmac('sha256', key.subarray(32, 64)).update(body).digest();
  if (!timingSafeEqual(mac, data.subarray(data.length - MAC_BYTES))) throw new Error('attachment MAC mismatch');
  const decipher = createDecipheriv('aes-256-cbc', key.subarray(0, 32), body.subarray(0, IV_BYTES));
  const plain = Buffer.concat([decipher.update(body.subarray(IV_BYTES)), decipher.final()]);
  if (size !== undefined && size > plain.length) throw new Error('attachment is shorter than its declared size');
  return size === undefined ? plain : plain.subarray(0, size);
}
