// The storage service (the phone's encrypted account state): read-only, the group and contact
// records, so a freshly linked device knows its groups before any group message arrives, and its
// contacts' names and block state as the phone has them.
// Credentials come from the chat server; manifest and items are AES-256-GCM under keys derived
// from the account's master key (the manifest key per version, the item key per record).
import { createHmac } from 'node:crypto';
import { hkdf } from '@signalapp/libsignal-client';
import { SvrKey } from '@signalapp/libsignal-client/dist/AccountKeys.js';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import {
  decodeManifestRecord,
  decodeStorageItems,
  decodeStorageManifest,
  decodeStorageRecord,
  encodeReadOperation,
  StorageItemType,
  type ContactRecord,
} from '../proto/index.js';
import { openGcm } from './aesGcm.js';
import { basicAuth, chatJson } from './chatHttp.js';
import type { HttpsClient } from './https.js';
import type { ServerConfig } from './serverConfig.js';

const PROTOBUF = 'application/x-protobuf';
const ITEM_KEY_INFO_PREFIX = '20240801_SIGNAL_STORAGE_SERVICE_ITEM_';
/** The server caps one read; stay well under it. */
const READ_BATCH = 1024;

export class StorageServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageServiceError';
  }
}

/** A contact record as sigsock uses it. Names are as the phone keeps them; empty ones are null. */
export interface StorageContact {
  aci: string;
  e164: string | null;
  profileKey: Uint8Array | null;
  /** The owner's name for them: their nickname, else the phone's system contact name. */
  contactName: string | null;
  /** Their profile name (given NUL family), as the phone last read it. */
  profileName: string | null;
  blocked: boolean;
}

export interface StorageContents {
  groups: { masterKey: Uint8Array; blocked: boolean }[];
  contacts: StorageContact[];
}

/**
 * The master keys of the groups in the account's storage service (empty when the account has
 * no manifest yet).
 */
export async function readStorageGroupMasterKeys(chat: ChatConnection, https: HttpsClient, config: ServerConfig, masterKey: Uint8Array): Promise<Uint8Array[]> {
  return (await readStorageRecords(chat, https, config, masterKey)).groups.map((g) => g.masterKey);
}

/** The group and contact records of the account's storage service (empty when it has no manifest yet). */
export async function readStorageRecords(chat: ChatConnection, https: HttpsClient, config: ServerConfig, masterKey: Uint8Array): Promise<StorageContents> {
  const contents: StorageContents = { groups: [], contacts: [] };
  const storageKey = Buffer.from(new SvrKey(new Uint8Array(masterKey)).deriveStorageServiceKey());
  const auth = await chatJson<{ username: string; password: string }>(chat, { verb: 'GET', path: '/v1/storage/auth' });
  const authorization = basicAuth(auth.username, auth.password)[1];

  const res = await https({
    method: 'GET',
    url: `${config.storageUrl}/v1/storage/manifest`,
    headers: { authorization, accept: PROTOBUF },
    maxBodyBytes: 16 * 1024 * 1024,
  });
  if (res.status === 404) return contents;
  if (res.status !== 200) throw new StorageServiceError(`storage manifest fetch failed: HTTP ${res.status}`);
  const manifest = decodeStorageManifest(res.body);
  if (!manifest.value?.length) throw new StorageServiceError('storage manifest has no value');
  const version = manifest.version ?? 0;
  const manifestKey = hmac(storageKey, `Manifest_${version}`);
  const record = decodeManifestRecord(decryptGcm(manifest.value, manifestKey, 'storage manifest'));
  if ((record.version ?? 0) !== version) throw new StorageServiceError('storage manifest version mismatch');

  const wanted: number[] = [StorageItemType.GROUPV2, StorageItemType.CONTACT];
  const itemKeys = (record.identifiers ?? [])
    .filter((id) => wanted.includes(id.type ?? 0) && id.raw?.length)
    .map((id) => new Uint8Array(id.raw as Uint8Array));
  const recordIkm = record.recordIkm?.length ? Buffer.from(record.recordIkm) : undefined;

  for (let i = 0; i < itemKeys.length; i += READ_BATCH) {
    const batch = itemKeys.slice(i, i + READ_BATCH);
    const read = await https({
      method: 'PUT',
      url: `${config.storageUrl}/v1/storage/read`,
      headers: { authorization, 'content-type': PROTOBUF, accept: PROTOBUF },
      body: encodeReadOperation({ readKey: batch }),
      maxBodyBytes: 64 * 1024 * 1024,
    });
    if (read.status !== 200) throw new StorageServiceError(`storage read failed: HTTP ${read.status}`);
    for (const item of decodeStorageItems(read.body).items ?? []) {
      if (!item.key?.length || !item.value?.length) continue;
      const itemKey = deriveItemKey(storageKey, recordIkm, Buffer.from(item.key));
      const decoded = decodeStorageRecord(decryptGcm(item.value, itemKey, 'storage record'));
      const group = decoded.groupV2;
      if (group?.masterKey?.length === 32) contents.groups.push({ masterKey: new Uint8Array(group.masterKey), blocked: group.blocked === true });
      const contact = decoded.contact && storageContact(decoded.contact);
      if (contact) contents.contacts.push(contact);
    }
  }
  return contents;
}

function storageContact(record: ContactRecord): StorageContact | null {
  const aci = record.aciBinary?.length === 16 ? uuidString(record.aciBinary) : record.aci ? record.aci.toLowerCase() : null;
  if (!aci) return null;
  const joined = (...parts: (string | undefined)[]) => parts.filter((p) => p).join(' ') || null;
  const given = record.givenName || '';
  return {
    aci,
    e164: record.e164 || null,
    profileKey: record.profileKey?.length === 32 ? new Uint8Array(record.profileKey) : null,
    contactName: joined(record.nickname?.given, record.nickname?.family) ?? joined(record.systemGivenName, record.systemFamilyName) ?? (record.systemNickname || null),
    profileName: given ? (record.familyName ? `${given}\0${record.familyName}` : given) : null,
    blocked: record.blocked === true,
  };
}

function uuidString(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

/** With the manifest's recordIkm: HKDF over it; without (older manifests): HMAC of the storage key. */
function deriveItemKey(storageKey: Buffer, recordIkm: Buffer | undefined, key: Buffer): Buffer {
  if (!recordIkm) return hmac(storageKey, `Item_${key.toString('base64')}`);
  const info = new Uint8Array(Buffer.concat([Buffer.from(ITEM_KEY_INFO_PREFIX), key]));
  return Buffer.from(hkdf(32, new Uint8Array(recordIkm), info, new Uint8Array(0)));
}

function decryptGcm(data: Uint8Array, key: Buffer, what: string): Buffer {
  try {
    return openGcm(key, data);
  } catch {
    throw new StorageServiceError(`${what} does not decrypt (wrong key, too short, or corrupted)`);
  }
}
