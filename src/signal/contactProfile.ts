// Reading a contact's profile: `GET /v1/profile/{aci}/{version}`, the version derived from the
// profile key they shared, so the server answers with the fields of that key's profile; the
// fields are decrypted with the same key.
import { Aci } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import { chatJson, HttpError } from './chatHttp.js';
import type { HttpsClient } from './https.js';
import { decryptProfileAvatar, decryptProfileField } from './profileCipher.js';
import type { ServerConfig } from './serverConfig.js';

export interface ContactProfile {
  /** Given name, NUL, family name (as encrypted); null when unset or not readable with this key. */
  name: string | null;
  about: string | null;
  aboutEmoji: string | null;
  /** Where CDN 0 keeps the encrypted avatar; null: none. */
  avatarPath: string | null;
}

const MAX_AVATAR_BYTES = 16 * 1024 * 1024;

/** The avatar image, decrypted (zero-padded as uploaded: image decoders ignore the padding). */
export async function fetchProfileAvatar(https: HttpsClient, config: ServerConfig, avatarPath: string, profileKey: Uint8Array): Promise<Uint8Array> {
  const base = config.cdnUrls['0'];
  if (!base) throw new Error('this server has no CDN 0 for profile avatars');
  const res = await https({ method: 'GET', url: `${base}/${avatarPath}`, maxBodyBytes: MAX_AVATAR_BYTES });
  if (res.status !== 200) throw new HttpError(res.status, avatarPath, undefined);
  return decryptProfileAvatar(profileKey, res.body);
}

/** Null when the server has no profile for them (unregistered, or no such account). */
export async function fetchContactProfile(chat: ChatConnection, aci: string, profileKeyBytes: Uint8Array): Promise<ContactProfile | null> {
  const version = new ProfileKey(new Uint8Array(profileKeyBytes)).getProfileKeyVersion(Aci.fromUuid(aci)).toString();
  type Answer = { name?: string | null; about?: string | null; aboutEmoji?: string | null; avatar?: string | null };
  let res: Answer | undefined;
  try {
    res = await chatJson<Answer>(chat, { verb: 'GET', path: `/v1/profile/${aci}/${version}` });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
  return {
    name: readField(profileKeyBytes, res?.name),
    about: readField(profileKeyBytes, res?.about),
    aboutEmoji: readField(profileKeyBytes, res?.aboutEmoji),
    avatarPath: typeof res?.avatar === 'string' && res.avatar ? res.avatar : null,
  };
}

function readField(profileKey: Uint8Array, base64: string | null | undefined): string | null {
  if (!base64) return null;
  try {
    const text = Buffer.from(decryptProfileField(profileKey, Buffer.from(base64, 'base64'))).toString('utf8');
    return text || null;
  } catch {
    // Encrypted under another key (they changed it since): unreadable until they share the new one.
    return null;
  }
}
