// The account's devices as the user sees them (names decrypted with the ACI identity key), and the
// two ways of leaving the server: removing a linked device, deleting the account.
import { PrivateKey } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { deleteAccount, getDevices, removeDevice, type ServerDevice } from '../signal/accountApi.js';
import { HttpError } from '../signal/chatHttp.js';
import { decryptDeviceName } from '../signal/deviceNameCipher.js';
import type { DeviceSummary } from './api.js';
import { MessengerError } from './errors.js';

export const PRIMARY_DEVICE_ID = 1;

export interface OwnAccount {
  deviceId: number;
  aciIdentityKey: Uint8Array;
}

export async function listAccountDevices(chat: ChatConnection, account: OwnAccount): Promise<DeviceSummary[]> {
  const identityKey = PrivateKey.deserialize(new Uint8Array(account.aciIdentityKey));
  const devices = await refusalsExplained(() => getDevices(chat), 'list the devices');
  return devices
    .map((d) => ({
      id: d.id,
      name: d.encryptedName ? readableName(d.encryptedName, identityKey) : null,
      primary: d.id === PRIMARY_DEVICE_ID,
      thisDevice: d.id === account.deviceId,
      created: createdAt(d, identityKey) ?? d.created,
      lastSeen: d.lastSeen,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Removes another device of the account (only the primary may) or this linked device itself. The
 * server answers success for a device that does not exist, so the list is checked first.
 */
export async function removeAccountDevice(chat: ChatConnection, account: OwnAccount, deviceId: number): Promise<void> {
  if (deviceId === PRIMARY_DEVICE_ID) throw new MessengerError('UNKNOWN', 'device 1 is the primary device (the phone); it cannot be removed, only the account deleted');
  if (account.deviceId !== PRIMARY_DEVICE_ID && deviceId !== account.deviceId) {
    throw new MessengerError('UNKNOWN', `only the primary device can remove other devices; this is linked device ${account.deviceId} (use \`unregister\` to unlink it)`);
  }
  const devices = await refusalsExplained(() => getDevices(chat), 'list the devices');
  if (!devices.some((d) => d.id === deviceId)) {
    throw new MessengerError('UNKNOWN', `the account has no device ${deviceId} (it has ${devices.map((d) => d.id).join(', ')})`);
  }
  await refusalsExplained(() => removeDevice(chat, deviceId), `remove device ${deviceId}`);
}

/** Leaves the server for good: a primary deletes the account, a linked device unlinks itself. */
export async function unregisterAccount(chat: ChatConnection, account: OwnAccount): Promise<'account deleted' | 'device unlinked'> {
  if (account.deviceId === PRIMARY_DEVICE_ID) {
    await refusalsExplained(() => deleteAccount(chat), 'delete the account');
    return 'account deleted';
  }
  await refusalsExplained(() => removeDevice(chat, account.deviceId), 'unlink this device');
  return 'device unlinked';
}

/**
 * The creation time Signal-Server seals to the account's identity key (HPKE, info
 * "deviceCreatedAt", bound to the device id and registration id): 8 bytes, big-endian ms.
 */
export function createdAt(device: ServerDevice, identityKey: PrivateKey): number | null {
  if (!device.createdAtCiphertext || device.registrationId === null) return null;
  const associated = Buffer.alloc(5);
  associated.writeUInt8(device.id, 0);
  associated.writeInt32BE(device.registrationId, 1);
  try {
    const plain = Buffer.from(identityKey.open(new Uint8Array(device.createdAtCiphertext), 'deviceCreatedAt', new Uint8Array(associated)));
    return plain.length === 8 ? Number(plain.readBigInt64BE(0)) : null;
  } catch {
    return null;
  }
}

function readableName(encrypted: Uint8Array, identityKey: PrivateKey): string | null {
  try {
    return decryptDeviceName(encrypted, identityKey);
  } catch {
    // Not ours to read (or damaged); the id still identifies the device.
    return null;
  }
}

async function refusalsExplained<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof HttpError) throw new MessengerError(err.status >= 500 ? 'NETWORK' : 'UNKNOWN', `the server would not ${what}: ${err.message}`, { cause: err });
    throw err;
  }
}
