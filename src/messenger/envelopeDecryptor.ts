// Turns one server envelope into the sender's identity and the padded-off Content bytes.
import {
  CiphertextMessageType,
  PlaintextContent,
  PreKeySignalMessage,
  ProtocolAddress,
  PublicKey,
  SignalMessage,
  groupDecrypt,
  sealedSenderDecryptToUsmc,
  signalDecrypt,
  signalDecryptPreKey,
} from '@signalapp/libsignal-client';
import { unpadContent } from '../util/padding.js';
import type { ProtocolStoreSet } from '../store/protocolStores.js';

export const EnvelopeType = {
  CIPHERTEXT: 1,
  PREKEY_BUNDLE: 3,
  SERVER_DELIVERY_RECEIPT: 5,
  UNIDENTIFIED_SENDER: 6,
  PLAINTEXT_CONTENT: 8,
} as const;

export interface LocalIdentity {
  serviceId: string;
  e164: string | null;
  deviceId: number;
}

export interface DecryptedEnvelope {
  senderAci: string;
  senderDevice: number;
  /** Known only from a sealed-sender certificate. */
  senderE164: string | null;
  sealed: boolean;
  content: Uint8Array;
  /** Group id from the sealed-sender wrapper (sender-key messages). */
  groupId: Uint8Array | null;
}

export interface EnvelopeInput {
  type: number;
  sourceServiceId: string | null;
  sourceDevice: number;
  content: Uint8Array;
  serverTimestamp: number;
}

export class EnvelopeError extends Error {
  constructor(
    message: string,
    readonly senderAci: string | null = null,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export async function decryptEnvelope(
  env: EnvelopeInput,
  local: LocalIdentity,
  stores: ProtocolStoreSet,
  trustRoots: PublicKey[],
): Promise<DecryptedEnvelope> {
  const localAddress = ProtocolAddress.new(local.serviceId, local.deviceId);
  if (env.type === EnvelopeType.UNIDENTIFIED_SENDER) {
    const usmc = await sealedSenderDecryptToUsmc(new Uint8Array(env.content), stores.identity);
    const cert = usmc.senderCertificate();
    // Signal has rotated its root before: a certificate may chain to any of the published ones.
    if (!cert.validateWithTrustRoots(trustRoots, env.serverTimestamp)) throw new EnvelopeError('sealed sender certificate is not valid');
    const senderAci = cert.senderUuid().toLowerCase();
    const senderDevice = cert.senderDeviceId();
    if (senderAci === local.serviceId && senderDevice === local.deviceId) throw new EnvelopeError('message from our own device');
    const sender = ProtocolAddress.new(senderAci, senderDevice);
    const inner = await decryptInner(usmc.msgType(), usmc.contents(), sender, localAddress, stores);
    return { senderAci, senderDevice, senderE164: cert.senderE164(), sealed: true, content: inner, groupId: usmc.groupId() };
  }
  if (!env.sourceServiceId) throw new EnvelopeError('envelope has no sender');
  const senderAci = env.sourceServiceId.toLowerCase();
  const sender = ProtocolAddress.new(senderAci, env.sourceDevice);
  const msgType = {
    [EnvelopeType.CIPHERTEXT]: CiphertextMessageType.Whisper,
    [EnvelopeType.PREKEY_BUNDLE]: CiphertextMessageType.PreKey,
    [EnvelopeType.PLAINTEXT_CONTENT]: CiphertextMessageType.Plaintext,
  }[env.type];
  if (msgType === undefined) throw new EnvelopeError(`unsupported envelope type ${env.type}`, senderAci);
  const content = await decryptInner(msgType, env.content, sender, localAddress, stores);
  return { senderAci, senderDevice: env.sourceDevice, senderE164: null, sealed: false, content, groupId: null };
}

async function decryptInner(
  type: number,
  bytes: Uint8Array,
  sender: ProtocolAddress,
  local: ProtocolAddress,
  s: ProtocolStoreSet,
): Promise<Uint8Array> {
  const data = new Uint8Array(bytes);
  switch (type) {
    case CiphertextMessageType.Whisper:
      return unpadContent(await signalDecrypt(SignalMessage.deserialize(data), sender, local, s.session, s.identity));
    case CiphertextMessageType.PreKey:
      return unpadContent(
        await signalDecryptPreKey(PreKeySignalMessage.deserialize(data), sender, local, s.session, s.identity, s.preKey, s.signedPreKey, s.kyberPreKey),
      );
    case CiphertextMessageType.SenderKey:
      return unpadContent(await groupDecrypt(sender, s.senderKey, data));
    case CiphertextMessageType.Plaintext:
      // Plaintext content (decryption-error notices) is not padded.
      return PlaintextContent.deserialize(data).body();
    default:
      throw new EnvelopeError(`unsupported message type ${type}`, sender.name());
  }
}
