// Group commit on receive: the envelopes of one burst are decrypted one after another over one
// protocol batch — each reads the ratchet state the ones before it wrote — and then committed in one
// transaction (one fsync), before any of them is acknowledged. A batch holds one identity's stores
// (ACI or PNI), so an envelope for the other identity starts a new group.
import type { ProtocolBatch } from '../store/protocolStores.js';
import type { ContentEffects } from './contentInterpreter.js';
import type { RecordedEnvelope } from './receiveRecorder.js';

export type IdentityKind = 'aci' | 'pni';

/** The protocol stores a group decrypts over; their writes commit together with the outcomes, or not at all. */
export type ReceiveBatch = Pick<ProtocolBatch, 'stores' | 'commit' | 'savepoint'>;

/** Commits the outcomes of a group with its batch's ratchet state (receiveRecorder.ts). */
export interface EnvelopeRecorder {
  hasSeen(envelopeId: string): boolean;
  commitAll(batch: Pick<ReceiveBatch, 'commit'>, records: readonly RecordedEnvelope[]): void;
}

/** An envelope as it came from the server, until it is acknowledged or given up. */
export interface Arrival {
  bytes: Uint8Array;
  ack: () => void;
  /** Acknowledged, or left for redelivery: a retry of its group skips it. */
  settled: boolean;
  /** When the server says it delivered the envelope (the chat listener's timestamp; 0 if unknown). */
  deliveredTimestamp?: number;
}

/** What one envelope leaves for its group: an outcome to commit (none: only acknowledge it after the commit). */
export interface GroupMember {
  arrival: Arrival;
  record: RecordedEnvelope | null;
  effects: ContentEffects | null;
  envelopeType: number;
}

export class ReceiveGroup {
  private batch: ReceiveBatch | null = null;
  private kind: IdentityKind | null = null;
  private readonly members: GroupMember[] = [];
  private readonly ids = new Set<string>();

  constructor(
    private readonly openBatch: (kind: IdentityKind) => ReceiveBatch,
    private readonly recorder: EnvelopeRecorder,
  ) {}

  get size(): number {
    return this.members.length;
  }

  /** False when the group already decrypts for the other identity: commit it first. */
  accepts(kind: IdentityKind): boolean {
    return this.kind === null || this.kind === kind;
  }

  /** The batch this group's envelopes decrypt over (`accepts(kind)` must hold). */
  batchFor(kind: IdentityKind): ReceiveBatch {
    if (!this.accepts(kind)) throw new Error(`a receive group for ${this.kind} cannot take an envelope for ${kind}`);
    this.kind = kind;
    this.batch ??= this.openBatch(kind);
    return this.batch;
  }

  /** An envelope id recorded in this group, not yet committed: a second copy is acknowledged after the commit. */
  holds(envelopeId: string): boolean {
    return this.ids.has(envelopeId);
  }

  add(member: GroupMember): void {
    this.members.push(member);
    if (member.record) this.ids.add(member.record.envelopeId);
  }

  /**
   * One transaction for every member's ratchet state and outcome; then, in arrival order, each is
   * acknowledged and handed to `after`. A commit that throws acknowledges nothing.
   */
  commit(after: (member: GroupMember) => void): void {
    const records = this.members.flatMap((m) => (m.record ? [m.record] : []));
    if (records.length > 0) this.recorder.commitAll(this.batch ?? this.openBatch(this.kind ?? 'aci'), records);
    for (const member of this.members) {
      member.arrival.settled = true;
      member.arrival.ack();
      after(member);
    }
  }
}
