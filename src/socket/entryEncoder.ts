// The seed protocol's shape of a received entry (one element of `receive_messages`' `messages[]`):
// the one place that turns the engine's inbox entries into the protocol's field names and status
// codes. `sigsock receive --json` prints the same shape (cli/entryFormat.ts uses this function).
import { AttachmentBytes } from '../messenger/api.js';
import { unhandledKind, type InboxEntry, type ReceivedAttachment, type ReceivedMessage } from '../messenger/inboxEntry.js';
import { StatusCode } from './statusCodes.js';

export interface WireAttachment {
  filename: string | null;
  contentType: string | null;
  size: number | null;
  /** The bytes, written as a base64 string (in slices by the answer encoder). */
  base64Data?: AttachmentBytes;
  /** Set when the attachment could not be downloaded or verified. */
  error?: string;
}

export interface WireReaction {
  emoji: string;
  author: string | null;
  authorUuid: string | null;
  timestamp: number;
  remove: boolean;
}

export interface WireMessage {
  timestamp: number;
  sender: string | null;
  senderUuid: string | null;
  body: string | null;
  groupId?: string;
  reaction?: WireReaction;
  attachments: WireAttachment[];
}

export interface WireFailure {
  statusCode: number;
  errorMessage: string;
}

export type WireEntry = WireMessage | WireFailure;

export interface EntryEncoding {
  /** False for `ignoreAttachments`: attachments are described without their bytes. */
  attachmentData: boolean;
}

const FAILURE_STATUS = {
  undecryptable: StatusCode.MESSAGE_ERROR,
  unparseable: StatusCode.MESSAGE_PARSING_ERROR,
} as const;

/** Key order is part of the output (clients compare lines byte for byte): keep it as the seed wrote it. */
export function encodeEntry(entry: InboxEntry, encoding: EntryEncoding): WireEntry {
  switch (entry.kind) {
    case 'message':
      return encodeMessage(entry, encoding);
    case 'failure':
      return { statusCode: FAILURE_STATUS[entry.failure], errorMessage: entry.reason };
    default:
      return unhandledKind(entry);
  }
}

function encodeMessage(message: ReceivedMessage, encoding: EntryEncoding): WireMessage {
  const { reaction } = message;
  return {
    timestamp: message.timestamp,
    sender: message.sender.e164,
    senderUuid: message.sender.aci,
    body: message.body,
    ...(message.groupId !== null && { groupId: message.groupId }),
    ...(reaction && {
      reaction: {
        emoji: reaction.emoji,
        author: reaction.targetAuthor.e164,
        authorUuid: reaction.targetAuthor.aci,
        timestamp: reaction.targetTimestamp,
        remove: reaction.remove,
      },
    }),
    attachments: message.attachments.map((a) => encodeAttachment(a, encoding)),
  };
}

function encodeAttachment(attachment: ReceivedAttachment, encoding: EntryEncoding): WireAttachment {
  const out: WireAttachment = { filename: attachment.filename, contentType: attachment.contentType, size: attachment.size };
  if (attachment.data && encoding.attachmentData) out.base64Data = new AttachmentBytes(attachment.data);
  if (attachment.error) out.error = attachment.error;
  return out;
}
