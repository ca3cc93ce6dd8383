// What a decrypted Content means for the account: an inbox entry, facts learned about the
// sender, or work for later (contact sync, sender keys, groups). Pure: no I/O.
import { encodeAttachmentPointer, type Content } from '../proto/index.js';
import type { Reaction, ReceivedMessage } from './inboxEntry.js';
import type { DecryptedEnvelope } from './envelopeDecryptor.js';
import { groupIdFromMasterKey } from './groupIds.js';
import { serviceIdFromBinary } from './serviceIds.js';

export interface PendingAttachment {
  pointer: Uint8Array;
  filename: string | null;
  contentType: string | null;
  size: number | null;
}

/**
 * A message as its envelope tells it. Phone numbers the envelope does not carry (the sender's, a
 * reaction target's) are null here; the recorder fills in the ones the account knows.
 */
export interface InterpretedMessage {
  message: Omit<ReceivedMessage, 'attachments'>;
  /** Downloaded after the commit; the entry is handed out once they are done. */
  attachments: PendingAttachment[];
}

export interface ContentEffects {
  entry: InterpretedMessage | null;
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
  let messageReaction: Reaction | null = null;
  if (reaction?.emoji && reaction.targetSentTimestamp) {
    const authorAci = reaction.targetAuthorAciBinary?.length
      ? serviceIdFromBinary(reaction.targetAuthorAciBinary)
      : (reaction.targetAuthorAci ?? null);
    messageReaction = {
      emoji: reaction.emoji,
      targetAuthor: { aci: authorAci, e164: null },
      targetTimestamp: reaction.targetSentTimestamp,
      remove: reaction.remove ?? false,
    };
  }
  const body = data.body ?? null;
  if (body === null && attachments.length === 0 && !messageReaction) return effects;

  effects.entry = {
    message: {
      kind: 'message',
      sender: { aci: from.senderAci, e164: from.senderE164 },
      timestamp: data.timestamp || meta.clientTimestamp,
      groupId: groupId ?? null,
      body,
      reaction: messageReaction,
    },
    attachments,
  };
  return effects;
}
