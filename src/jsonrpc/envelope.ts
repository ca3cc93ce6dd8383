// signal-cli's JSON of a received message (its JsonMessageEnvelope / JsonDataMessage shapes), from
// the engine's inbox entries: the one encoder of JSON-RPC's `receive` notifications and of the
// `receive` method's result. Fields sigsock does not know yet are left out rather than invented
// (docs/jsonrpc.md lists them).
import { unhandledKind, type Delivery, type InboxEntry, type MessageParts, type Origin, type Party, type ReceivedAttachment } from '../messenger/inboxEntry.js';
import type { AttachmentFiles } from './attachmentFiles.js';

export interface EnvelopeEncoding {
  /** The account's number: every notification names it. */
  account: string;
  /** Where attachment bytes are written; null with --ignore-attachments (then no `id`). */
  attachments: AttachmentFiles | null;
}

/**
 * `{envelope, account}` for what arrived, `{envelope, account, exception}` for a failure. What this
 * account sent from another device comes as `syncMessage.sentMessage`, as signal-cli shows it.
 */
export function encodeReceived(entry: InboxEntry, encoding: EnvelopeEncoding): Record<string, unknown> {
  const wrap = (envelope: Record<string, unknown>) => ({ envelope, account: encoding.account });
  switch (entry.kind) {
    case 'message':
      // `messageRequest`: signal-cli has no key for it; sigsock's own, which its clients ignore.
      return wrap({ ...fromOrigin(entry, dataMessage(entry, entry, encoding)), ...(entry.messageRequest && { messageRequest: true }) });
    case 'edit':
      return wrap(fromOrigin(entry, { editMessage: { targetSentTimestamp: entry.targetTimestamp, dataMessage: dataMessage(entry, entry, encoding) } }));
    case 'remoteDelete':
      return wrap(fromOrigin(entry, { ...baseData(entry), remoteDelete: { timestamp: entry.targetTimestamp } }));
    case 'timerChange':
      return wrap(fromOrigin(entry, { ...baseData(entry), expiresInSeconds: entry.expiresInSeconds, isExpirationUpdate: true }));
    case 'receipt':
      return wrap({
        ...source(entry.sender, entry.timestamp, entry.delivery),
        receiptMessage: { when: entry.timestamp, isDelivery: entry.receipt === 'delivery', isRead: entry.receipt === 'read', isViewed: entry.receipt === 'viewed', timestamps: entry.targetTimestamps },
      });
    case 'typing': {
      const typingMessage: Record<string, unknown> = { action: entry.action === 'started' ? 'STARTED' : 'STOPPED', timestamp: entry.timestamp };
      if (entry.groupId !== null) typingMessage.groupId = entry.groupId;
      return wrap({ ...source(entry.sender, entry.timestamp, entry.delivery), typingMessage });
    }
    case 'unsupported':
      // signal-cli has no shape for this: sigsock's own key, which its clients ignore.
      return wrap({ ...source(entry.sender, entry.timestamp, entry.delivery), unsupportedMessage: { contentKind: entry.contentKind } });
    case 'failure': {
      const sourceId = entry.senderServiceId;
      return {
        envelope: { source: sourceId, sourceNumber: null, sourceUuid: sourceId, sourceName: null, sourceDevice: null },
        account: encoding.account,
        exception: { message: entry.reason, type: entry.failure === 'undecryptable' ? 'ProtocolException' : 'InvalidMessageException' },
      };
    }
    default:
      return unhandledKind(entry);
  }
}

/** Entries stored before sigsock recorded the delivery have no device or server times: left out. */
function source(sender: Party, timestamp: number, delivery: Delivery | undefined): Record<string, unknown> {
  const head: Record<string, unknown> = { source: sender.e164 ?? sender.aci, sourceNumber: sender.e164, sourceUuid: sender.aci, sourceName: sender.name ?? null, sourceDevice: delivery?.senderDevice ?? null, timestamp };
  if (delivery) {
    head.serverReceivedTimestamp = delivery.serverReceivedTimestamp;
    head.serverDeliveredTimestamp = delivery.serverDeliveredTimestamp;
  }
  return head;
}

/** The envelope around a data message: as `dataMessage`, or as `syncMessage.sentMessage` when this account sent it. */
function fromOrigin(origin: Origin, content: Record<string, unknown>): Record<string, unknown> {
  const envelope = source(origin.sender, origin.timestamp, origin.delivery);
  if (!origin.sentByThisAccount) {
    return 'editMessage' in content ? { ...envelope, ...content } : { ...envelope, dataMessage: content };
  }
  const destination = origin.destination;
  const sentMessage: Record<string, unknown> = {
    destination: destination ? (destination.e164 ?? destination.aci) : null,
    destinationNumber: destination?.e164 ?? null,
    destinationUuid: destination?.aci ?? null,
    ...content,
  };
  return { ...envelope, syncMessage: { sentMessage } };
}

function baseData(origin: Origin): Record<string, unknown> {
  const data: Record<string, unknown> = { timestamp: origin.timestamp };
  if (origin.groupId !== null) data.groupInfo = { groupId: origin.groupId, type: 'DELIVER' };
  return data;
}

function dataMessage(parts: MessageParts, origin: Origin, encoding: EnvelopeEncoding): Record<string, unknown> {
  const data: Record<string, unknown> = {
    timestamp: origin.timestamp,
    message: parts.body,
    expiresInSeconds: parts.expiresInSeconds,
    viewOnce: false,
  };
  const { reaction, quote } = parts;
  if (reaction) {
    const author = reaction.targetAuthor;
    data.reaction = {
      emoji: reaction.emoji,
      targetAuthor: author.e164 ?? author.aci,
      targetAuthorNumber: author.e164,
      targetAuthorUuid: author.aci,
      targetSentTimestamp: reaction.targetTimestamp,
      isRemove: reaction.remove,
    };
  }
  if (quote) {
    const author = quote.targetAuthor;
    data.quote = { id: quote.targetTimestamp, author: author.e164 ?? author.aci, authorNumber: author.e164, authorUuid: author.aci, text: quote.text, attachments: [] };
  }
  if (parts.mentions.length > 0) {
    data.mentions = parts.mentions.map((m) => ({ name: m.mentioned.e164 ?? m.mentioned.aci, number: m.mentioned.e164, uuid: m.mentioned.aci, start: m.start, length: m.length }));
  }
  if (parts.textStyles.length > 0) data.textStyles = parts.textStyles.map((t) => ({ style: t.style.toUpperCase(), start: t.start, length: t.length }));
  if (parts.attachments.length > 0) data.attachments = parts.attachments.map((a) => encodeAttachment(a, encoding));
  if (origin.groupId !== null) data.groupInfo = { groupId: origin.groupId, type: 'DELIVER' };
  return data;
}

function encodeAttachment(attachment: ReceivedAttachment, encoding: EnvelopeEncoding): Record<string, unknown> {
  const out: Record<string, unknown> = { contentType: attachment.contentType ?? 'application/octet-stream', filename: attachment.filename, size: attachment.size };
  if (attachment.content && encoding.attachments) out.id = encoding.attachments.save(attachment.content, attachment.filename);
  // sigsock's addition: why the bytes could not be had (signal-cli leaves the id out silently).
  if (attachment.error) out.error = attachment.error;
  return out;
}
