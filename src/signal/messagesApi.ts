// Message delivery routes: PUT /v1/messages, prekey bundles, sender certificates.
import { KEMPublicKey, PreKeyBundle, PublicKey } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { chatJson, HttpError } from './chatHttp.js';

export interface OutgoingDeviceMessage {
  /** Envelope type: 1 ciphertext, 3 prekey, 6 sealed sender, 8 plaintext content. */
  type: number;
  destinationDeviceId: number;
  destinationRegistrationId: number;
  content: Uint8Array;
}

/** 409: the device list we encrypted for is wrong. */
export class MismatchedDevicesError extends Error {
  constructor(
    readonly missingDevices: number[],
    readonly extraDevices: number[],
  ) {
    super(`device list changed (missing ${missingDevices.join(',') || 'none'}, extra ${extraDevices.join(',') || 'none'})`);
    this.name = 'MismatchedDevicesError';
  }
}

/** 410: sessions with these devices were replaced (re-registered or re-linked). */
export class StaleDevicesError extends Error {
  constructor(readonly staleDevices: number[]) {
    super(`stale sessions with devices ${staleDevices.join(',')}`);
    this.name = 'StaleDevicesError';
  }
}

/** 404: the recipient is not registered. */
export class UnregisteredRecipientError extends Error {
  constructor(readonly serviceId: string) {
    super(`${serviceId} is not registered with Signal`);
    this.name = 'UnregisteredRecipientError';
  }
}

export interface PutMessagesOptions {
  timestamp: number;
  online?: boolean;
  urgent?: boolean;
  /** Unidentified-Access-Key for sealed-sender sends on an unauthenticated connection. */
  accessKey?: Uint8Array;
}

export async function putMessages(
  chat: ChatConnection,
  destination: string,
  messages: OutgoingDeviceMessage[],
  options: PutMessagesOptions,
): Promise<{ needsSync: boolean }> {
  const headers: [string, string][] = [];
  if (options.accessKey) headers.push(['unidentified-access-key', Buffer.from(options.accessKey).toString('base64')]);
  try {
    const res = await chatJson<{ needsSync?: boolean } | undefined>(chat, {
      verb: 'PUT',
      path: `/v1/messages/${destination}`,
      headers,
      body: {
        messages: messages.map((m) => ({
          type: m.type,
          destinationDeviceId: m.destinationDeviceId,
          destinationRegistrationId: m.destinationRegistrationId,
          content: Buffer.from(m.content).toString('base64'),
        })),
        timestamp: options.timestamp,
        online: options.online ?? false,
        urgent: options.urgent ?? true,
      },
    });
    return { needsSync: res?.needsSync ?? false };
  } catch (err) {
    throw translateSendError(err, destination);
  }
}

function translateSendError(err: unknown, destination: string): unknown {
  if (!(err instanceof HttpError)) return err;
  const body = (err.body ?? {}) as { missingDevices?: number[]; extraDevices?: number[]; staleDevices?: number[] };
  if (err.status === 409) return new MismatchedDevicesError(body.missingDevices ?? [], body.extraDevices ?? []);
  if (err.status === 410) return new StaleDevicesError(body.staleDevices ?? []);
  if (err.status === 404) return new UnregisteredRecipientError(destination);
  return err;
}

interface PreKeysResponse {
  identityKey: string;
  devices: {
    deviceId: number;
    registrationId: number;
    signedPreKey: { keyId: number; publicKey: string; signature: string };
    preKey?: { keyId: number; publicKey: string } | null;
    pqPreKey: { keyId: number; publicKey: string; signature: string };
  }[];
}

const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/**
 * Prekey bundles of one device or all devices. Fetched on the authenticated connection, which
 * every server accepts for every recipient; each fetch consumes one-time keys, so callers fetch
 * only when a session is missing.
 */
export async function getPreKeyBundles(chat: ChatConnection, serviceId: string, device: number | 'all'): Promise<PreKeyBundle[]> {
  let res: PreKeysResponse;
  try {
    res = await chatJson<PreKeysResponse>(chat, { verb: 'GET', path: `/v2/keys/${serviceId}/${device === 'all' ? '*' : device}` });
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) throw new UnregisteredRecipientError(serviceId);
    throw err;
  }
  const identityKey = PublicKey.deserialize(fromB64(res.identityKey));
  return res.devices.map((d) =>
    PreKeyBundle.new(
      d.registrationId,
      d.deviceId,
      d.preKey ? d.preKey.keyId : null,
      d.preKey ? PublicKey.deserialize(fromB64(d.preKey.publicKey)) : null,
      d.signedPreKey.keyId,
      PublicKey.deserialize(fromB64(d.signedPreKey.publicKey)),
      fromB64(d.signedPreKey.signature),
      identityKey,
      d.pqPreKey.keyId,
      KEMPublicKey.deserialize(fromB64(d.pqPreKey.publicKey)),
      fromB64(d.pqPreKey.signature),
    ),
  );
}

/** The certificate that lets recipients trust a sealed-sender message from us. */
export async function getSenderCertificate(chat: ChatConnection): Promise<Uint8Array> {
  const res = await chatJson<{ certificate: string }>(chat, { verb: 'GET', path: '/v1/certificate/delivery' });
  return fromB64(res.certificate);
}
