// Delivers one Content to every device of one recipient: sessions set up on demand (PQXDH from
// fetched prekeys), sealed sender when we hold the recipient's access key, and the server's
// device-list corrections (409 mismatched, 410 stale) applied before retrying.
import {
  CiphertextMessageType,
  ErrorCode,
  LibSignalErrorBase,
  ProtocolAddress,
  SenderCertificate,
  processPreKeyBundle,
  sealedSenderEncryptMessage,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import type { AuthenticatedChatConnection, UnauthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { HttpError } from '../signal/chatHttp.js';
import type { KeptConnection } from '../signal/keptConnection.js';
import {
  MismatchedDevicesError,
  StaleDevicesError,
  getPreKeyBundles,
  putMessages,
  type OutgoingDeviceMessage,
} from '../signal/messagesApi.js';
import { padContent } from '../util/padding.js';
import type { Mutex } from '../util/mutex.js';
import { MessengerError } from './errors.js';
import type { ProtocolBatch } from '../store/protocolStores.js';
import type { SendCommits } from './sendCommits.js';

export interface DeliveryEnvironment {
  chat: KeptConnection<AuthenticatedChatConnection>;
  unauthChat: KeptConnection<UnauthenticatedChatConnection>;
  /** Serialises every use of the protocol stores. */
  protocolLock: Mutex;
  openBatch(): ProtocolBatch;
  /** Encryptions of sends in flight together, committed together. */
  sendCommits: SendCommits;
  sessionDeviceIds(serviceId: string): number[];
  localAci: string;
  localDeviceId: number;
  senderCertificate(): Promise<SenderCertificate>;
  /** Keep a refused new key, so that `trust` can accept it later. */
  noteUntrustedIdentity(serviceId: string, identityKey: Uint8Array): void;
}

export interface DeliveryRequest {
  serviceId: string;
  /** Used in error messages: the number the user typed, when there is one. */
  label: string;
  content: Uint8Array;
  timestamp: number;
  accessKey: Uint8Array | null;
  excludeDeviceId?: number;
  urgent?: boolean;
  /**
   * Runs in the transaction that commits the ratchet step (before the message goes out), on each
   * attempt: whatever must be durable with the send (its pending sync copy). `sealed`: this attempt's.
   */
  alsoCommit?: (sealed: boolean) => void;
}

export interface DeliveryResult {
  unidentified: boolean;
  devices: number;
}

const MAX_ATTEMPTS = 4;

export async function deliver(env: DeliveryEnvironment, req: DeliveryRequest): Promise<DeliveryResult> {
  let sealed = req.accessKey !== null;
  let fetchedAll = false;
  for (let attempt = 0; ; attempt++) {
    let devices = env.sessionDeviceIds(req.serviceId).filter((d) => d !== req.excludeDeviceId);
    if (devices.length === 0 && !fetchedAll) {
      devices = await establishSessions(env, req, 'all');
      fetchedAll = true;
    }
    if (devices.length === 0) return { unidentified: false, devices: 0 };
    const messages = await encryptForDevices(env, req, devices, sealed);
    try {
      if (sealed) {
        await putMessages(await env.unauthChat.get(), req.serviceId, messages, {
          timestamp: req.timestamp,
          urgent: req.urgent,
          accessKey: req.accessKey!,
        });
      } else {
        await putMessages(await env.chat.get(), req.serviceId, messages, { timestamp: req.timestamp, urgent: req.urgent });
      }
      return { unidentified: sealed, devices: messages.length };
    } catch (err) {
      if (attempt + 1 >= MAX_ATTEMPTS) throw err;
      if (err instanceof MismatchedDevicesError) {
        await forgetSessions(env, req.serviceId, err.extraDevices);
        for (const device of err.missingDevices.filter((d) => d !== req.excludeDeviceId)) await establishSessions(env, req, device);
      } else if (err instanceof StaleDevicesError) {
        await forgetSessions(env, req.serviceId, err.staleDevices);
        for (const device of err.staleDevices) await establishSessions(env, req, device);
      } else if (sealed && err instanceof HttpError && (err.status === 401 || err.status === 403)) {
        // Our copy of their profile key is stale: the server refused the access key.
        sealed = false;
      } else {
        throw err;
      }
    }
  }
}

async function establishSessions(env: DeliveryEnvironment, req: DeliveryRequest, device: number | 'all'): Promise<number[]> {
  const bundles = await getPreKeyBundles(await env.chat.get(), req.serviceId, device);
  const local = ProtocolAddress.new(env.localAci, env.localDeviceId);
  return env.protocolLock.run(async () => {
    const batch = env.openBatch();
    const devices: number[] = [];
    try {
      for (const bundle of bundles) {
        if (bundle.deviceId() === req.excludeDeviceId) continue;
        const address = ProtocolAddress.new(req.serviceId, bundle.deviceId());
        try {
          await processPreKeyBundle(bundle, address, local, batch.stores.session, batch.stores.identity);
        } catch (err) {
          if (err instanceof LibSignalErrorBase && err.code === ErrorCode.UntrustedIdentity) {
            env.noteUntrustedIdentity(req.serviceId, bundle.identityKey().serialize());
          }
          throw err;
        }
        devices.push(bundle.deviceId());
      }
      batch.commit();
      return devices;
    } catch (err) {
      batch.discard();
      throw translateProtocolError(err, req.label);
    }
  });
}

async function forgetSessions(env: DeliveryEnvironment, serviceId: string, devices: number[]): Promise<void> {
  if (devices.length === 0) return;
  await env.protocolLock.run(async () => {
    const batch = env.openBatch();
    for (const device of devices) {
      const address = ProtocolAddress.new(serviceId, device);
      const record = await batch.stores.session.getSession(address);
      if (!record) continue;
      record.archiveCurrentState();
      await batch.stores.session.saveSession(address, record);
    }
    batch.commit();
  });
}

async function encryptForDevices(
  env: DeliveryEnvironment,
  req: DeliveryRequest,
  devices: number[],
  sealed: boolean,
): Promise<OutgoingDeviceMessage[]> {
  const padded = new Uint8Array(padContent(req.content));
  const certificate = sealed ? await env.senderCertificate() : null;
  const local = ProtocolAddress.new(env.localAci, env.localDeviceId);
  const encrypt = async (stores: ProtocolBatch['stores']): Promise<OutgoingDeviceMessage[]> => {
    try {
      const out: OutgoingDeviceMessage[] = [];
      for (const device of devices) {
        const address = ProtocolAddress.new(req.serviceId, device);
        const record = await stores.session.getSession(address);
        if (!record || !record.hasCurrentState()) continue;
        const registrationId = record.remoteRegistrationId();
        if (certificate) {
          const content = await sealedSenderEncryptMessage(padded, address, certificate, stores.session, stores.identity);
          out.push({ type: 6, destinationDeviceId: device, destinationRegistrationId: registrationId, content });
        } else {
          const message = await signalEncrypt(padded, address, local, stores.session, stores.identity);
          const type = message.type() === CiphertextMessageType.PreKey ? 3 : 1;
          out.push({ type, destinationDeviceId: device, destinationRegistrationId: registrationId, content: message.serialize() });
        }
      }
      return out;
    } catch (err) {
      throw translateProtocolError(err, req.label);
    }
  };
  // The ratchet advanced: committed before the message goes out (sends in flight together share the
  // commit, sendCommits.ts), and kept even if the network send fails: the receiver copes with gaps.
  return env.sendCommits.run(encrypt, req.alsoCommit && (() => req.alsoCommit!(sealed)));
}

export function translateProtocolError(err: unknown, label: string): unknown {
  if (err instanceof LibSignalErrorBase && err.code === ErrorCode.UntrustedIdentity) {
    return new MessengerError(
      'UNTRUSTED_IDENTITY',
      `the safety number with ${label} has changed; messages to ${label} are blocked until you accept the new key: socket command {command:'trust', recipient:'${label}'} or \`sigsock -a ACCOUNT trust ${label}\` (or run with --trust-new-identities always)`,
    );
  }
  return err;
}
