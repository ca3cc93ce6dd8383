// Reading a contact's profile: `GET /v1/profile/{aci}/{version}`, the version derived from the
// profile key they shared, so the server answers with the fields of that key's profile; the
// fields are decrypted with the same key.
import { Aci } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import { chatJson, HttpError } from './chatHttp.js';
import { decryptProfileField } from './profileCipher.js';

export interface ContactProfile {
  /** Given name, NUL, family name (as encrypted); null when unset or not readable with this key. */
  name: string | null;
  about: string | null;
}

/** Null when the server has no profile for them (unregistered, or no such account). */
export async function fetchContactProfile(chat: ChatConnection, aci: string, profileKeyBytes: Uint8Array): Promise<ContactProfile | null> {
  const version = new ProfileKey(new Uint8Array(profileKeyBytes)).getProfileKeyVersion(Aci.fromUuid(aci)).toString();
  let res: { name?: string | null; about?: string | null } | undefined;
  try {
    res = await chatJson<{ name?: string | null; about?: string | null }>(chat, { verb: 'GET', path: `/v1/profile/${aci}/${version}` });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
  return { name: readField(profileKeyBytes, res?.name), about: readField(profileKeyBytes, res?.about) };
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
