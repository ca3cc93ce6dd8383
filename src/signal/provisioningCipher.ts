// The provisioning envelope the phone sends a new device: ECDH with our ephemeral key, HKDF into
// an AES-256-CBC key and an HMAC-SHA256 key; body = version 0x01 ‖ iv ‖ ciphertext ‖ mac.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PrivateKey, PublicKey, hkdf } from '@signalapp/libsignal-client';

const VERSION = 1;
const INFO = new Uint8Array(Buffer.from('TextSecure Provisioning Message'));
const IV_BYTES = 16;
const MAC_BYTES = 32;

function keys(shared: Uint8Array): { aes: Buffer; mac: Buffer } {
  const derived = Buffer.from(hkdf(64, new Uint8Array(shared), INFO, null));
  return { aes: derived.subarray(0, 32), mac: derived.subarray(32, 64) };
}

export function decryptProvisionEnvelope(ourKey: PrivateKey, envelope: { publicKey: Uint8Array; body: Uint8Array }): Uint8Array {
  const body = Buffer.from(envelope.body);
  if (body.length < 1 + IV_BYTES + MAC_BYTES + 16) throw new Error('provisioning message is too short');
  if (body[0] !== VERSION) throw new Error(`unsupported provisioning message version ${body[0]}`);
  const theirKey = PublicKey.deserialize(new Uint8Array(envelope.publicKey));
  const { aes, mac } = keys(ourKey.agree(theirKey));
  const signed = body.subarray(0, body.length - MAC_BYTES);
  const expected = createHmac('sha256', mac).update(signed).digest();
  if (!timingSafeEqual(expected, body.subarray(body.length - MAC_BYTES))) throw new Error('provisioning message MAC mismatch');
  const iv = body.subarray(1, 1 + IV_BYTES);
  const decipher = createDecipheriv('aes-256-cbc', aes, iv);
  return Buffer.concat([decipher.update(body.subarray(1 + IV_BYTES, body.length - MAC_BYTES)), decipher.final()]);
}

/** The phone's side; used by tests. */
export function encryptProvisionMessage(theirKey: PublicKey, plaintext: Uint8Array): { publicKey: Uint8Array; body: Uint8Array } {
  const ephemeral = PrivateKey.generate();
  const { aes, mac } = keys(ephemeral.agree(theirKey));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-cbc', aes, iv);
  const signed = Buffer.concat([Buffer.from([VERSION]), iv, cipher.update(plaintext), cipher.final()]);
  const body = Buffer.concat([signed, createHmac('sha256', mac).update(signed).digest()]);
  return { publicKey: ephemeral.getPublicKey().serialize(), body };
}
