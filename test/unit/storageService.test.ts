// The storage service reader against storage written by the mock's own code (StorageState
// createWriteOperation): group master keys come out, with and without the manifest's recordIkm
// (the HKDF item keys, and the legacy HMAC ones), and a wrong master key is an error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { Proto, StorageState } from '@signalapp/mock-server';
import { deriveStorageKey } from '@signalapp/mock-server/src/crypto.js';
import { readStorageGroupMasterKeys } from '../../src/signal/storageService.js';
import type { HttpsClient } from '../../src/signal/https.js';
import type { ServerConfig } from '../../src/signal/serverConfig.js';

const config = { storageUrl: 'https://storage.test/storageService' } as ServerConfig;

function fakeChat(): ChatConnection {
  const body = new Uint8Array(Buffer.from(JSON.stringify({ username: 'u', password: 'p' })));
  return { fetch: () => Promise.resolve({ status: 200, message: 'OK', headers: [], body }) } as unknown as ChatConnection;
}

function storage(masterKey: Buffer<ArrayBuffer>, groupKeys: Buffer[], recordIkm: Buffer<ArrayBuffer> | undefined) {
  let state = StorageState.getEmpty();
  for (const key of groupKeys) state = state.addGroup({ masterKey: key } as never);
  const write = state.createWriteOperation({ storageKey: deriveStorageKey(masterKey), recordIkm });
  const items = new Map((write.insertItem ?? []).map((i) => [Buffer.from(i.key!).toString('base64'), i]));
  const https: HttpsClient = (req) => {
    const auth = req.headers?.authorization;
    assert.equal(auth, `Basic ${Buffer.from('u:p').toString('base64')}`);
    if (req.url.endsWith('/v1/storage/manifest')) {
      return Promise.resolve({ status: 200, headers: {}, body: Buffer.from(Proto.StorageManifest.encode(write.manifest!)) });
    }
    assert.ok(req.url.endsWith('/v1/storage/read') && req.method === 'PUT');
    const read = Proto.ReadOperation.decode(new Uint8Array(req.body as Uint8Array));
    const found = read.readKey.map((k) => items.get(Buffer.from(k).toString('base64'))!);
    return Promise.resolve({ status: 200, headers: {}, body: Buffer.from(Proto.StorageItems.encode({ items: found })) });
  };
  return https;
}

describe('storage service groups', () => {
  for (const [name, recordIkm] of [['with recordIkm', randomBytes(32)], ['legacy item keys', undefined]] as const) {
    it(`reads the group master keys (${name})`, async () => {
      const masterKey = randomBytes(32);
      const groups = [randomBytes(32), randomBytes(32)];
      const keys = await readStorageGroupMasterKeys(fakeChat(), storage(masterKey, groups, recordIkm), config, masterKey);
      assert.deepEqual(keys.map((k) => Buffer.from(k).toString('hex')).sort(), groups.map((g) => g.toString('hex')).sort());
    });
  }

  it('a wrong master key does not decrypt the manifest', async () => {
    const https = storage(randomBytes(32), [randomBytes(32)], randomBytes(32));
    await assert.rejects(readStorageGroupMasterKeys(fakeChat(), https, config, randomBytes(32)), /storage manifest does not decrypt/);
  });

  it('no manifest yet: no groups', async () => {
    const https: HttpsClient = () => Promise.resolve({ status: 404, headers: {}, body: Buffer.alloc(0) });
    assert.deepEqual(await readStorageGroupMasterKeys(fakeChat(), https, config, randomBytes(32)), []);
  });
});
