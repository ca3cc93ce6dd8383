// Keeps enough one-time prekeys on the server that new contacts can always start a session.
import { PrivateKey } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import {
  ONE_TIME_PREKEY_BATCH,
  PREKEY_REFILL_THRESHOLD,
  generateOneTimeKyberPreKeys,
  generateOneTimePreKeys,
  getPreKeyCounts,
  uploadOneTimePreKeys,
  type IdentityKind,
} from '../signal/prekeys.js';
import type { AccountStore } from '../store/accountStore.js';

export async function refillPreKeys(chat: ChatConnection, store: AccountStore, kind: IdentityKind, identityKey: Uint8Array): Promise<boolean> {
  const counts = await getPreKeyCounts(chat, kind);
  if (counts.count >= PREKEY_REFILL_THRESHOLD && counts.pqCount >= PREKEY_REFILL_THRESHOLD) return false;
  const identity = PrivateKey.deserialize(new Uint8Array(identityKey));
  const ids = store.preKeys.reserveIds(kind, ONE_TIME_PREKEY_BATCH);
  const preKeys = generateOneTimePreKeys(ids.preKeyId, ONE_TIME_PREKEY_BATCH);
  const kyberPreKeys = generateOneTimeKyberPreKeys(identity, ids.kyberPreKeyId, ONE_TIME_PREKEY_BATCH);
  // Stored before the upload: a key the server hands out must always be one we can answer.
  store.preKeys.storeOneTimeKeys(kind, preKeys, kyberPreKeys);
  await uploadOneTimePreKeys(chat, kind, preKeys, kyberPreKeys);
  return true;
}
