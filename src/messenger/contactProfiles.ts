// Reading one contact's profile on request: name, about text and avatar, decrypted with the
// profile key they shared. The name read is kept, as the background fetch (profileNames.ts) would.
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { fetchContactProfile, fetchProfileAvatar } from '../signal/contactProfile.js';
import type { HttpsClient } from '../signal/https.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import type { Recipients } from '../store/recipients.js';
import { AttachmentBytes, type ProfileSummary } from './api.js';
import { MessengerError } from './errors.js';
import type { KnownRecipient } from './recipientResolver.js';

export interface ProfileReadDeps {
  chat: ChatConnection;
  https: HttpsClient;
  serverConfig: ServerConfig;
  recipients: Pick<Recipients, 'setProfileName'>;
}

export async function readContactProfile(deps: ProfileReadDeps, recipient: KnownRecipient): Promise<ProfileSummary> {
  const label = recipient.e164 ?? recipient.aci;
  if (!recipient.profileKey) {
    throw new MessengerError('INVALID_RECIPIENT', `${label} has not shared their profile with this account (no profile key yet: it comes with their messages)`);
  }
  let profile;
  let avatar: Uint8Array | null = null;
  try {
    profile = await fetchContactProfile(deps.chat, recipient.aci, recipient.profileKey);
    if (profile?.avatarPath) avatar = await fetchProfileAvatar(deps.https, deps.serverConfig, profile.avatarPath, recipient.profileKey);
  } catch (err) {
    throw new MessengerError('NETWORK', `reading the profile of ${label} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!profile) throw new MessengerError('INVALID_NUMBER', `${label} has no profile on this server (not registered)`);
  if (profile.name) deps.recipients.setProfileName(recipient.aci, recipient.profileKey, profile.name);
  const [givenName, familyName] = (profile.name ?? '').split('\0');
  return {
    number: recipient.e164,
    uuid: recipient.aci,
    givenName: givenName || null,
    familyName: familyName || null,
    about: profile.about,
    aboutEmoji: profile.aboutEmoji,
    avatar: avatar ? new AttachmentBytes(avatar) : null,
  };
}
