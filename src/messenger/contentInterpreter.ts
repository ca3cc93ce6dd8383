// What a decrypted Content means for the account: an inbox entry, facts learned about the
// sender, or work for later (contact sync, sender keys, groups). Pure: no I/O.
import { encodeAttachmentPointer, type Content } from '../proto/index.js';
import type { InboxReaction } from './api.js';
import type { DecryptedEnvelope } from './envelopeDecryptor.js';
import { groupIdFromMasterKey } from './groupIds.js';
import { serviceIdFromBinary } from './serviceIds.js';

export interface PendingAttachment {
  pointer: Uint8Array;
  filename: string | null;
  contentType: string | null;
  size: number | null;
}

export interface MessageFields {
  timestamp: number;
  sender: string | null;
  senderUuid: string;
  body: string | null;
  groupId?: string;
  reaction?: InboxReaction;
}

export interface ContentEffects {
  entry: { fields: MessageFields; attachments: PendingAttachment[] } | null;
  sender: { aci: string; e164: string | null; profileKey: Uint8Array | null };
  /** Other recipients' number ↔ ACI pairs learned from our own devices' sync messages. */
  learned: { aci: string; e164: string }[];
  contactSyncBlob: Uint8Array | null;
  senderKeyDistribution: Uint8Array | null;
  group: { masterKey: Uint8Array; revision: number; groupId: string } | null;
}

export interface EnvelopeMeta {
  serverTimestamp: number;
  clientTimestamp: number;
  localAci: string;
}

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

  if (content.syncMessage && fromOwnDevice) {
    const sync = content.syncMessage;
    if (sync.contacts?.blob) effects.contactSyncBlob = encodeAttachmentPointer(sync.contacts.blob);
    const sent = sync.sent;
    const destination = sent?.destinationServiceIdBinary?.length
      ? serviceIdFromBinary(sent.destinationServiceIdBinary)
      : (sent?.destinationServiceId ?? null);
    if (sent?.destinationE164 && destination && !destination.startsWith('PNI:')) {
      effects.learned.push({ aci: destination, e164: sent.destinationE164 });
    }
    const groupCtx = sent?.message?.groupV2;
    if (groupCtx?.masterKey?.length === 32) {
      effects.group = { masterKey: groupCtx.masterKey, revision: groupCtx.revision ?? 0, groupId: groupIdFromMasterKey(groupCtx.masterKey) };
    }
    // Transcripts of what the user sent from the phone, read receipts and the like are not
    // messages *to* the bot: they update state above and are otherwise skipped.
    return effects;
  }

  const data = content.dataMessage;
  if (!data || fromOwnDevice) return effects;
  if (data.profileKey?.length === 32) effects.sender.profileKey = data.profileKey;
  const groupCtx = data.groupV2;
  let groupId: string | undefined;
  if (groupCtx?.masterKey?.length === 32) {
    groupId = groupIdFromMasterKey(groupCtx.masterKey);
    effects.group = { masterKey: groupCtx.masterKey, revision: groupCtx.revision ?? 0, groupId };
  }

  const attachments: PendingAttachment[] = (data.attachments ?? []).map((a) => ({
    pointer: encodeAttachmentPointer(a),
    filename: a.fileName ?? null,
    contentType: a.contentType ?? null,
    size: a.size ?? null,
  }));
  const reaction = data.reaction;
  let inboxReaction: InboxReaction | undefined;
  if (reaction?.emoji && reaction.targetSentTimestamp) {
    const authorUuid = reaction.targetAuthorAciBinary?.length
      ? serviceIdFromBinary(reaction.targetAuthorAciBinary)
      : (reaction.targetAuthorAci ?? null);
    inboxReaction = {
      emoji: reaction.emoji,
      author: null,
      authorUuid,
      timestamp: reaction.targetSentTimestamp,
      remove: reaction.remove ?? false,
    };
  }
  const body = data.body ?? null;
  if (body === null && attachments.length === 0 && !inboxReaction) return effects;

  const fields: MessageFields = {
    timestamp: data.timestamp || meta.clientTimestamp,
    sender: from.senderE164,
    senderUuid: from.senderAci,
    body,
  };
  if (groupId) fields.groupId = groupId;
  if (inboxReaction) fields.reaction = inboxReaction;
  effects.entry = { fields, attachments };
  return effects;
}
