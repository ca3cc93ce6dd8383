// Builds the Content protos we send: data messages (text, attachments, reactions, group context),
// the sync transcript for our own devices, and sync requests to the phone.
import { encodeContent, type AttachmentPointer, type DataMessage } from '../proto/index.js';
import { randomBytes } from 'node:crypto';

export interface DataMessageInput {
  timestamp: number;
  body?: string;
  attachments?: AttachmentPointer[];
  reaction?: { emoji: string; remove: boolean; targetAuthorAciBinary: Uint8Array; targetSentTimestamp: number };
  profileKey: Uint8Array | null;
  groupV2?: { masterKey: Uint8Array; revision: number; groupChange?: Uint8Array };
}

export function buildDataMessage(input: DataMessageInput): DataMessage {
  const message: DataMessage = { timestamp: input.timestamp };
  if (input.body !== undefined) message.body = input.body;
  if (input.attachments?.length) message.attachments = input.attachments;
  if (input.reaction) message.reaction = input.reaction;
  // Sharing our profile key lets the recipient answer with sealed sender.
  if (input.profileKey) message.profileKey = input.profileKey;
  if (input.groupV2) message.groupV2 = input.groupV2;
  return message;
}

export function dataMessageContent(message: DataMessage): Uint8Array {
  return encodeContent({ dataMessage: message });
}

export interface TranscriptRecipient {
  serviceIdBinary: Uint8Array;
  e164: string | null;
  unidentified: boolean;
}

export function sentTranscriptContent(
  message: DataMessage,
  timestamp: number,
  destination: { serviceIdBinary: Uint8Array; e164: string | null } | null,
  recipients: TranscriptRecipient[],
): Uint8Array {
  return encodeContent({
    syncMessage: {
      sent: {
        destinationE164: destination?.e164 ?? undefined,
        destinationServiceIdBinary: destination?.serviceIdBinary,
        timestamp,
        message,
        unidentifiedStatus: recipients.map((r) => ({
          destinationServiceIdBinary: r.serviceIdBinary,
          unidentified: r.unidentified,
        })),
      },
      padding: randomBytes(1 + Math.floor(Math.random() * 32)),
    },
  });
}

export const SyncRequestType = { CONTACTS: 1, BLOCKED: 3, CONFIGURATION: 4, KEYS: 5 } as const;

export function syncRequestContent(type: number): Uint8Array {
  return encodeContent({ syncMessage: { request: { type } } });
}
