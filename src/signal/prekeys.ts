// Prekey material: generating the records libsignal needs and the JSON the server takes.
// The caller stores the records; this module only creates and uploads them.
import { KEMKeyPair, KyberPreKeyRecord, PreKeyRecord, PrivateKey, SignedPreKeyRecord } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { chatJson } from './chatHttp.js';

export type IdentityKind = 'aci' | 'pni';

/** Enough one-time keys that a burst of new contacts does not exhaust them; refilled below the threshold. */
export const ONE_TIME_PREKEY_BATCH = 100;
export const PREKEY_REFILL_THRESHOLD = 10;

const MAX_KEY_ID = 0xffffff;

export function nextKeyId(previous: number): number {
  return (previous % MAX_KEY_ID) + 1;
}

export function randomKeyId(): number {
  return 1 + Math.floor(Math.random() * (MAX_KEY_ID - 1));
}

export function generateSignedPreKey(identity: PrivateKey, id: number): SignedPreKeyRecord {
  const priv = PrivateKey.generate();
  const pub = priv.getPublicKey();
  return SignedPreKeyRecord.new(id, Date.now(), pub, priv, identity.sign(pub.serialize()));
}

export function generateKyberPreKey(identity: PrivateKey, id: number): KyberPreKeyRecord {
  const pair = KEMKeyPair.generate();
  return KyberPreKeyRecord.new(id, Date.now(), pair, identity.sign(pair.getPublicKey().serialize()));
}

export function generateOneTimePreKeys(firstId: number, count: number): PreKeyRecord[] {
  const out: PreKeyRecord[] = [];
  let id = firstId;
  for (let i = 0; i < count; i++) {
    const priv = PrivateKey.generate();
    out.push(PreKeyRecord.new(id, priv.getPublicKey(), priv));
    id = nextKeyId(id);
  }
  return out;
}

export function generateOneTimeKyberPreKeys(identity: PrivateKey, firstId: number, count: number): KyberPreKeyRecord[] {
  const out: KyberPreKeyRecord[] = [];
  let id = firstId;
  for (let i = 0; i < count; i++) {
    out.push(generateKyberPreKey(identity, id));
    id = nextKeyId(id);
  }
  return out;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export function signedPreKeyJson(record: SignedPreKeyRecord) {
  return { keyId: record.id(), publicKey: b64(record.publicKey().serialize()), signature: b64(record.signature()) };
}

export function kyberPreKeyJson(record: KyberPreKeyRecord) {
  return { keyId: record.id(), publicKey: b64(record.publicKey().serialize()), signature: b64(record.signature()) };
}

export function preKeyJson(record: PreKeyRecord) {
  return { keyId: record.id(), publicKey: b64(record.publicKey().serialize()) };
}

/**
 * Uploads EC and Kyber one-time keys in one request per identity: some servers (the mock among
 * them) replace the whole key set on each PUT, so two separate typed calls would lose one half.
 */
export async function uploadOneTimePreKeys(
  chat: ChatConnection,
  kind: IdentityKind,
  preKeys: PreKeyRecord[],
  kyberPreKeys: KyberPreKeyRecord[],
): Promise<void> {
  await chatJson(chat, {
    verb: 'PUT',
    path: `/v2/keys?identity=${kind}`,
    body: { preKeys: preKeys.map(preKeyJson), pqPreKeys: kyberPreKeys.map(kyberPreKeyJson) },
  });
}

export async function getPreKeyCounts(chat: ChatConnection, kind: IdentityKind): Promise<{ count: number; pqCount: number }> {
  const res = await chatJson<{ count?: number; pqCount?: number }>(chat, { verb: 'GET', path: `/v2/keys?identity=${kind}` });
  return { count: res?.count ?? 0, pqCount: res?.pqCount ?? 0 };
}
