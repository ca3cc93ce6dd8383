// Profile fields are stored on the server encrypted with the account's profile key, so only
// contacts who were given the key can read them: AES-256-GCM, nonce ‖ ciphertext ‖ tag, the
// plaintext zero-padded to one of a few fixed lengths so its size says little.
import { openGcm, sealGcm } from './aesGcm.js';
import { paddedAttachmentSize } from './attachmentCrypto.js';

/** The padded lengths Signal clients use, per field; the smallest that fits is chosen. */
export const PROFILE_FIELD_LENGTHS = {
  name: [53, 257],
  about: [128, 254, 512],
  aboutEmoji: [32],
} as const;

export type ProfileField = keyof typeof PROFILE_FIELD_LENGTHS;

export function encryptProfileField(profileKey: Uint8Array, field: ProfileField, plaintext: Uint8Array): Uint8Array {
  if (profileKey.length !== 32) throw new Error('a profile key is 32 bytes');
  const padded = PROFILE_FIELD_LENGTHS[field].find((n) => n >= plaintext.length);
  if (padded === undefined) throw new Error(`profile ${field} is too long (${plaintext.length} bytes, at most ${PROFILE_FIELD_LENGTHS[field].at(-1)})`);
  const buffer = Buffer.alloc(padded);
  buffer.set(plaintext);
  return sealGcm(profileKey, buffer);
}

/** The plaintext with its zero padding removed. */
export function decryptProfileField(profileKey: Uint8Array, encrypted: Uint8Array): Uint8Array {
  const plain = openGcm(profileKey, encrypted);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end);
}

/** A profile name: given name, then a NUL and the family name when there is one. */
export function encodeProfileName(givenName: string, familyName?: string): Uint8Array {
  if (givenName.length === 0) throw new Error('a profile needs a given name');
  if (givenName.includes('\0') || familyName?.includes('\0')) throw new Error('a profile name cannot contain NUL characters');
  return Buffer.from(familyName ? `${givenName}\0${familyName}` : givenName, 'utf8');
}

/**
 * A profile avatar as it goes to CDN 0: the image zero-padded to an attachment size bucket (as
 * Signal-Android pads it; image decoders ignore the trailing zeros), sealed like the fields.
 */
export function encryptProfileAvatar(profileKey: Uint8Array, image: Uint8Array): Uint8Array {
  if (profileKey.length !== 32) throw new Error('a profile key is 32 bytes');
  const padded = Buffer.alloc(paddedAttachmentSize(image.length));
  padded.set(image);
  return sealGcm(profileKey, padded);
}

/** The padded image; throws when it does not authenticate under the profile key. */
export function decryptProfileAvatar(profileKey: Uint8Array, encrypted: Uint8Array): Uint8Array {
  return openGcm(profileKey, encrypted);
}
