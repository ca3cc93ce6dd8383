// The account's own profile (name, about, avatar). The server replaces the whole profile on every
// update and sigsock cannot read the current one back in clear, so the last profile set from here
// is kept in the store: a later update that changes only the avatar keeps the name it had.
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { postToCdn0 } from '../signal/cdn.js';
import { HttpError } from '../signal/chatHttp.js';
import type { HttpsClient } from '../signal/https.js';
import { putProfile, type AvatarChange, type ProfileUpdate } from '../signal/profileApi.js';
import { encryptProfileAvatar } from '../signal/profileCipher.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import { MessengerError } from './errors.js';

const PROFILE_SETTING = 'profile';
/** Signal-Server refuses larger avatars (its upload policy allows 10 MiB, clients send far less). */
export const MAX_AVATAR_BYTES = 10 * 1024 * 1024;

/** What to change; a field left out keeps its value, an empty string clears it. */
export interface ProfileChange {
  givenName?: string;
  familyName?: string;
  about?: string;
  aboutEmoji?: string;
  /** New image bytes; null removes the avatar; absent keeps it. */
  avatar?: Uint8Array | null;
}

export interface ProfileEnvironment {
  chat: ChatConnection;
  https: HttpsClient;
  serverConfig: ServerConfig;
  aci: string;
  profileKey: Uint8Array | null;
  settings: { getSetting(key: string): string | undefined; setSetting(key: string, value: string): void };
}

export async function changeOwnProfile(env: ProfileEnvironment, change: ProfileChange): Promise<ProfileUpdate> {
  if (!env.profileKey) {
    throw new MessengerError('UNKNOWN', 'this account has no profile key (the phone did not share one when linking), so its profile cannot be set from here');
  }
  if (change.avatar && change.avatar.length > MAX_AVATAR_BYTES) {
    throw new MessengerError('INVALID_ATTACHMENT', `the avatar is ${change.avatar.length} bytes; at most ${MAX_AVATAR_BYTES} are accepted`);
  }
  const profile = mergedProfile(readStoredProfile(env.settings), change);
  const avatar: AvatarChange = change.avatar === undefined ? 'keep' : change.avatar === null ? 'remove' : 'upload';
  try {
    const form = await putProfile(env.chat, env.aci, env.profileKey, profile, avatar);
    if (form && change.avatar) await postToCdn0(env.serverConfig, env.https, form, encryptProfileAvatar(env.profileKey, change.avatar));
  } catch (err) {
    if (err instanceof HttpError) throw new MessengerError('NETWORK', `the server refused the profile: ${err.message}`, { cause: err });
    throw err;
  }
  env.settings.setSetting(PROFILE_SETTING, JSON.stringify(profile));
  return profile;
}

function mergedProfile(stored: ProfileUpdate | null, change: ProfileChange): ProfileUpdate {
  const givenName = change.givenName ?? stored?.givenName;
  if (!givenName) {
    throw new MessengerError('UNKNOWN', 'the profile needs a name: sigsock does not know the current one, so give --name the first time');
  }
  const pick = (key: 'familyName' | 'about' | 'aboutEmoji') => (change[key] !== undefined ? change[key] || undefined : stored?.[key]);
  return { givenName, familyName: pick('familyName'), about: pick('about'), aboutEmoji: pick('aboutEmoji') };
}

function readStoredProfile(settings: ProfileEnvironment['settings']): ProfileUpdate | null {
  const raw = settings.getSetting(PROFILE_SETTING);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<ProfileUpdate>;
    return typeof parsed.givenName === 'string' ? (parsed as ProfileUpdate) : null;
  } catch {
    return null;
  }
}
