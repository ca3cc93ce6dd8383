// Sending a data message (text with attachments, or a reaction): one orchestration for every kind.
// The destination is looked up first (a group is refreshed, a number resolved to an ACI), so a send
// to an unknown group or number fails before anything is uploaded; then the kind's own parts are
// prepared, the message gets its timestamp, and the Outbox delivers it and syncs it to our devices.
import { Aci } from '@signalapp/libsignal-client';
import type { AccountRecord } from '../store/accountRecord.js';
import type { OutgoingAttachment, ReactionRequest, SendResult, SendTarget } from './api.js';
import type { GroupDirectory, SendableGroup } from './groupDirectory.js';
import type { Outbox } from './outbox.js';
import type { DataMessageInput } from './outgoingContent.js';
import { buildDataMessage } from './outgoingContent.js';
import type { KnownRecipient, RecipientResolver } from './recipientResolver.js';

export interface SendPathDeps {
  outbox: Outbox;
  groups: GroupDirectory;
  resolver: RecipientResolver;
  account: () => AccountRecord;
}

/** What a kind of data message adds to the common fields (timestamp, profile key, group context). */
type MessageParts = Pick<DataMessageInput, 'body' | 'attachments' | 'reaction'>;

type Destination = { group: SendableGroup } | { recipient: KnownRecipient; label: string };

export class SendPath {
  constructor(private readonly deps: SendPathDeps) {}

  sendMessage(target: SendTarget, text: string | undefined, attachments: OutgoingAttachment[]): Promise<SendResult> {
    return this.send(target, async () => ({ body: text, attachments: await this.deps.outbox.uploadAttachments(attachments) }));
  }

  sendReaction(target: SendTarget, reaction: ReactionRequest): Promise<SendResult> {
    return this.send(target, async () => {
      const account = this.deps.account();
      const author = reaction.author === account.number ? { aci: account.aci } : await this.deps.resolver.resolve(reaction.author);
      return {
        reaction: {
          emoji: reaction.emoji,
          remove: reaction.remove,
          targetAuthorAciBinary: Aci.fromUuid(author.aci).getServiceIdBinary(),
          targetSentTimestamp: reaction.timestamp,
        },
      };
    });
  }

  private async send(target: SendTarget, prepare: () => Promise<MessageParts>): Promise<SendResult> {
    const destination = await this.destination(target);
    const parts = await prepare();
    const timestamp = Date.now();
    const group = 'group' in destination ? destination.group : null;
    const message = buildDataMessage({
      ...parts,
      timestamp,
      profileKey: this.deps.account().profileKey,
      groupV2: group ? { masterKey: group.masterKey, revision: group.revision } : undefined,
    });
    return 'group' in destination
      ? this.deps.outbox.sendGroupDataMessage(destination.group, message, timestamp)
      : this.deps.outbox.sendDataMessage(destination.recipient, destination.label, message, timestamp);
  }

  /** The socket layer sets exactly one of `groupId` and `recipient` (api.ts). */
  private async destination(target: SendTarget): Promise<Destination> {
    if (target.groupId) return { group: await this.deps.groups.forSend(target.groupId) };
    const label = target.recipient!;
    return { recipient: await this.deps.resolver.resolve(label), label };
  }
}
