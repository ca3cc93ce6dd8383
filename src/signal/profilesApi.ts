// Profile key credentials: the zkgroup proof that a user's profile key belongs to their ACI,
// which lets us put them into a group as a full member (a presentation of it goes to the group
// server). The server issues one to anyone who knows the user's profile key.
import { Aci } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import {
  ClientZkProfileOperations,
  ExpiringProfileKeyCredential,
  ExpiringProfileKeyCredentialResponse,
  ProfileKey,
  ServerPublicParams,
} from '@signalapp/libsignal-client/zkgroup.js';
import { chatJson, HttpError } from './chatHttp.js';

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
