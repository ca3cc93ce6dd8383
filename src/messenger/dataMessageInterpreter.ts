// What one DataMessage (or the new content of an edit) says, from a given origin: a message with
// its parts, a remote delete, a timer change, or nothing a client needs to see. Pure: no I/O.
// The origin is the sender's for what a contact sent, this account's for a sync transcript of
// what it sent from another device.
import { BodyRangeStyle, DataMessageFlags, encodeAttachmentPointer, type AttachmentPointer, type BodyRange, type DataMessage } from '../proto/index.js';
import type { Mention, Origin, Quote, Reaction, TextStyle, TextStyleKind } from './inboxEntry.js';
import type { EntryValue, InterpretedParts, PendingAttachment } from './contentInterpreter.js';
import { sharedContactOf } from './sharedContacts.js';
import { interpretGroupChange } from './groupChangeInterpreter.js';
import { groupIdFromMasterKey } from './groupIds.js';
import { serviceIdFromBinary } from './serviceIds.js';

export interface InterpretedData {
  value: EntryValue;
  attachments: PendingAttachment[];
}

const STYLES: Record<number, TextStyleKind> = {
  [BodyRangeStyle.BOLD]: 'bold',
  [BodyRangeStyle.ITALIC]: 'italic',
  [BodyRangeStyle.SPOILER]: 'spoiler',
  [BodyRangeStyle.STRIKETHROUGH]: 'strikethrough',
  [BodyRangeStyle.MONOSPACE]: 'monospace',
};

/** The group a data message belongs to, when it names one with a usable master key. */
export function groupOf(data: DataMessage): { masterKey: Uint8Array; revision: number; groupId: string } | null {
  const ctx = data.groupV2;
  if (ctx?.masterKey?.length !== 32) return null;
  return { masterKey: ctx.masterKey, revision: ctx.revision ?? 0, groupId: groupIdFromMasterKey(ctx.masterKey) };
}

/**
 * `origin` without `groupId` (the data message names its group). Null for what is handled and not
 * shown: end session, a profile key update, a group update (the group's state is fetched from its
 * change), an empty message.
 */
export function interpretData(data: DataMessage, origin: Omit<Origin, 'groupId'>): InterpretedData | null {
  const flags = data.flags ?? 0;
  const groupId = groupOf(data)?.groupId ?? null;
  const at: Origin = { ...origin, groupId };
  if (flags & DataMessageFlags.END_SESSION) return null;
  if (data.delete?.targetSentTimestamp) {
    return { value: { kind: 'remoteDelete', ...at, targetTimestamp: data.delete.targetSentTimestamp }, attachments: [] };
  }
  if (flags & DataMessageFlags.EXPIRATION_TIMER_UPDATE) {
    return { value: { kind: 'timerChange', ...at, expiresInSeconds: data.expireTimer ?? 0 }, attachments: [] };
  }
  const payment = data.payment?.notification;
  if (payment) {
    const receipt = payment.mobileCoin?.receipt;
    return { value: { kind: 'payment', ...at, note: payment.note ?? null, receipt: receipt?.length ? Buffer.from(receipt).toString('base64') : null }, attachments: [] };
  }
  const group = data.groupV2;
  if (group?.groupChange?.length && group.masterKey?.length === 32) {
    return { value: { kind: 'groupChange', ...at, ...interpretGroupChange(group.masterKey, group.revision ?? 0, group.groupChange) }, attachments: [] };
  }
  const { parts, attachments } = messageContent(data);
  const empty = parts.body === null && attachments.length === 0 && !parts.reaction && !parts.quote && parts.sharedContacts.length === 0 && !parts.sticker;
  if (empty) {
    if (flags & DataMessageFlags.PROFILE_KEY_UPDATE) return null;
    // A group update without its signed change (a new group, a revision the sender did not
    // describe): the group was updated, details unknown; list_groups shows the state it reached.
    if (group?.masterKey?.length === 32) return { value: { kind: 'groupChange', ...at, ...interpretGroupChange(group.masterKey, group.revision ?? 0, undefined) }, attachments: [] };
    if (data.groupV2) return null;
    const contentKind = data.payment ? 'paymentActivation' : data.groupCallUpdate ? 'groupCallUpdate' : data.giftBadge ? 'giftBadge' : 'dataMessage';
    return { value: { kind: 'unsupported', sender: at.sender, timestamp: at.timestamp, contentKind }, attachments: [] };
  }
  return { value: { kind: 'message', ...at, ...parts }, attachments };
}

function pendingAttachment(a: AttachmentPointer): PendingAttachment {
  return { pointer: encodeAttachmentPointer(a), filename: a.fileName ?? null, contentType: a.contentType ?? null, size: a.size ?? null };
}

/**
 * A message's parts and the attachments to download: its own first, then the sticker's image and
 * the previews' images, which the parts name by their index in that list.
 */
export function messageContent(data: DataMessage): { parts: InterpretedParts; attachments: PendingAttachment[] } {
  const attachments = (data.attachments ?? []).map(pendingAttachment);
  const imageIndex = (pointer: AttachmentPointer | undefined): number | null => {
    if (!pointer) return null;
    attachments.push(pendingAttachment(pointer));
    return attachments.length - 1;
  };
  const sticker = data.sticker;
  const parts: InterpretedParts = {
    ...textParts(data),
    sticker: sticker?.packId?.length
      ? { packId: hex(sticker.packId), packKey: hex(sticker.packKey), stickerId: sticker.stickerId ?? 0, emoji: sticker.emoji || null, image: imageIndex(sticker.data) }
      : null,
    previews: (data.preview ?? [])
      .filter((p) => p.url)
      .map((p) => ({ url: p.url!, title: p.title || null, description: p.description || null, date: p.date || null, image: imageIndex(p.image) })),
    viewOnce: data.isViewOnce ?? false,
    sharedContacts: (data.contact ?? []).map(sharedContactOf),
  };
  return { parts, attachments };
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('hex') : '';
}

function textParts(data: DataMessage): Omit<InterpretedParts, 'sticker' | 'previews' | 'viewOnce' | 'sharedContacts'> {
  const mentions: Mention[] = [];
  const textStyles: TextStyle[] = [];
  for (const range of data.bodyRanges ?? []) {
    const mentioned = mentionAci(range);
    const span = { start: range.start ?? 0, length: range.length ?? 0 };
    if (mentioned) mentions.push({ mentioned: { aci: mentioned, e164: null }, ...span });
    else if (range.style !== undefined && STYLES[range.style]) textStyles.push({ style: STYLES[range.style]!, ...span });
  }
  return {
    body: data.body ?? null,
    reaction: reactionOf(data),
    quote: quoteOf(data),
    mentions,
    textStyles,
    expiresInSeconds: data.expireTimer ?? 0,
  };
}

function mentionAci(range: BodyRange): string | null {
  if (range.mentionAciBinary?.length) return serviceIdFromBinary(range.mentionAciBinary);
  return range.mentionAci || null;
}

function reactionOf(data: DataMessage): Reaction | null {
  const reaction = data.reaction;
  if (!reaction?.emoji || !reaction.targetSentTimestamp) return null;
  const aci = reaction.targetAuthorAciBinary?.length ? serviceIdFromBinary(reaction.targetAuthorAciBinary) : (reaction.targetAuthorAci ?? null);
  return { emoji: reaction.emoji, targetAuthor: { aci, e164: null }, targetTimestamp: reaction.targetSentTimestamp, remove: reaction.remove ?? false };
}

function quoteOf(data: DataMessage): Quote | null {
  const quote = data.quote;
  if (!quote?.id) return null;
  const aci = quote.authorAciBinary?.length ? serviceIdFromBinary(quote.authorAciBinary) : (quote.authorAci ?? null);
  return { targetTimestamp: quote.id, targetAuthor: { aci, e164: null }, text: quote.text ?? null };
}
