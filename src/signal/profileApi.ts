// Setting the account's own profile (`PUT /v1/profile`): the fields encrypted with the profile
// key, the key's version and commitment so the server can issue profile key credentials.
import { Aci } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import { chatJson } from './chatHttp.js';
import { encodeProfileName, encryptProfileField } from './profileCipher.js';

export interface ProfileUpdate {
  givenName: string;
  familyName?: string;
  about?: string;
  aboutEmoji?: string;
}

export async function putProfile(chat: ChatConnection, aci: string, profileKeyBytes: Uint8Array, update: ProfileUpdate): Promise<void> {
  const profileKey = new ProfileKey(new Uint8Array(profileKeyBytes));
  const serviceId = Aci.fromUuid(aci);
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const text = (s: string) => Buffer.from(s, 'utf8');
  await chatJson(chat, {
    verb: 'PUT',
    path: '/v1/profile',
    body: {
      version: profileKey.getProfileKeyVersion(serviceId).toString(),
      commitment: b64(profileKey.getCommitment(serviceId).serialize()),
      name: b64(encryptProfileField(profileKeyBytes, 'name', encodeProfileName(update.givenName, update.familyName))),
      about: update.about ? b64(encryptProfileField(profileKeyBytes, 'about', text(update.about))) : null,
      aboutEmoji: update.aboutEmoji ? b64(encryptProfileField(profileKeyBytes, 'aboutEmoji', text(update.aboutEmoji))) : null,
      paymentAddress: null,
      // No new avatar, and keep the one the account has (sigsock does not upload avatars yet).
      avatar: false,
      sameAvatar: true,
      badgeIds: [],
    },
  });
}
