// Commits what one received envelope leaves behind in the transaction that commits the ratchet
// state that decrypted it: the envelope's id (a redelivery is then dropped), what it taught about
// its sender and groups, and its inbox entry. It runs inside the store's transaction, so it only
// writes to the store: it never calls back into the account (work after the commit is the
// receiver's `afterCommit`).
import type { Groups } from '../store/groups.js';
import type { Inbox } from '../store/inbox.js';
import type { InboxRecord } from '../store/inboxFormat.js';
import type { Recipients } from '../store/recipients.js';
import type { ContentEffects, EntryValue } from './contentInterpreter.js';
import { unhandledKind, type Party, type ReceiveFailure } from './inboxEntry.js';

/** What became of a received envelope. */
export type ReceiveOutcome =
  /** Decrypted and understood (it may still hold no entry: a sync message, a sender key). */
  | { kind: 'interpreted'; effects: ContentEffects }
  /** Not decrypted or not understood: the failure is queued for the client. */
  | { kind: 'failed'; failure: ReceiveFailure }
  /** Decrypted once already (a redelivery after a crash between commit and ack): only its id is kept. */
  | { kind: 'duplicate' };

export interface RecordedEnvelope {
  envelopeId: string;
  outcome: ReceiveOutcome;
}

/** The transaction to ride in: a protocol batch commits its ratchet state together with `also`. */
export interface CommitBatch {
  commit(also?: () => void): void;
}

export interface RecorderStore {
  inbox: Pick<Inbox, 'hasSeenEnvelope' | 'markEnvelopeSeen' | 'insertEntry'>;
  recipients: Pick<Recipients, 'byAci' | 'upsertRecipient'>;
  groups: Pick<Groups, 'getGroup' | 'upsertGroup'>;
}

export class ReceiveRecorder {
  constructor(
    private readonly store: RecorderStore,
    /** This account: a reaction to one of its own messages names it. */
    private readonly self: () => Party,
  ) {}

  hasSeen(envelopeId: string): boolean {
    return this.store.inbox.hasSeenEnvelope(envelopeId);
  }

  /** One transaction: the batch's ratchet state, the envelope id, and what the outcome adds. */
  commit(batch: CommitBatch, envelopeId: string, outcome: ReceiveOutcome): void {
    this.commitAll(batch, [{ envelopeId, outcome }]);
  }

  /** Group commit: several envelopes decrypted over one batch share its transaction, written in arrival order. */
  commitAll(batch: CommitBatch, records: readonly RecordedEnvelope[]): void {
    batch.commit(() => {
      for (const { envelopeId, outcome } of records) this.write(envelopeId, outcome);
    });
  }

  private write(envelopeId: string, outcome: ReceiveOutcome): void {
    const { inbox } = this.store;
    inbox.markEnvelopeSeen(envelopeId);
    if (outcome.kind === 'failed') inbox.insertEntry(outcome.failure, []);
    if (outcome.kind !== 'interpreted') return;
    const effects = outcome.effects;
    this.learnSender(effects.sender);
    for (const pair of effects.learned) this.store.recipients.upsertRecipient(pair);
    if (effects.group && !this.store.groups.getGroup(effects.group.groupId)) {
      // Remember the master key with the message, so a reply to this groupId works even before
      // the group server was asked for titles and members (revision -1: not fetched yet).
      this.store.groups.upsertGroup({ id: effects.group.groupId, masterKey: effects.group.masterKey, revision: -1, title: '', members: [], isMember: true });
    }
    if (effects.entry) inbox.insertEntry(this.withKnownNumbers(effects.entry.value), effects.entry.attachments);
  }

  private learnSender(sender: ContentEffects['sender']): void {
    const { recipients } = this.store;
    if (sender.e164 || sender.profileKey || !recipients.byAci(sender.aci)) {
      recipients.upsertRecipient({ aci: sender.aci, e164: sender.e164 ?? undefined, profileKey: sender.profileKey ?? undefined });
    }
  }

  /** The phone numbers the envelope did not carry (a sender's, a target author's, a mentioned or addressed account's), from what the account knows. */
  private withKnownNumbers(value: EntryValue): InboxRecord {
    const self = this.self();
    const numberOf = (aci: string | null, given: string | null = null): string | null => {
      if (given || !aci) return given;
      return this.store.recipients.byAci(aci)?.e164 ?? (aci === self.aci ? self.e164 : null);
    };
    const party = (p: Party): Party => ({ aci: p.aci, e164: numberOf(p.aci, p.e164) });
    const sender = party(value.sender);
    switch (value.kind) {
      case 'receipt':
      case 'typing':
      case 'call':
      case 'story':
      case 'unsupported':
        return { ...value, sender };
      case 'groupChange': {
        const parties = (list: Party[]) => list.map(party);
        return {
          ...value,
          sender,
          destination: value.destination && party(value.destination),
          editor: value.editor && party(value.editor),
          membersAdded: parties(value.membersAdded),
          membersRemoved: parties(value.membersRemoved),
          membersInvited: parties(value.membersInvited),
          invitationsRevoked: parties(value.invitationsRevoked),
          membersJoined: parties(value.membersJoined),
          roles: value.roles.map((r) => ({ ...r, member: party(r.member) })),
        };
      }
      case 'readSync':
        return { ...value, sender, messages: value.messages.map((m) => ({ ...m, author: party(m.author) })) };
      case 'remoteDelete':
      case 'timerChange':
      case 'payment':
        return { ...value, sender, destination: value.destination && party(value.destination) };
      case 'message':
      case 'edit': {
        const { reaction, quote } = value;
        return {
          ...value,
          sender,
          destination: value.destination && party(value.destination),
          reaction: reaction && { ...reaction, targetAuthor: { aci: reaction.targetAuthor.aci, e164: numberOf(reaction.targetAuthor.aci, reaction.targetAuthor.e164) } },
          quote: quote && { ...quote, targetAuthor: { aci: quote.targetAuthor.aci, e164: numberOf(quote.targetAuthor.aci, quote.targetAuthor.e164) } },
          mentions: value.mentions.map((m) => ({ ...m, mentioned: party(m.mentioned) })),
        };
      }
      default:
        return unhandledKind(value);
    }
  }
}
