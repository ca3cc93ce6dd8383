// The profile routes. Setting the account's own profile (`PUT /v1/profile`): the fields encrypted
// with the profile key, the key's version and commitment so the server can issue profile key
// credentials. Fetching a contact's profile key credential: the zkgroup proof that their profile
// key belongs to their ACI, which lets us put them into a group as a full member (a presentation
// of it goes to the group server); the server issues one to anyone who knows the profile key.
import { Aci } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import {
  ClientZkProfileOperations,
  ExpiringProfileKeyCredential,
  ExpiringProfileKeyCredentialResponse,
  ProfileKey,
  ServerPublicParams,
} from '@signalapp/libsignal-client/zkgroup.js';
import type { Cdn0UploadForm } from './cdn.js';
import { chatJson, HttpError } from './chatHttp.js';
import { encodeProfileName, encryptProfileField } from './profileCipher.js';

export interface ProfileUpdate {
  givenName: string;
  familyName?: string;
  about?: string;
  aboutEmoji?: string;
}

/** What happens to the avatar: kept as it is, removed, or replaced (the answer is then an upload form). */
export type AvatarChange = 'keep' | 'remove' | 'upload';

/**
 * `PUT /v1/profile`, which replaces the whole profile. With `avatar: 'upload'` the server answers
 * with the CDN 0 form the encrypted image must be posted with; the profile points at it at once.
 */
export async function putProfile(
  chat: ChatConnection,
  aci: string,
  profileKeyBytes: Uint8Array,
  update: ProfileUpdate,
  avatar: AvatarChange = 'keep',
): Promise<Cdn0UploadForm | null> {
  const profileKey = new ProfileKey(new Uint8Array(profileKeyBytes));
  const serviceId = Aci.fromUuid(aci);
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const text = (s: string) => Buffer.from(s, 'utf8');
  const answer = await chatJson<unknown>(chat, {
    verb: 'PUT',
    path: '/v1/profile',
    body: {
      version: profileKey.getProfileKeyVersion(serviceId).toString(),
      commitment: b64(profileKey.getCommitment(serviceId).serialize()),
      name: b64(encryptProfileField(profileKeyBytes, 'name', encodeProfileName(update.givenName, update.familyName))),
      about: update.about ? b64(encryptProfileField(profileKeyBytes, 'about', text(update.about))) : null,
      aboutEmoji: update.aboutEmoji ? b64(encryptProfileField(profileKeyBytes, 'aboutEmoji', text(update.aboutEmoji))) : null,
      paymentAddress: null,
      avatar: avatar === 'upload',
      sameAvatar: avatar === 'keep',
      badgeIds: [],
    },
  });
  return avatar === 'upload' ? parseUploadForm(answer) : null;
}

function parseUploadForm(answer: unknown): Cdn0UploadForm {
  const form = answer as Partial<Record<keyof Cdn0UploadForm, unknown>> | undefined;
  const fields = ['key', 'credential', 'acl', 'algorithm', 'date', 'policy', 'signature'] as const;
  const missing = fields.filter((f) => typeof form?.[f] !== 'string' || form[f] === '');
  if (missing.length > 0) throw new Error(`PUT /v1/profile: the avatar upload form lacks ${missing.join(', ')}`);
  return Object.fromEntries(fields.map((f) => [f, form![f]])) as unknown as Cdn0UploadForm;
}

/**
 * `GET /v1/profile/{aci}/{version}/{request}?credentialType=expiringProfileKey` over the
 * authenticated chat connection. Null when the server has no profile for them, or issued no
 * credential (the profile key we hold is not their current one).
 */
export async function fetchProfileKeyCredential(
  chat: ChatConnection,
  serverPublicParams: Uint8Array,
  aci: string,
  profileKeyBytes: Uint8Array,
): Promise<ExpiringProfileKeyCredential | null> {
  const userId = Aci.fromUuid(aci);
  const profileKey = new ProfileKey(new Uint8Array(profileKeyBytes));
  const ops = new ClientZkProfileOperations(new ServerPublicParams(new Uint8Array(serverPublicParams)));
  const context = ops.createProfileKeyCredentialRequestContext(userId, profileKey);
  const version = profileKey.getProfileKeyVersion(userId).toString();
  const request = Buffer.from(context.getRequest().serialize()).toString('hex');
  let res: { credential?: string };
  try {
    res = await chatJson<{ credential?: string }>(chat, {
      verb: 'GET',
      path: `/v1/profile/${aci}/${version}/${request}?credentialType=expiringProfileKey`,
    });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
  if (!res?.credential) return null;
  try {
    return ops.receiveExpiringProfileKeyCredential(context, new ExpiringProfileKeyCredentialResponse(new Uint8Array(Buffer.from(res.credential, 'base64'))));
  } catch {
    // Issued for another profile key (ours is stale) or malformed: not usable.
    return null;
  }
}
