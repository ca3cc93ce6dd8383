// The seed protocol's shape of a received entry (one element of `receive_messages`' `messages[]`):
// the one place that turns the engine's inbox entries into the protocol's field names and status
// codes. `sigsock receive --json` prints the same shape (cli/entryFormat.ts uses this function).
import { AttachmentBytes } from '../messenger/api.js';
import { unhandledKind, type GroupChangeDetails, type InboxEntry, type MessageParts, type Origin, type Party, type ReceivedAttachment, type SharedContact } from '../messenger/inboxEntry.js';
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

export interface WireQuote {
  id: number;
  author: string | null;
  authorUuid: string | null;
  text: string | null;
}

export interface WireMention {
  number: string | null;
  uuid: string;
  start: number;
  length: number;
}

export interface WireTextStyle {
  style: string;
  start: number;
  length: number;
}

/**
 * Every entry that is not a failure has the message's keys (`body` null and `attachments` empty
 * when it carries none), so that a client written for messages only reads the rest as empty
 * messages, as it always read reactions; what the entry is then shows in one added key.
 */
export interface WireMessage {
  timestamp: number;
  sender: string | null;
  senderUuid: string | null;
  body: string | null;
  groupId?: string;
  reaction?: WireReaction;
  attachments: WireAttachment[];
  /** The sender's name (contact or profile name) when known. */
  senderName?: string;
  quote?: WireQuote;
  mentions?: WireMention[];
  textStyles?: WireTextStyle[];
  expiresInSeconds?: number;
  viewOnce?: true;
  sticker?: WireSticker;
  previews?: WirePreview[];
  contacts?: SharedContact[];
  isExpirationUpdate?: true;
  sentByThisAccount?: true;
  /** A registered account's message from someone it never wrote to nor accepted. */
  messageRequest?: true;
  destination?: string | null;
  destinationUuid?: string;
  editMessage?: { targetSentTimestamp: number };
  remoteDelete?: { timestamp: number };
  receiptMessage?: { type: 'DELIVERY' | 'READ' | 'VIEWED'; timestamps: number[] };
  typingMessage?: { action: 'STARTED' | 'STOPPED' };
  groupChange?: WireGroupChange;
  readMessages?: WireReadMessage[];
  viewedMessages?: WireReadMessage[];
  callMessage?: WireCall;
  payment?: { note: string | null; receipt: string | null };
  storyMessage?: { allowsReplies: boolean; text?: string };
  unsupported?: { contentKind: string };
}

export interface WireSticker {
  packId: string;
  packKey: string;
  stickerId: number;
  emoji?: string;
  /** The sticker's image; null when the sender sent none. */
  attachment: WireAttachment | null;
}

export interface WirePreview {
  url: string;
  title: string | null;
  description: string | null;
  date?: number;
  image: WireAttachment | null;
}

export interface WireCall {
  offerMessage?: { id: string | null; type: 'AUDIO_CALL' | 'VIDEO_CALL' };
  answerMessage?: { id: string | null };
  busyMessage?: { id: string | null };
  hangupMessage?: { id: string | null; type: string };
}

/** A message read or viewed on another device: its author and sent timestamp. */
export interface WireReadMessage {
  sender: string | null;
  senderUuid: string;
  timestamp: number;
}

export interface WireParty {
  number: string | null;
  uuid: string;
}

/** Only what changed: absent keys were not changed. */
export interface WireGroupChange {
  revision: number;
  editor?: WireParty;
  title?: string;
  description?: string;
  expiresInSeconds?: number;
  membersAdded?: WireParty[];
  membersRemoved?: WireParty[];
  membersInvited?: WireParty[];
  invitationsRevoked?: WireParty[];
  membersJoined?: WireParty[];
  roles?: (WireParty & { role: 'ADMINISTRATOR' | 'DEFAULT' })[];
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

/**
 * Key order is part of the output (clients compare lines byte for byte): a message with none of the
 * newer parts is exactly what the seed wrote; newer keys come after `attachments`, each only when set.
 */
export function encodeEntry(entry: InboxEntry, encoding: EntryEncoding): WireEntry {
  switch (entry.kind) {
    case 'message':
      return { ...encodeHead(entry, entry, encoding), ...encodeNewerParts(entry, encoding), ...encodeSentBy(entry), ...(entry.messageRequest && { messageRequest: true }) };
    case 'edit':
      return { ...encodeHead(entry, entry, encoding), ...encodeNewerParts(entry, encoding), ...encodeSentBy(entry), editMessage: { targetSentTimestamp: entry.targetTimestamp } };
    case 'remoteDelete':
      return { ...encodeHead(entry, null, encoding), ...encodeSentBy(entry), remoteDelete: { timestamp: entry.targetTimestamp } };
    case 'timerChange':
      return { ...encodeHead(entry, null, encoding), expiresInSeconds: entry.expiresInSeconds, isExpirationUpdate: true, ...encodeSentBy(entry) };
    case 'receipt':
      return { ...encodeHead({ ...entry, groupId: null }, null, encoding), receiptMessage: { type: RECEIPT_TYPES[entry.receipt], timestamps: entry.targetTimestamps } };
    case 'typing':
      return { ...encodeHead(entry, null, encoding), typingMessage: { action: entry.action === 'started' ? 'STARTED' : 'STOPPED' } };
    case 'groupChange':
      return { ...encodeHead(entry, null, encoding), ...encodeSentBy(entry), groupChange: encodeGroupChange(entry) };
    case 'readSync': {
      const messages = entry.messages.map((m) => ({ sender: m.author.e164, senderUuid: m.author.aci, timestamp: m.timestamp }));
      return { ...encodeHead({ ...entry, groupId: null }, null, encoding), ...(entry.receipt === 'read' ? { readMessages: messages } : { viewedMessages: messages }) };
    }
    case 'call':
      return { ...encodeHead({ ...entry, groupId: null }, null, encoding), callMessage: encodeCall(entry) };
    case 'payment':
      return { ...encodeHead(entry, null, encoding), ...encodeSentBy(entry), payment: { note: entry.note, receipt: entry.receipt } };
    case 'story':
      return {
        ...encodeHead(entry, null, encoding),
        attachments: entry.attachments.map((a) => encodeAttachment(a, encoding)),
        storyMessage: { allowsReplies: entry.allowsReplies, ...(entry.text !== null && { text: entry.text }) },
      };
    case 'unsupported':
      return { ...encodeHead({ ...entry, groupId: null }, null, encoding), unsupported: { contentKind: entry.contentKind } };
    case 'failure':
      return { statusCode: FAILURE_STATUS[entry.failure], errorMessage: entry.reason };
    default:
      return unhandledKind(entry);
  }
}

const RECEIPT_TYPES = { delivery: 'DELIVERY', read: 'READ', viewed: 'VIEWED' } as const;

/** The seed's message keys, in the seed's order. */
function encodeHead(at: { timestamp: number; sender: Party; groupId: string | null }, parts: MessageParts | null, encoding: EntryEncoding): WireMessage {
  const reaction = parts?.reaction;
  return {
    timestamp: at.timestamp,
    sender: at.sender.e164,
    senderUuid: at.sender.aci,
    body: parts?.body ?? null,
    ...(at.groupId !== null && { groupId: at.groupId }),
    ...(reaction && {
      reaction: {
        emoji: reaction.emoji,
        author: reaction.targetAuthor.e164,
        authorUuid: reaction.targetAuthor.aci,
        timestamp: reaction.targetTimestamp,
        remove: reaction.remove,
      },
    }),
    attachments: (parts?.attachments ?? []).map((a) => encodeAttachment(a, encoding)),
    ...(at.sender.name && { senderName: at.sender.name }),
  };
}

export function encodeGroupChange(change: GroupChangeDetails): WireGroupChange {
  const party = (p: Party): WireParty => ({ number: p.e164, uuid: p.aci });
  const list = (key: 'membersAdded' | 'membersRemoved' | 'membersInvited' | 'invitationsRevoked' | 'membersJoined') =>
    change[key].length > 0 ? { [key]: change[key].map(party) } : {};
  return {
    revision: change.revision,
    ...(change.editor && { editor: party(change.editor) }),
    ...(change.title !== null && { title: change.title }),
    ...(change.description !== null && { description: change.description }),
    ...(change.expiresInSeconds !== null && { expiresInSeconds: change.expiresInSeconds }),
    ...list('membersAdded'),
    ...list('membersRemoved'),
    ...list('membersInvited'),
    ...list('invitationsRevoked'),
    ...list('membersJoined'),
    ...(change.roles.length > 0 && { roles: change.roles.map((r) => ({ ...party(r.member), role: r.role === 'administrator' ? ('ADMINISTRATOR' as const) : ('DEFAULT' as const) })) }),
  };
}

const HANGUP_TYPES = { normal: 'NORMAL', accepted: 'ACCEPTED', declined: 'DECLINED', busy: 'BUSY', needPermission: 'NEED_PERMISSION' } as const;

function encodeCall(call: Extract<InboxEntry, { kind: 'call' }>): WireCall {
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

function encodeNewerParts(parts: MessageParts, encoding: EntryEncoding): Partial<WireMessage> {
  const { quote, sticker } = parts;
  return {
    ...(quote && { quote: { id: quote.targetTimestamp, author: quote.targetAuthor.e164, authorUuid: quote.targetAuthor.aci, text: quote.text } }),
    ...(parts.mentions.length > 0 && { mentions: parts.mentions.map((m) => ({ number: m.mentioned.e164, uuid: m.mentioned.aci, start: m.start, length: m.length })) }),
    ...(parts.textStyles.length > 0 && { textStyles: parts.textStyles.map((t) => ({ style: t.style.toUpperCase(), start: t.start, length: t.length })) }),
    ...(parts.expiresInSeconds > 0 && { expiresInSeconds: parts.expiresInSeconds }),
    ...(parts.viewOnce && { viewOnce: true }),
    ...(sticker && {
      sticker: {
        packId: sticker.packId,
        packKey: sticker.packKey,
        stickerId: sticker.stickerId,
        ...(sticker.emoji !== null && { emoji: sticker.emoji }),
        attachment: sticker.image && encodeAttachment(sticker.image, encoding),
      },
    }),
    ...(parts.previews.length > 0 && {
      previews: parts.previews.map((p) => ({
        url: p.url,
        title: p.title,
        description: p.description,
        ...(p.date !== null && { date: p.date }),
        image: p.image && encodeAttachment(p.image, encoding),
      })),
    }),
    ...(parts.sharedContacts.length > 0 && { contacts: parts.sharedContacts }),
  };
}

function encodeSentBy(origin: Origin): Partial<WireMessage> {
  if (!origin.sentByThisAccount) return {};
  const { destination } = origin;
  return { sentByThisAccount: true, ...(destination && { destination: destination.e164, destinationUuid: destination.aci }) };
}

function encodeAttachment(attachment: ReceivedAttachment, encoding: EntryEncoding): WireAttachment {
  const out: WireAttachment = { filename: attachment.filename, contentType: attachment.contentType, size: attachment.size };
  if (attachment.content && encoding.attachmentData) out.base64Data = new AttachmentBytes(attachment.content);
  if (attachment.error) out.error = attachment.error;
  return out;
}
