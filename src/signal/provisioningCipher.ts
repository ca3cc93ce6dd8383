// The provisioning envelope a phone sends a device it links. The new device shows an ephemeral
// public key in the QR code; the phone agrees a secret with it (X25519), derives an AES-256-CBC key
// and an HMAC-SHA256 key from it (HKDF, info "TextSecure Provisioning Message", no salt — which
// RFC 5869 defines as 32 zero bytes, so clients that pass zeros agree), and sends
//   body = 0x01 ‖ iv (16) ‖ AES-256-CBC/PKCS#7 ciphertext ‖ HMAC-SHA256(version ‖ iv ‖ ciphertext)
// libsignal's Node API has no provisioning cipher, hence this file.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PrivateKey, PublicKey, hkdf } from '@signalapp/libsignal-client';

const VERSION = 1;
const INFO = new TextEncoder().encode('TextSecure Provisioning Message');
const IV_BYTES = 16;
const AES_BLOCK = 16;
const MAC_BYTES = 32;
const HEADER_BYTES = 1 + IV_BYTES;

export interface SealedProvisionMessage {
  /** The sender's ephemeral public key, serialized (33 bytes, 0x05 prefix). */
  publicKey: Uint8Array;
  body: Uint8Array;
}

function deriveKeys(shared: Uint8Array): { aesKey: Buffer; macKey: Buffer } {
  const derived = Buffer.from(hkdf(64, new Uint8Array(shared), INFO, null));
  return { aesKey: derived.subarray(0, 32), macKey: derived.subarray(32, 64) };
}

/** The ProvisionMessage bytes inside an envelope sent to `ourKey`'s public key. */
export function decryptProvisionEnvelope(ourKey: PrivateKey, envelope: SealedProvisionMessage): Uint8Array {
  const body = Buffer.from(envelope.body.buffer, envelope.body.byteOffset, envelope.body.byteLength);
  if (body.length < 1) throw new Error('provisioning message is empty');
  if (body[0] !== VERSION) throw new Error(`unsupported provisioning message version ${body[0]}`);
  if (body.length < HEADER_BYTES + AES_BLOCK + MAC_BYTES) throw new Error('provisioning message is too short');

  const { aesKey, macKey } = deriveKeys(ourKey.agree(PublicKey.deserialize(new Uint8Array(envelope.publicKey))));
  const signed = body.subarray(0, body.length - MAC_BYTES);
  const expectedMac = createHmac('sha256', macKey).update(signed).digest();
  if (!timingSafeEqual(expectedMac, body.subarray(body.length - MAC_BYTES))) {
    throw new Error('provisioning message MAC mismatch (wrong key or tampered)');
  }

  const decipher = createDecipheriv('aes-256-cbc', aesKey, signed.subarray(1, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(signed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    // The MAC held, so the sender encrypted garbage: say so rather than "bad decrypt".
    throw new Error('provisioning message has invalid AES padding');
  }
}

/** The phone's side: seal `plaintext` (an encoded ProvisionMessage) to `theirKey`. */
export function encryptProvisionMessage(theirKey: PublicKey, plaintext: Uint8Array): SealedProvisionMessage {
  const ephemeral = PrivateKey.generate();
  const { aesKey, macKey } = deriveKeys(ephemeral.agree(theirKey));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const signed = Buffer.concat([Buffer.of(VERSION), iv, cipher.update(plaintext), cipher.final()]);
  const body = Buffer.concat([signed, createHmac('sha256', macKey).update(signed).digest()]);
  return { publicKey: ephemeral.getPublicKey().serialize(), body };
}
