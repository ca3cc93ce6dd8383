// What a device holds once it joined an account, by linking or by registering: its identities,
// the keys it announced to the server, and the password it authenticates with.
import { randomBytes, randomInt } from 'node:crypto';
import type { KyberPreKeyRecord, PrivateKey, SignedPreKeyRecord } from '@signalapp/libsignal-client';
import { generateKyberPreKey, generateSignedPreKey, randomKeyId } from './prekeys.js';

export interface IdentityKeys {
  identityKey: PrivateKey;
  registrationId: number;
  signedPreKey: SignedPreKeyRecord;
  kyberLastResort: KyberPreKeyRecord;
}

export interface AccountCredentials {
  aci: string;
  pni: string;
  number: string;
  deviceId: number;
  password: string;
  profileKey: Uint8Array | null;
  masterKey: Uint8Array | null;
  accountEntropyPool: string | null;
  aciKeys: IdentityKeys;
  pniKeys: IdentityKeys;
}

export function newIdentityKeys(identityKey: PrivateKey): IdentityKeys {
  return {
    identityKey,
    // Registration ids are 14 bits; 0 is not valid.
    registrationId: randomInt(1, 16381),
    signedPreKey: generateSignedPreKey(identityKey, randomKeyId()),
    kyberLastResort: generateKyberPreKey(identityKey, randomKeyId()),
  };
}

export function newDevicePassword(): string {
  return randomBytes(18).toString('base64url');
}
