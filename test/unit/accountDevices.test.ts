import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrivateKey } from '@signalapp/libsignal-client';
import { createdAt } from '../../src/messenger/accountDevices.js';
import type { ServerDevice } from '../../src/signal/accountApi.js';

/** What Signal-Server's EncryptDeviceCreationTimestampUtil does, written from its description. */
function sealed(identity: PrivateKey, created: number, deviceId: number, registrationId: number): Uint8Array {
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigInt64BE(BigInt(created));
  const associated = Buffer.alloc(5);
  associated.writeUInt8(deviceId, 0);
  associated.writeInt32BE(registrationId, 1);
  return identity.getPublicKey().seal(new Uint8Array(timestamp), 'deviceCreatedAt', new Uint8Array(associated));
}

test("a device's sealed creation time opens with the account's identity key, bound to the device", () => {
  const identity = PrivateKey.generate();
  const when = 1_795_600_000_123;
  const device: ServerDevice = { id: 3, encryptedName: null, lastSeen: null, created: null, registrationId: 4242, createdAtCiphertext: sealed(identity, when, 3, 4242) };
  assert.equal(createdAt(device, identity), when);
  assert.equal(createdAt(device, PrivateKey.generate()), null, 'another key cannot open it');
  assert.equal(createdAt({ ...device, id: 4 }, identity), null, 'nor can it be moved to another device');
  assert.equal(createdAt({ ...device, createdAtCiphertext: null }, identity), null);
});
