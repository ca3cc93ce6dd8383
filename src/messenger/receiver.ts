// The receive pipeline for one account: decrypt each envelope, turn it into an inbox entry, and
// commit entry, ratchet state and envelope id in one transaction (receiveRecorder.ts) — only then
// ack the server. Envelopes that arrive in a burst share that transaction (receiveGroup.ts). A full
// disk pauses it: nothing is acked, so the server keeps every message, until a commit holds again.
import { createHash } from 'node:crypto';
import {
  ErrorCode,
  LibSignalErrorBase,
  ProtocolAddress,
  SenderKeyDistributionMessage,
  processSenderKeyDistributionMessage,
  type PublicKey,
} from '@signalapp/libsignal-client';
import { decodeContent, decodeEnvelope, type Envelope } from '../proto/index.js';
import type { Log } from '../util/log.js';
import type { Mutex } from '../util/mutex.js';
import { DiskFullError } from '../store/diskFull.js';
import type { ProtocolBatch } from '../store/protocolStores.js';
import { EnvelopeType, decryptEnvelope, type DecryptedEnvelope, type EnvelopeInput, type LocalIdentity } from './envelopeDecryptor.js';
import { interpretContent, type ContentEffects } from './contentInterpreter.js';
import { archiveSession } from './endSession.js';
import type { FailureKind, ReceiveFailure } from './inboxEntry.js';
import type { ReceiveOutcome } from './receiveRecorder.js';
import { ReceiveGroup, type Arrival, type EnvelopeRecorder, type GroupMember, type IdentityKind, type ReceiveBatch } from './receiveGroup.js';
import { serviceIdFromBinary } from './serviceIds.js';

export type { EnvelopeRecorder, ReceiveBatch } from './receiveGroup.js';

export type DecryptFn = (envelope: EnvelopeInput, local: LocalIdentity, stores: ProtocolBatch['stores']) => Promise<DecryptedEnvelope>;

export interface ReceiverDeps {
  recorder: EnvelopeRecorder;
  openBatch(kind: IdentityKind): ReceiveBatch;
  protocolLock: Mutex;
  local: { aci: string; pni: string | null; e164: string | null; deviceId: number };
  /** Signal's trust roots, for sealed-sender certificates (with the default `decrypt`). */
  trustRoots: PublicKey[];
  /** Replaceable for tests: libsignal's decryption over the batch's stores by default. */
  decrypt?: DecryptFn;
  log: Log;
  /** Before each commit: drops what must not reach the queue (blocked senders, blockFilter.ts). */
  screen?(effects: ContentEffects): ContentEffects;
  /** Stories become entries only when asked for. */
  receiveStories?: boolean;
  /** After each commit: wake `receive_messages` waiters, start attachment downloads, etc. */
  afterCommit(effects: ContentEffects | null, envelopeType: number): void;
}
/** While the disk is full, how often the waiting envelope is tried again (sooner when space was freed). */
export const DISK_FULL_RETRY_MS = 2000;
/**
 * At most this many envelopes share a commit: the protocol lock (which sends wait for) is held
 * while they are decrypted (~0.2 ms each here), and none is acknowledged before the commit.
 * On a lightly loaded machine 128 rather than 64 drained a backlog of 1,000 at 0.75–0.87 of the
 * bench's floor instead of 0.50–0.66, and 256 no faster; under heavy load neither showed a
 * difference (docs/benchmarks.md, "Round two").
 */
export const RECEIVE_GROUP_MAX = 128;

/** An envelope read far enough to know where it goes; `null` from `inspect`: nothing to record. */
type Inspected =
  | { kind: 'unparseable'; id: string; failure: ReceiveFailure }
  | { kind: 'envelope'; id: string; env: Envelope; identity: IdentityKind; source: string | null };

export class Receiver {
  /** Arrived and not yet taken into a group, in arrival order. */
  private readonly queue: Arrival[] = [];
  private draining: Promise<void> | null = null;
  private stopped = false;
  /** Set while envelopes wait for disk space: ends that wait early. */
  private wakeRetry: (() => void) | null = null;

  constructor(private readonly deps: ReceiverDeps) {}

  /**
   * Called from the chat listener, which is synchronous: envelopes are queued and handled in order.
   * Whatever arrived while the previous group was decrypted and committed forms the next group.
   */
  enqueue(envelope: Uint8Array, ack: () => void, deliveredTimestamp = 0): void {
    this.queue.push({ bytes: envelope, ack, settled: false, deliveredTimestamp });
    this.draining ??= this.drain();
  }

  /** Resolves when every envelope queued so far has been handled. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Space was freed (an inbox delete): envelopes waiting for it try again now. */
  retryNow(): void {
    this.wakeRetry?.();
  }

  /** Ends a wait for disk space: the waiting envelopes stay with the server, for the next start. */
  stop(): void {
    this.stopped = true;
    this.wakeRetry?.();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const arrivals = this.queue.splice(0, RECEIVE_GROUP_MAX);
      // Checked and cleared in one step, so an envelope queued now starts a new drain.
      if (arrivals.length === 0) {
        this.draining = null;
        return;
      }
      try {
        await this.handleOnceStored(arrivals);
      } catch (err) {
        // Not acked: the server redelivers them on the next connection.
        for (const arrival of arrivals) if (!arrival.settled) this.leftForRedelivery(arrival, err);
      }
    }
  }

  private leftForRedelivery(arrival: Arrival, err: unknown): void {
    arrival.settled = true;
    this.deps.log(`receive: envelope left for redelivery: ${describe(err)}`);
  }

  /**
   * On a full disk nothing is acked and the envelopes are tried again until their commit holds; the
   * ones after them wait their turn (the server keeps them all), so order and exactly-once stay as usual.
   * Each attempt starts from the committed state: a failed commit changed nothing. A shared commit
   * that fails for another reason is redone one envelope per commit, so one bad envelope costs only itself.
   */
  private async handleOnceStored(arrivals: Arrival[]): Promise<void> {
    let paused = false;
    let oneByOne = false;
    for (;;) {
      try {
        await this.handleArrivals(arrivals, oneByOne);
        if (paused) this.deps.log('receive: resumed: disk space is available again');
        return;
      } catch (err) {
        if (err instanceof DiskFullError && !this.stopped) {
          if (!paused) {
            paused = true;
            this.deps.log(`receive: paused: ${err.message}; the server keeps the messages until they are stored; retrying every ${DISK_FULL_RETRY_MS / 1000} s`);
          }
          await this.waitForSpace();
        } else if (!oneByOne && !(err instanceof DiskFullError)) {
          oneByOne = true;
        } else {
          throw err;
        }
      }
    }
  }

  private waitForSpace(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeRetry = null;
        resolve();
      };
      const timer = setTimeout(wake, DISK_FULL_RETRY_MS);
      this.wakeRetry = wake;
    });
  }

  /** Decrypts the unsettled arrivals in order into groups and commits each; `oneByOne`: a group per envelope. */
  private async handleArrivals(arrivals: Arrival[], oneByOne: boolean): Promise<void> {
    await this.deps.protocolLock.run(async () => {
      let group = this.newGroup();
      const commit = () => {
        if (group.size > 0) group.commit((m) => this.deps.afterCommit(m.effects, m.envelopeType));
        group = this.newGroup();
      };
      const place = async (arrival: Arrival) => {
        const inspected = this.inspect(arrival);
        if (!inspected) return;
        if (inspected.kind === 'envelope' && !group.accepts(inspected.identity)) commit();
        if (group.holds(inspected.id)) {
          // A second copy of an envelope in this group: acknowledged only once the first is committed.
          group.add({ arrival, record: null, effects: null, envelopeType: 0 });
          return;
        }
        group.add(await this.recordEnvelope(arrival, inspected, group));
      };
      for (const arrival of arrivals) {
        if (arrival.settled) continue;
        if (!oneByOne) {
          await place(arrival);
          continue;
        }
        try {
          await place(arrival);
          commit();
        } catch (err) {
          if (err instanceof DiskFullError) throw err;
          group = this.newGroup();
          this.leftForRedelivery(arrival, err);
        }
      }
      commit();
    });
  }

  private newGroup(): ReceiveGroup {
    return new ReceiveGroup((kind) => this.deps.openBatch(kind), this.deps.recorder);
  }

  private decrypt(envelope: EnvelopeInput, local: LocalIdentity, stores: ProtocolBatch['stores']): Promise<DecryptedEnvelope> {
    return this.deps.decrypt ? this.deps.decrypt(envelope, local, stores) : decryptEnvelope(envelope, local, stores, this.deps.trustRoots);
  }

  /** Reads the envelope's frame; one that needs no record (seen before, a server receipt) is acknowledged here. */
  private inspect(arrival: Arrival): Inspected | null {
    const { bytes } = arrival;
    const hash = createHash('sha256').update(bytes).digest('base64');
    let env: Envelope;
    try {
      env = decodeEnvelope(bytes);
    } catch (err) {
      // Redelivering an envelope we cannot even parse would never end: record it and ack.
      return { kind: 'unparseable', id: hash, failure: receiveFailure('unparseable', null, `received an envelope that is not valid: ${describe(err)}`) };
    }
    // The server's GUID names a redelivery even if it re-encodes the envelope; the mock sends none.
    const id = env.serverGuid || hash;
    const nothingToRecord = env.type === EnvelopeType.SERVER_DELIVERY_RECEIPT || !env.content || env.content.length === 0;
    if (nothingToRecord || this.deps.recorder.hasSeen(id)) {
      arrival.settled = true;
      arrival.ack();
      return null;
    }
    const destination = env.destinationServiceIdBinary?.length
      ? serviceIdFromBinary(env.destinationServiceIdBinary)
      : (env.destinationServiceId ?? this.deps.local.aci);
    const identity = destination.startsWith('PNI:') ? 'pni' : 'aci';
    const source = env.sourceServiceIdBinary?.length ? serviceIdFromBinary(env.sourceServiceIdBinary) : (env.sourceServiceId ?? null);
    return { kind: 'envelope', id, env, identity, source };
  }

  /**
   * Records one envelope into its group: decrypts it over the group's batch (seeing what the envelopes
   * before it wrote) and interprets it. A failure becomes its own outcome and undoes only its own writes.
   */
  private async recordEnvelope(arrival: Arrival, inspected: Inspected, group: ReceiveGroup): Promise<GroupMember> {
    const member = (outcome: ReceiveOutcome, effects: ContentEffects | null, envelopeType: number): GroupMember => ({
      arrival,
      record: { envelopeId: inspected.id, outcome },
      effects,
      envelopeType,
    });
    if (inspected.kind === 'unparseable') return member({ kind: 'failed', failure: inspected.failure }, null, 0);
    const { env, identity, source } = inspected;
    const envelopeType = env.type ?? 0;
    const local: LocalIdentity = {
      serviceId: identity === 'pni' && this.deps.local.pni ? `PNI:${this.deps.local.pni}` : this.deps.local.aci,
      e164: this.deps.local.e164,
      deviceId: this.deps.local.deviceId,
    };
    const batch = group.batchFor(identity);
    const undo = batch.savepoint();
    let decrypted: DecryptedEnvelope;
    try {
      decrypted = await this.decrypt(
        { type: envelopeType, sourceServiceId: source, sourceDevice: env.sourceDevice ?? 1, content: env.content!, serverTimestamp: env.serverTimestamp ?? 0 },
        local,
        batch.stores,
      );
    } catch (err) {
      undo();
      if (err instanceof LibSignalErrorBase && err.code === ErrorCode.DuplicatedMessage) {
        // Already decrypted once (a redelivery after a crash between commit and ack).
        return member({ kind: 'duplicate' }, null, envelopeType);
      }
      this.deps.log(`receive: decryption failed: ${describe(err)}`);
      const failure = receiveFailure('undecryptable', source, `could not decrypt a message${source ? ` from ${source}` : ''}: ${describe(err)}`);
      return member({ kind: 'failed', failure }, null, envelopeType);
    }
    let effects: ContentEffects;
    try {
      const content = decodeContent(decrypted.content);
      effects = interpretContent(content, decrypted, { serverTimestamp: env.serverTimestamp ?? 0, clientTimestamp: env.clientTimestamp ?? 0, localAci: this.deps.local.aci, receiveStories: this.deps.receiveStories });
      if (effects.entry) {
        effects.entry.value.delivery = { senderDevice: decrypted.senderDevice, serverReceivedTimestamp: env.serverTimestamp ?? 0, serverDeliveredTimestamp: arrival.deliveredTimestamp ?? 0 };
      }
    } catch (err) {
      const failure = receiveFailure('unparseable', decrypted.senderAci, `could not parse a message from ${decrypted.senderAci}: ${describe(err)}`);
      return member({ kind: 'failed', failure }, null, envelopeType);
    }
    if (effects.senderKeyDistribution) {
      // The sender's key for their group messages: stored in this batch, so it commits with the envelope.
      try {
        await processSenderKeyDistributionMessage(
          ProtocolAddress.new(decrypted.senderAci, decrypted.senderDevice),
          SenderKeyDistributionMessage.deserialize(new Uint8Array(effects.senderKeyDistribution)),
          batch.stores.senderKey,
        );
      } catch (err) {
        this.deps.log(`receive: a sender key distribution message from ${decrypted.senderAci} was not usable: ${describe(err)}`);
      }
    }
    if (effects.endSession) await archiveSession(batch.stores.session, decrypted, this.deps.log);
    if (this.deps.screen) effects = this.deps.screen(effects);
    return member({ kind: 'interpreted', effects }, effects, envelopeType);
  }
}

function receiveFailure(failure: FailureKind, senderServiceId: string | null, reason: string): ReceiveFailure {
  return { kind: 'failure', failure, senderServiceId, reason };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
