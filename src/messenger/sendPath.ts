// Sending a data message (text with attachments, quote, mentions and styles, an edit, a reaction, a
// remote delete): one orchestration for every kind. The destination is looked up first (a group is
// refreshed, a number resolved to an ACI), so a send to an unknown group or number fails before
// anything is uploaded; then the kind's own parts are prepared, the message gets its timestamp, and
// the Outbox delivers it and syncs it to our devices. Typing indicators and receipts share the lookup.
import { Aci } from '@signalapp/libsignal-client';
import type { AccountRecord } from '../store/accountRecord.js';
import { BodyRangeStyle, type BodyRange } from '../proto/index.js';
import type { MessageExtras, OutgoingAttachment, ReactionRequest, ReceiptKind, SendResult, SendTarget } from './api.js';
import type { GroupDirectory, SendableGroup } from './groupDirectory.js';
import { MessengerError } from './errors.js';
import type { Outbox } from './outbox.js';
import type { DataMessageInput } from './outgoingContent.js';
import { buildDataMessage } from './outgoingContent.js';
import { groupConversation, type ConversationTimers } from './conversationTimers.js';
import type { KnownRecipient, RecipientResolver } from './recipientResolver.js';

export interface SendPathDeps {
  outbox: Outbox;
  groups: GroupDirectory;
  resolver: RecipientResolver;
  account: () => AccountRecord;
  timers: ConversationTimers;
}

/** What a kind of data message adds to the common fields (timestamp, profile key, group context). */
type MessageParts = Pick<
  DataMessageInput,
  'body' | 'attachments' | 'reaction' | 'quote' | 'bodyRanges' | 'deleteTarget' | 'sticker' | 'viewOnce' | 'previews' | 'timer' | 'timerUpdate'
> & {
  /** The message carries its conversation's disappearing-message timer (a message does; a reaction, a delete do not). */
  withTimer?: boolean;
};

type Destination = { group: SendableGroup } | { recipient: KnownRecipient; label: string };

export class SendPath {
  constructor(private readonly deps: SendPathDeps) {}

  sendMessage(target: SendTarget, text: string | undefined, attachments: OutgoingAttachment[], extras: MessageExtras = {}): Promise<SendResult> {
    return this.send(
      target,
      async () => {
        const mentions = await Promise.all(
          (extras.mentions ?? []).map(async (m): Promise<BodyRange> => ({ start: m.start, length: m.length, mentionAciBinary: await this.aciBinaryOf(m.recipient) })),
        );
        const styles = (extras.textStyles ?? []).map((s): BodyRange => ({ start: s.start, length: s.length, style: BodyRangeStyle[s.style] }));
        const quote = extras.quote;
        const upload = async (a: OutgoingAttachment) => (await this.deps.outbox.uploadAttachments([a]))[0];
        const sticker = extras.sticker;
        return {
          body: text,
          attachments: await this.deps.outbox.uploadAttachments(attachments),
          quote: quote ? { id: quote.timestamp, authorAciBinary: await this.aciBinaryOf(quote.author), text: quote.text, type: 0 } : undefined,
          bodyRanges: [...mentions, ...styles],
          sticker: sticker && {
            packId: Buffer.from(sticker.packId, 'hex'),
            packKey: Buffer.from(sticker.packKey, 'hex'),
            stickerId: sticker.stickerId,
            emoji: sticker.emoji,
            data: await upload(sticker.image),
          },
          viewOnce: extras.viewOnce,
          previews: await Promise.all(
            (extras.previews ?? []).map(async (p) => ({ url: p.url, title: p.title, description: p.description, date: p.date, image: p.image && (await upload(p.image)) })),
          ),
          withTimer: true,
        };
      },
      extras.editTimestamp,
    );
  }

  sendReaction(target: SendTarget, reaction: ReactionRequest): Promise<SendResult> {
    return this.send(target, async () => ({
      reaction: {
        emoji: reaction.emoji,
        remove: reaction.remove,
        targetAuthorAciBinary: await this.aciBinaryOf(reaction.author),
        targetSentTimestamp: reaction.timestamp,
      },
    }));
  }

  /**
   * Sets a direct conversation's disappearing-message timer (0: off) and announces it as Signal apps
   * do: a data message flagged EXPIRATION_TIMER_UPDATE with the timer and its new version. A group's
   * timer is part of the group's state on the group server (not changed here).
   */
  setExpiration(target: SendTarget, seconds: number): Promise<SendResult> {
    if (target.groupId) {
      return Promise.reject(new MessengerError('INVALID_ARGUMENT', "a group's timer is part of the group: change it with update_group's expiration (updateGroup -e)"));
    }
    return this.send(target, () => Promise.resolve({ timerUpdate: true }), undefined, seconds);
  }

  remoteDelete(target: SendTarget, targetTimestamp: number): Promise<SendResult> {
    return this.send(target, () => Promise.resolve({ deleteTarget: targetTimestamp }));
  }

  async sendTyping(target: SendTarget, stop: boolean): Promise<SendResult> {
    return this.deps.outbox.sendTyping(await this.destination(target), stop, Date.now());
  }

  async sendReceipt(recipient: string, timestamps: number[], kind: ReceiptKind): Promise<SendResult> {
    const known = await this.deps.resolver.resolve(recipient);
    return this.deps.outbox.sendReceipt(known, recipient, kind, timestamps, Date.now());
  }

  /** The ACI of an author or mentioned account, in the binary form Signal apps send; this account's own number included. */
  private async aciBinaryOf(address: string): Promise<Uint8Array> {
    const account = this.deps.account();
    const aci = address === account.number ? account.aci : (await this.deps.resolver.resolve(address)).aci;
    return Aci.fromUuid(aci).getServiceIdBinary();
  }

  private async send(target: SendTarget, prepare: () => Promise<MessageParts>, editTarget?: number, newTimer?: number): Promise<SendResult> {
    const destination = await this.destination(target);
    const { withTimer, ...parts } = await prepare();
    const timestamp = Date.now();
    const group = 'group' in destination ? destination.group : null;
    const conversation = group ? groupConversation(group.groupId) : (destination as { recipient: KnownRecipient }).recipient.aci;
    const { timers } = this.deps;
    const timer = newTimer !== undefined ? timers.change(conversation, newTimer) : withTimer ? timers.get(conversation) : undefined;
    const message = buildDataMessage({
      ...parts,
      timer: timer && (group ? { seconds: timer.seconds } : timer),
      timestamp,
      profileKey: this.deps.account().profileKey,
      groupV2: group ? { masterKey: group.masterKey, revision: group.revision } : undefined,
    });
    return 'group' in destination
      ? this.deps.outbox.sendGroupDataMessage(destination.group, message, timestamp, editTarget)
      : this.deps.outbox.sendDataMessage(destination.recipient, destination.label, message, timestamp, editTarget);
  }

  /** The socket layer sets exactly one of `groupId` and `recipient` (api.ts). */
  private async destination(target: SendTarget): Promise<Destination> {
    if (target.groupId) return { group: await this.deps.groups.forSend(target.groupId) };
    const label = target.recipient!;
    return { recipient: await this.deps.resolver.resolve(label), label };
  }
}
