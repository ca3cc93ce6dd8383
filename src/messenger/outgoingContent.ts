// Builds the Content protos we send: data messages (text, attachments, reactions, quotes, mentions,
// styles, remote deletes, group context), edits of them, the sync transcript for our own devices,
// typing indicators, receipts with their read/viewed sync, and sync requests to the phone.
import { DataMessageFlags, encodeContent, ReceiptType, TypingAction, type AttachmentPointer, type BodyRange, type DataMessage, type Preview, type Quote, type Sticker } from '../proto/index.js';
import { randomBytes } from 'node:crypto';

export interface DataMessageInput {
  timestamp: number;
  body?: string;
  attachments?: AttachmentPointer[];
  reaction?: { emoji: string; remove: boolean; targetAuthorAciBinary: Uint8Array; targetSentTimestamp: number };
  quote?: Quote;
  /** Mentions and text styles. */
  bodyRanges?: BodyRange[];
  /** Remote delete ("delete for everyone") of the message sent at this timestamp. */
  deleteTarget?: number;
  sticker?: Sticker;
  viewOnce?: boolean;
  previews?: Preview[];
  /** The conversation's disappearing-message timer (a group's has no version). */
  timer?: { seconds: number; version?: number };
  /** The message announces a timer change (EXPIRATION_TIMER_UPDATE). */
  timerUpdate?: boolean;
  profileKey: Uint8Array | null;
  groupV2?: { masterKey: Uint8Array; revision: number; groupChange?: Uint8Array };
}

export function buildDataMessage(input: DataMessageInput): DataMessage {
  const message: DataMessage = { timestamp: input.timestamp };
  if (input.body !== undefined) message.body = input.body;
  if (input.attachments?.length) message.attachments = input.attachments;
  if (input.reaction) message.reaction = input.reaction;
  if (input.quote) message.quote = input.quote;
  if (input.bodyRanges?.length) message.bodyRanges = input.bodyRanges;
  if (input.deleteTarget !== undefined) message.delete = { targetSentTimestamp: input.deleteTarget };
  if (input.sticker) message.sticker = input.sticker;
  if (input.viewOnce) message.isViewOnce = true;
  if (input.previews?.length) message.preview = input.previews;
  if (input.timer && (input.timer.seconds > 0 || input.timerUpdate)) message.expireTimer = input.timer.seconds;
  if (input.timer?.version !== undefined) message.expireTimerVersion = input.timer.version;
  if (input.timerUpdate) message.flags = (message.flags ?? 0) | DataMessageFlags.EXPIRATION_TIMER_UPDATE;
  // Sharing our profile key lets the recipient answer with sealed sender.
  if (input.profileKey) message.profileKey = input.profileKey;
  if (input.groupV2) message.groupV2 = input.groupV2;
  return message;
}

/** A data message as sent: itself, or (with `editTarget`) the new content of the message sent at that timestamp. */
export function dataMessageContent(message: DataMessage, editTarget?: number): Uint8Array {
  return encodeContent(editTarget === undefined ? { dataMessage: message } : { editMessage: { targetSentTimestamp: editTarget, dataMessage: message } });
}

export function typingContent(timestamp: number, stop: boolean, groupId: Uint8Array | undefined): Uint8Array {
  return encodeContent({ typingMessage: { timestamp, action: stop ? TypingAction.STOPPED : TypingAction.STARTED, groupId } });
}

const RECEIPT_TYPE = { delivery: ReceiptType.DELIVERY, read: ReceiptType.READ, viewed: ReceiptType.VIEWED } as const;

export function receiptContent(kind: keyof typeof RECEIPT_TYPE, timestamps: number[]): Uint8Array {
  return encodeContent({ receiptMessage: { type: RECEIPT_TYPE[kind], timestamp: timestamps } });
}

/** Tells our other devices which of a contact's messages this account read or viewed, as Signal apps do. */
export function readSyncContent(kind: 'read' | 'viewed', senderAciBinary: Uint8Array, timestamps: number[]): Uint8Array {
  const refs = timestamps.map((timestamp) => ({ timestamp, senderAciBinary }));
  return encodeContent({ syncMessage: kind === 'read' ? { read: refs, padding: padding() } : { viewed: refs, padding: padding() } });
}

function padding(): Uint8Array {
  return randomBytes(1 + Math.floor(Math.random() * 32));
}

export interface TranscriptRecipient {
  serviceIdBinary: Uint8Array;
  e164: string | null;
  unidentified: boolean;
}

export function sentTranscriptContent(
  message: DataMessage,
  editTarget: number | undefined,
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
        ...(editTarget === undefined ? { message } : { editMessage: { targetSentTimestamp: editTarget, dataMessage: message } }),
        unidentifiedStatus: recipients.map((r) => ({
          destinationServiceIdBinary: r.serviceIdBinary,
          unidentified: r.unidentified,
        })),
      },
      padding: padding(),
    },
  });
}

export const SyncRequestType = { CONTACTS: 1, BLOCKED: 3, CONFIGURATION: 4, KEYS: 5 } as const;

export function syncRequestContent(type: number): Uint8Array {
  return encodeContent({ syncMessage: { request: { type } } });
}
