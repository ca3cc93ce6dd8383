// The envelope Signal's server writes to a device's WebSocket for a message sent to it. The mock
// builds these only for linked devices; the sandbox also needs them for primaries that a client
// registered (sigsock's own accounts), which the mock does not simulate.
import { EnvelopeType, Proto, type Device, type ServiceIdKind } from '@signalapp/mock-server';

const WIRE_TYPES: Partial<Record<EnvelopeType, Proto.Envelope.Type>> = {
  [EnvelopeType.CipherText]: Proto.Envelope.Type.DOUBLE_RATCHET,
  [EnvelopeType.PreKey]: Proto.Envelope.Type.PREKEY_MESSAGE,
  [EnvelopeType.SealedSender]: Proto.Envelope.Type.UNIDENTIFIED_SENDER,
  [EnvelopeType.Plaintext]: Proto.Envelope.Type.PLAINTEXT_CONTENT,
};

export class UnsupportedEnvelopeTypeError extends Error {
  constructor(readonly envelopeType: EnvelopeType) {
    super(`the sandbox cannot deliver a ${envelopeType} envelope`);
  }
}

export interface SentMessage {
  source: Device | undefined;
  serviceIdKind: ServiceIdKind;
  envelopeType: EnvelopeType;
  target: Device;
  encrypted: Uint8Array<ArrayBuffer>;
  timestamp: bigint;
}

/** The serialized Envelope for `message.target`, with the fields the mock sets for a linked device. */
export function envelopeFor(message: SentMessage): Buffer<ArrayBuffer> {
  const type = WIRE_TYPES[message.envelopeType];
  if (type === undefined) throw new UnsupportedEnvelopeTypeError(message.envelopeType);
  const destination = message.target.getServiceIdBinaryByKind(message.serviceIdKind);
  if (!destination) throw new Error(`device ${message.target.debugId} has no ${message.serviceIdKind} service id`);
  // Sealed sender hides the source; the server knows it only from an unsealed envelope.
  const sealed = message.envelopeType === EnvelopeType.SealedSender;
  return Buffer.from(
    Proto.Envelope.encode({
      type,
      sourceServiceIdBinary: sealed ? null : (message.source?.aciBinary ?? null),
      sourceDeviceId: sealed ? null : (message.source?.deviceId ?? null),
      destinationServiceIdBinary: destination,
      serverTimestamp: message.timestamp,
      clientTimestamp: message.timestamp,
      content: message.encrypted,
      urgent: null,
      serverGuid: null,
      ephemeral: null,
      story: null,
      reportSpamToken: null,
      serverGuidBinary: null,
      updatedPniBinary: null,
      sourceServiceId: null,
      destinationServiceId: null,
      updatedPni: null,
    }),
  );
}
