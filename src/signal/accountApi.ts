// The account's own devices and the account itself, as REST calls on the authenticated chat
// connection: Signal-Server's DeviceController (list, remove) and AccountController (delete).
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { chatJson } from './chatHttp.js';

export interface ServerDevice {
  id: number;
  /** The encrypted DeviceName the device registered with; null when it has none (primaries). */
  encryptedName: Uint8Array | null;
  /** Milliseconds since the epoch; the server rounds it to the day. */
  lastSeen: number | null;
  /** When the device was linked, if the server still says it in clear (the field is deprecated). */
  created: number | null;
  /** The creation time sealed to the account's identity key (see accountDevices.ts). */
  createdAtCiphertext: Uint8Array | null;
  registrationId: number | null;
}

interface DeviceInfo {
  id?: unknown;
  name?: unknown;
  lastSeen?: unknown;
  created?: unknown;
  createdAtCiphertext?: unknown;
  registrationId?: unknown;
}

export async function getDevices(chat: ChatConnection): Promise<ServerDevice[]> {
  const reply = await chatJson<{ devices?: DeviceInfo[] }>(chat, { verb: 'GET', path: '/v1/devices' });
  if (!Array.isArray(reply?.devices)) throw new Error('GET /v1/devices: the answer has no device list');
  return reply.devices.map((d) => {
    if (typeof d.id !== 'number') throw new Error('GET /v1/devices: a device without an id');
    return {
      id: d.id,
      encryptedName: typeof d.name === 'string' && d.name.length > 0 ? new Uint8Array(Buffer.from(d.name, 'base64')) : null,
      lastSeen: typeof d.lastSeen === 'number' ? d.lastSeen : null,
      created: typeof d.created === 'number' && d.created > 0 ? d.created : null,
      createdAtCiphertext: typeof d.createdAtCiphertext === 'string' && d.createdAtCiphertext.length > 0 ? new Uint8Array(Buffer.from(d.createdAtCiphertext, 'base64')) : null,
      registrationId: typeof d.registrationId === 'number' ? d.registrationId : null,
    };
  });
}

/** The primary may remove any linked device; a linked device only itself. */
export async function removeDevice(chat: ChatConnection, deviceId: number): Promise<void> {
  await chatJson(chat, { verb: 'DELETE', path: `/v1/devices/${deviceId}` });
}

/** Deletes the account on the server (primary only): the number is unregistered for everyone. */
export async function deleteAccount(chat: ChatConnection): Promise<void> {
  await chatJson(chat, { verb: 'DELETE', path: '/v1/accounts/me' });
}
