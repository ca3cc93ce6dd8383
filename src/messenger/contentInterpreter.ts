// What a decrypted Content means for the account: an inbox entry, facts learned about the
// sender, or work for later (contact sync, sender keys, groups). Pure: no I/O.
import { DataMessageFlags, encodeAttachmentPointer, ReceiptType, TypingAction, type Content, type DataMessage, type EditMessage, type MessageRef, type SyncMessage } from '../proto/index.js';
import { groupOf, interpretData, messageContent } from './dataMessageInterpreter.js';
import type { InboxEntry, LinkPreview, MessageParts, Origin, Party, ReceiptKind, ReceiveFailure, Sticker } from './inboxEntry.js';
import { interpretCall } from './callInterpreter.js';
import { interpretStory } from './storyInterpreter.js';
import { groupConversation, type TimerObservation } from './conversationTimers.js';
import type { DecryptedEnvelope } from './envelopeDecryptor.js';
import { serviceIdFromBinary } from './serviceIds.js';
import { blockedFromSync, type BlockedEntries } from './blockedListSync.js';

export interface PendingAttachment {
  pointer: Uint8Array;
  filename: string | null;
  contentType: string | null;
  size: number | null;
}

/** A message's parts before the download: the sticker's and previews' images are indexes into the entry's attachments. */
export type InterpretedParts = Omit<MessageParts, 'attachments' | 'sticker' | 'previews'> & {
  sticker: Sticker<number | null> | null;
  previews: LinkPreview<number | null>[];
};

type WithoutAttachments<T> = T extends MessageParts
  ? Omit<T, keyof MessageParts> & InterpretedParts
  : T extends { attachments: unknown }
    ? Omit<T, 'attachments'>
    : T;

/** An inbox entry as interpreted, before its attachments are downloaded. */
export type EntryValue = WithoutAttachments<Exclude<InboxEntry, ReceiveFailure>>;

/**
 * An entry as its envelope tells it. Phone numbers the envelope does not carry (the sender's, a
 * reaction or quote target's, a mentioned account's) are null here; the recorder fills in the ones
 * the account knows.
 */
export interface InterpretedEntry {
  value: EntryValue;
  /** Downloaded after the commit; the entry is handed out once they are done. */
  attachments: PendingAttachment[];
}

export interface ContentEffects {
  entry: InterpretedEntry | null;
  sender: { aci: string; e164: string | null; profileKey: Uint8Array | null };
  /** Other recipients' number ↔ ACI pairs learned from our own devices' sync messages. */
  learned: { aci: string; e164: string }[];
  contactSyncBlob: Uint8Array | null;
  senderKeyDistribution: Uint8Array | null;
  group: { masterKey: Uint8Array; revision: number; groupId: string } | null;
  /** The phone's block list (a Blocked sync message): it replaces this account's. */
  blockedList?: BlockedEntries;
  /** What the content says about its conversation's disappearing-message timer (conversationTimers.ts). */
  timer?: TimerObservation | null;
  /** The sender's app ended its session (END_SESSION): handled (archived), not shown. */
  endSession?: boolean;
}

export interface EnvelopeMeta {
  serverTimestamp: number;
  clientTimestamp: number;
  localAci: string;
  /** Stories become entries only when the daemon was asked for them (`--receive-stories`). */
  receiveStories?: boolean;
}

/**
 * What each part of a Content becomes. Shown as entries: messages (also those this account sent
 * from another device), edits, remote deletes, timer changes, receipts, typing, and anything not
 * interpreted yet as `unsupported`. Not shown, because they are handled: sender keys, null and PNI
 * signature messages, end session, profile key updates, group updates, and the sync messages that
 * only update state (contacts, keys, configuration, blocked lists, requests), call signalling that
 * is not an offer, answer, busy or hangup. Stories are shown only when asked for (`receiveStories`).
 */
export function interpretContent(content: Content, from: DecryptedEnvelope, meta: EnvelopeMeta): ContentEffects {
  const effects: ContentEffects = {
    entry: null,
    sender: { aci: from.senderAci, e164: from.senderE164, profileKey: null },
    learned: [],
    contactSyncBlob: null,
    senderKeyDistribution: content.senderKeyDistributionMessage?.length ? content.senderKeyDistributionMessage : null,
    group: null,
  };
  const fromOwnDevice = from.senderAci === meta.localAci;
  const sender: Party = { aci: from.senderAci, e164: from.senderE164 };
  const envelopeTime = meta.clientTimestamp || meta.serverTimestamp;
  const unsupported = (contentKind: string): InterpretedEntry => ({ value: { kind: 'unsupported', sender, timestamp: envelopeTime, contentKind }, attachments: [] });
  // What this account sent from another device is sent *by* it *to* someone (itself, without a
  // transcript naming anyone else: a message from its own device straight to this one).
  const origin = (timestamp: number | undefined): Omit<Origin, 'groupId'> => ({
    sender,
    timestamp: timestamp || envelopeTime,
    sentByThisAccount: fromOwnDevice,
    destination: fromOwnDevice ? { aci: meta.localAci, e164: null } : null,
  });

  if (content.syncMessage) {
    if (!fromOwnDevice) effects.entry = unsupported('syncMessage');
    else interpretSync(content.syncMessage, sender, envelopeTime, effects);
    return effects;
  }
  if (content.dataMessage) {
    const data = content.dataMessage;
    if (data.profileKey?.length === 32 && !fromOwnDevice) effects.sender.profileKey = data.profileKey;
    if ((data.flags ?? 0) & DataMessageFlags.END_SESSION && !fromOwnDevice) effects.endSession = true;
    effects.group = groupOf(data);
    effects.entry = interpretData(data, origin(data.timestamp));
    effects.timer = timerOf(data, effects.entry?.value, fromOwnDevice ? meta.localAci : from.senderAci);
    return effects;
  }
  if (content.editMessage) {
    effects.entry = interpretEdit(content.editMessage, origin(content.editMessage.dataMessage?.timestamp));
    return effects;
  }
  if (content.receiptMessage) {
    const kind = RECEIPTS[content.receiptMessage.type ?? ReceiptType.DELIVERY];
    const targetTimestamps = content.receiptMessage.timestamp ?? [];
    effects.entry = kind ? { value: { kind: 'receipt', sender, timestamp: envelopeTime, receipt: kind, targetTimestamps }, attachments: [] } : unsupported('receiptMessage');
    return effects;
  }
  if (content.typingMessage) {
    const typing = content.typingMessage;
    const action = (typing.action ?? TypingAction.STARTED) === TypingAction.STOPPED ? 'stopped' : 'started';
    const groupId = typing.groupId?.length ? Buffer.from(typing.groupId).toString('base64') : null;
    effects.entry = { value: { kind: 'typing', sender, timestamp: typing.timestamp || envelopeTime, action, groupId }, attachments: [] };
    return effects;
  }
  if (content.callMessage) {
    const call = interpretCall(content.callMessage, sender, envelopeTime);
    effects.entry = call === 'unknown' ? unsupported('callMessage') : call && { value: call, attachments: [] };
  } else if (content.storyMessage) {
    if (meta.receiveStories) effects.entry = interpretStory(content.storyMessage, sender, envelopeTime);
  } else if (content.decryptionErrorMessage) effects.entry = unsupported('decryptionErrorMessage');
  else if (content.nullMessage || content.pniSignatureMessage || effects.senderKeyDistribution) return effects;
  else effects.entry = unsupported('unknown');
  return effects;
}

const RECEIPTS: Record<number, ReceiptKind> = { [ReceiptType.DELIVERY]: 'delivery', [ReceiptType.READ]: 'read', [ReceiptType.VIEWED]: 'viewed' };

function interpretEdit(edit: EditMessage, origin: Omit<Origin, 'groupId'>): InterpretedEntry | null {
  const data = edit.dataMessage;
  if (!data || !edit.targetSentTimestamp) return null;
  const groupId = groupOf(data)?.groupId ?? null;
  const { parts, attachments } = messageContent(data);
  return { value: { kind: 'edit', ...origin, groupId, targetTimestamp: edit.targetSentTimestamp, ...parts, reaction: null }, attachments };
}

/** A sync message from one of this account's own devices. */
function interpretSync(sync: SyncMessage, self: Party, envelopeTime: number, effects: ContentEffects): void {
  if (sync.contacts?.blob) effects.contactSyncBlob = encodeAttachmentPointer(sync.contacts.blob);
  if (sync.blocked) effects.blockedList = blockedFromSync(sync.blocked);
  const read = sync.read?.length ? sync.read : sync.viewed;
  if (read?.length) {
    const messages = read.flatMap(messageRef);
    effects.entry = { value: { kind: 'readSync', sender: self, timestamp: envelopeTime, receipt: sync.read?.length ? 'read' : 'viewed', messages }, attachments: [] };
  }
  const sent = sync.sent;
  if (!sent) return;
  const destinationId = sent.destinationServiceIdBinary?.length ? serviceIdFromBinary(sent.destinationServiceIdBinary) : (sent.destinationServiceId ?? null);
  if (sent.destinationE164 && destinationId && !destinationId.startsWith('PNI:')) {
    effects.learned.push({ aci: destinationId, e164: sent.destinationE164 });
  }
  const data = sent.message ?? sent.editMessage?.dataMessage;
  if (data) effects.group = groupOf(data);
  // A recipient update repeats a transcript already received, for its delivery status only.
  if (sent.isRecipientUpdate) return;
  const destination = destinationId && !effects.group ? { aci: destinationId, e164: sent.destinationE164 ?? null } : null;
  const origin = { sender: self, timestamp: sent.timestamp ?? 0, sentByThisAccount: true, destination };
  if (sent.message) effects.timer = timerOf(sent.message, null, destinationId);
  if (sent.editMessage) effects.entry = interpretEdit(sent.editMessage, { ...origin, timestamp: sent.editMessage.dataMessage?.timestamp || origin.timestamp || envelopeTime });
  else if (sent.message) effects.entry = interpretData(sent.message, { ...origin, timestamp: origin.timestamp || sent.message.timestamp || envelopeTime });
}

function messageRef(ref: MessageRef): { author: Party; timestamp: number }[] {
  const aci = ref.senderAciBinary?.length ? serviceIdFromBinary(ref.senderAciBinary) : (ref.senderAci ?? null);
  return aci && ref.timestamp ? [{ author: { aci, e164: null }, timestamp: ref.timestamp }] : [];
}

/**
 * The timer a message tells of: a message (not a reaction) or a timer change carries its
 * conversation's timer; a group change may set the group's. Null for what carries none.
 */
function timerOf(data: DataMessage, value: EntryValue | null | undefined, directPeer: string | null): TimerObservation | null {
  const groupId = groupOf(data)?.groupId ?? null;
  if (value?.kind === 'groupChange') {
    return value.expiresInSeconds === null || !groupId ? null : { conversation: groupConversation(groupId), seconds: value.expiresInSeconds, version: null };
  }
  const carriesTimer = value === null || value === undefined || (value.kind === 'message' && !value.reaction) || value.kind === 'timerChange';
  const isTimerUpdate = ((data.flags ?? 0) & DataMessageFlags.EXPIRATION_TIMER_UPDATE) !== 0;
  if (!carriesTimer || (value === null && !isTimerUpdate && !data.body && !data.attachments?.length)) return null;
  if (groupId) return { conversation: groupConversation(groupId), seconds: data.expireTimer ?? 0, version: null };
  if (!directPeer) return null;
  return { conversation: directPeer, seconds: data.expireTimer ?? 0, version: data.expireTimerVersion ?? null };
}
