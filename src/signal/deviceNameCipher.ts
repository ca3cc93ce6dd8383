// The device name is stored on the server encrypted to the account's identity key, so only the
// account's own devices can read it: ECDH with an ephemeral key, a synthetic IV, AES-256-CTR.
import { createCipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { PrivateKey, PublicKey } from '@signalapp/libsignal-client';
import { decodeDeviceName, encodeDeviceName } from '../proto/index.js';

const hmac = (key: Uint8Array, data: Uint8Array | string) => createHmac('sha256', key).update(data).digest();
const ZERO_IV = Buffer.alloc(16);

export function encryptDeviceName(name: string, identityKey: PublicKey): Uint8Array {
  const ephemeral = PrivateKey.generate();
  const masterSecret = ephemeral.agree(identityKey);
  const plaintext = Buffer.from(name, 'utf8');
  const syntheticIv = hmac(hmac(masterSecret, 'auth'), plaintext).subarray(0, 16);
  const cipherKey = hmac(hmac(masterSecret, 'cipher'), syntheticIv);
  const cipher = createCipheriv('aes-256-ctr', cipherKey, ZERO_IV);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return encodeDeviceName({ ephemeralPublic: ephemeral.getPublicKey().serialize(), syntheticIv, ciphertext });
}

export function decryptDeviceName(bytes: Uint8Array, identityKey: PrivateKey): string {
  const proto = decodeDeviceName(bytes);
  if (!proto.ephemeralPublic || !proto.syntheticIv || !proto.ciphertext) throw new Error('incomplete device name');
  const masterSecret = identityKey.agree(PublicKey.deserialize(new Uint8Array(proto.ephemeralPublic)));
  const cipherKey = hmac(hmac(masterSecret, 'cipher'), proto.syntheticIv);
  const decipher = createCipheriv('aes-256-ctr', cipherKey, ZERO_IV);
  const plaintext = Buffer.concat([decipher.update(proto.ciphertext), decipher.final()]);
  const check = hmac(hmac(masterSecret, 'auth'), plaintext).subarray(0, 16);
  if (!timingSafeEqual(check, Buffer.from(proto.syntheticIv))) throw new Error('device name does not verify');
  return plaintext.toString('utf8');
}
