// signal-cli's JSON of a received message (its JsonMessageEnvelope / JsonDataMessage shapes), from
// the engine's inbox entries: the one encoder of JSON-RPC's `receive` notifications and of the
// `receive` method's result. Fields sigsock does not know yet are left out rather than invented
// (docs/jsonrpc.md lists them).
import { unhandledKind, type InboxEntry, type ReceivedAttachment, type ReceivedMessage } from '../messenger/inboxEntry.js';
import type { AttachmentFiles } from './attachmentFiles.js';

export interface EnvelopeEncoding {
  /** The account's number: every notification names it. */
  account: string;
  /** Where attachment bytes are written; null with --ignore-attachments (then no `id`). */
  attachments: AttachmentFiles | null;
}

/** `{envelope, account}` for a message; `{envelope, account, exception}` for a failure. */
export function encodeReceived(entry: InboxEntry, encoding: EnvelopeEncoding): Record<string, unknown> {
  switch (entry.kind) {
    case 'message':
      return { envelope: encodeMessage(entry, encoding), account: encoding.account };
    case 'failure': {
      const source = entry.senderServiceId;
      return {
        envelope: { source, sourceNumber: null, sourceUuid: source, sourceName: null, sourceDevice: null },
        account: encoding.account,
        exception: { message: entry.reason, type: entry.failure === 'undecryptable' ? 'ProtocolException' : 'InvalidMessageException' },
      };
    }
    default:
      return unhandledKind(entry);
  }
}

function encodeMessage(message: ReceivedMessage, encoding: EnvelopeEncoding): Record<string, unknown> {
  const { sender, reaction } = message;
  const dataMessage: Record<string, unknown> = {
    timestamp: message.timestamp,
    message: message.body,
    expiresInSeconds: 0,
    viewOnce: false,
  };
  if (reaction) {
    const author = reaction.targetAuthor;
    dataMessage.reaction = {
      emoji: reaction.emoji,
      targetAuthor: author.e164 ?? author.aci,
      targetAuthorNumber: author.e164,
      targetAuthorUuid: author.aci,
      targetSentTimestamp: reaction.targetTimestamp,
      isRemove: reaction.remove,
    };
  }
  if (message.attachments.length > 0) dataMessage.attachments = message.attachments.map((a) => encodeAttachment(a, encoding));
  if (message.groupId !== null) dataMessage.groupInfo = { groupId: message.groupId, type: 'DELIVER' };
  return {
    source: sender.e164 ?? sender.aci,
    sourceNumber: sender.e164,
    sourceUuid: sender.aci,
    sourceName: null,
    sourceDevice: null,
    timestamp: message.timestamp,
    dataMessage,
  };
}

function encodeAttachment(attachment: ReceivedAttachment, encoding: EnvelopeEncoding): Record<string, unknown> {
  const out: Record<string, unknown> = { contentType: attachment.contentType ?? 'application/octet-stream', filename: attachment.filename, size: attachment.size };
  if (attachment.data && encoding.attachments) out.id = encoding.attachments.save(attachment.data, attachment.filename);
  // sigsock's addition: why the bytes could not be had (signal-cli leaves the id out silently).
  if (attachment.error) out.error = attachment.error;
  return out;
}
