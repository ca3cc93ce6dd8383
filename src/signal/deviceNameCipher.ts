// The server stores a linked device's name encrypted to the account's ACI identity key, so only
// the account's own devices can read it (Signal-Desktop's encryptDeviceName):
//   masterSecret = ECDH(ephemeral, identity)
//   syntheticIv  = HMAC(HMAC(masterSecret, "auth"), name)[0..16]     — also the integrity check
//   cipherKey    = HMAC(HMAC(masterSecret, "cipher"), syntheticIv)
//   ciphertext   = AES-256-CTR(cipherKey, counter 0, name)
// The result travels as an encoded DeviceName proto (base64 in the account attributes).
import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { PrivateKey, PublicKey } from '@signalapp/libsignal-client';
import { decodeDeviceName, encodeDeviceName } from '../proto/index.js';

const SYNTHETIC_IV_BYTES = 16;
const ZERO_COUNTER = Buffer.alloc(16);

const hmac = (key: Uint8Array, data: Uint8Array | string): Buffer => createHmac('sha256', key).update(data).digest();

function aesCtr(key: Uint8Array, data: Uint8Array): Buffer {
  // CTR is its own inverse: the same call encrypts and decrypts.
  const cipher = createCipheriv('aes-256-ctr', key, ZERO_COUNTER);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function encryptDeviceName(name: string, identityKey: PublicKey): Uint8Array {
  const ephemeral = PrivateKey.generate();
  const masterSecret = ephemeral.agree(identityKey);
  const plaintext = Buffer.from(name, 'utf8');
  const syntheticIv = hmac(hmac(masterSecret, 'auth'), plaintext).subarray(0, SYNTHETIC_IV_BYTES);
  const ciphertext = aesCtr(hmac(hmac(masterSecret, 'cipher'), syntheticIv), plaintext);
  return encodeDeviceName({ ephemeralPublic: ephemeral.getPublicKey().serialize(), syntheticIv, ciphertext });
}

export function decryptDeviceName(encoded: Uint8Array, identityKey: PrivateKey): string {
  const { ephemeralPublic, syntheticIv, ciphertext } = decodeDeviceName(encoded);
  if (!ephemeralPublic?.length || syntheticIv?.length !== SYNTHETIC_IV_BYTES || !ciphertext) {
    throw new Error('device name is incomplete');
  }
  const masterSecret = identityKey.agree(PublicKey.deserialize(new Uint8Array(ephemeralPublic)));
  const plaintext = aesCtr(hmac(hmac(masterSecret, 'cipher'), syntheticIv), ciphertext);
  const expectedIv = hmac(hmac(masterSecret, 'auth'), plaintext).subarray(0, SYNTHETIC_IV_BYTES);
  if (!timingSafeEqual(expectedIv, syntheticIv)) throw new Error('device name does not verify (wrong identity key or tampered)');
  return plaintext.toString('utf8');
}
