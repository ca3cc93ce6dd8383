// signal-cli's JSON of a received message (its JsonMessageEnvelope / JsonDataMessage shapes), from
// the engine's inbox entries: the one encoder of JSON-RPC's `receive` notifications and of the
// `receive` method's result. Fields sigsock does not know yet are left out rather than invented
// (docs/jsonrpc.md lists them).
import { unhandledKind, type CallEvent, type Delivery, type GroupChangeDetails, type InboxEntry, type MessageParts, type Origin, type Party, type ReceivedAttachment, type SharedContact } from '../messenger/inboxEntry.js';
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
    case 'groupChange':
      // signal-cli says only that the group was updated (groupInfo.type UPDATE); `groupChange`, what changed, is sigsock's addition.
      return wrap(fromOrigin(entry, { timestamp: entry.timestamp, groupInfo: { groupId: entry.groupId, type: 'UPDATE', revision: entry.revision }, groupChange: groupChange(entry) }));
    case 'readSync': {
      const messages = entry.messages.map((m) => ({ sender: m.author.e164 ?? m.author.aci, senderNumber: m.author.e164, senderUuid: m.author.aci, timestamp: m.timestamp }));
      return wrap({ ...source(entry.sender, entry.timestamp, entry.delivery), syncMessage: { [entry.receipt === 'read' ? 'readMessages' : 'viewedMessages']: messages } });
    }
    case 'call':
      return wrap({ ...source(entry.sender, entry.timestamp, entry.delivery), callMessage: callMessage(entry) });
    case 'payment':
      return wrap(fromOrigin(entry, { ...baseData(entry), payment: { note: entry.note, receipt: entry.receipt } }));
    case 'story': {
      const storyMessage: Record<string, unknown> = { allowsReplies: entry.allowsReplies };
      if (entry.groupId !== null) storyMessage.groupId = entry.groupId;
      const file = entry.attachments[0];
      if (file) storyMessage.fileAttachment = encodeAttachment(file, encoding);
      if (entry.text !== null) storyMessage.textAttachment = { text: entry.text };
      return wrap({ ...source(entry.sender, entry.timestamp, entry.delivery), storyMessage });
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
    viewOnce: parts.viewOnce,
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
  if (parts.previews.length > 0) {
    data.previews = parts.previews.map((p) => ({ url: p.url, title: p.title, description: p.description, image: p.image && encodeAttachment(p.image, encoding) }));
  }
  if (parts.attachments.length > 0) data.attachments = parts.attachments.map((a) => encodeAttachment(a, encoding));
  const { sticker } = parts;
  // `attachment` is sigsock's addition: signal-cli names the sticker only.
  if (sticker) data.sticker = { packId: sticker.packId, stickerId: sticker.stickerId, attachment: sticker.image && encodeAttachment(sticker.image, encoding) };
  if (parts.sharedContacts.length > 0) data.contacts = parts.sharedContacts.map(sharedContact);
  if (origin.groupId !== null) data.groupInfo = { groupId: origin.groupId, type: 'DELIVER' };
  return data;
}

/** What a group change did, addresses as signal-cli writes recipients (`JsonRecipientAddress`); only what changed. */
function groupChange(change: GroupChangeDetails): Record<string, unknown> {
  const address = (p: Party) => ({ uuid: p.aci, number: p.e164 });
  const out: Record<string, unknown> = { revision: change.revision };
  if (change.editor) out.editor = address(change.editor);
  if (change.title !== null) out.title = change.title;
  if (change.description !== null) out.description = change.description;
  if (change.expiresInSeconds !== null) out.expiresInSeconds = change.expiresInSeconds;
  for (const key of ['membersAdded', 'membersRemoved', 'membersInvited', 'invitationsRevoked', 'membersJoined'] as const) {
    if (change[key].length > 0) out[key] = change[key].map(address);
  }
  if (change.roles.length > 0) out.roles = change.roles.map((r) => ({ ...address(r.member), role: r.role === 'administrator' ? 'ADMINISTRATOR' : 'DEFAULT' }));
  return out;
}

function sharedContact(card: SharedContact): Record<string, unknown> {
  const n = card.name;
  const display = [n.prefix, n.given, n.middle, n.family, n.suffix].filter(Boolean).join(' ') || null;
  return {
    name: { nickname: n.nickname, given: n.given, family: n.family, prefix: n.prefix, suffix: n.suffix, middle: n.middle, display },
    phone: card.phone,
    email: card.email,
    address: card.address,
    organization: card.organization,
  };
}

const HANGUP_TYPES = { normal: 'NORMAL', accepted: 'ACCEPTED', declined: 'DECLINED', busy: 'BUSY', needPermission: 'NEED_PERMISSION' } as const;

function callMessage(call: CallEvent): Record<string, unknown> {
  const id = call.callId;
  switch (call.event) {
    case 'offer':
      return { offerMessage: { id, type: call.media === 'video' ? 'VIDEO_CALL' : 'AUDIO_CALL' } };
    case 'answer':
      return { answerMessage: { id } };
    case 'busy':
      return { busyMessage: { id } };
    case 'hangup':
      return { hangupMessage: { id, type: HANGUP_TYPES[call.hangup ?? 'normal'] } };
  }
}

function encodeAttachment(attachment: ReceivedAttachment, encoding: EnvelopeEncoding): Record<string, unknown> {
  const out: Record<string, unknown> = { contentType: attachment.contentType ?? 'application/octet-stream', filename: attachment.filename, size: attachment.size };
  if (attachment.content && encoding.attachments) out.id = encoding.attachments.save(attachment.content, attachment.filename);
  // sigsock's addition: why the bytes could not be had (signal-cli leaves the id out silently).
  if (attachment.error) out.error = attachment.error;
  return out;
}
