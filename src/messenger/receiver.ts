// The receive pipeline for one account: decrypt each envelope, turn it into an inbox entry, and
// commit entry, ratchet state and envelope id in one transaction (receiveRecorder.ts) — only then
// ack the server. A full
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
import { serviceIdFromBinary } from './serviceIds.js';

/** Commits an envelope's outcome with the batch's ratchet state (receiveRecorder.ts). */
export interface EnvelopeRecorder {
  hasSeen(envelopeId: string): boolean;
  commit(batch: ReceiveBatch, envelopeId: string, outcome: ReceiveOutcome): void;
}

/** The protocol stores for one envelope; their writes commit together with the outcome, or not at all. */
export type ReceiveBatch = Pick<ProtocolBatch, 'stores' | 'commit' | 'discard'>;

export type DecryptFn = (envelope: EnvelopeInput, local: LocalIdentity, stores: ProtocolBatch['stores']) => Promise<DecryptedEnvelope>;

export interface ReceiverDeps {
  recorder: EnvelopeRecorder;
  openBatch(kind: 'aci' | 'pni'): ReceiveBatch;
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

export class Receiver {
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Set while an envelope waits for disk space: ends that wait early. */
  private wakeRetry: (() => void) | null = null;

  constructor(private readonly deps: ReceiverDeps) {}

  /** Called from the chat listener, which is synchronous: envelopes are queued and handled in order. */
  enqueue(envelope: Uint8Array, ack: () => void, deliveredTimestamp = 0): void {
    this.chain = this.chain.then(() => this.handleOnceStored(envelope, ack, deliveredTimestamp)).catch((err: unknown) => {
      // Not acked: the server redelivers it on the next connection.
      this.deps.log(`receive: envelope left for redelivery: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** Resolves when every envelope queued so far has been handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Space was freed (an inbox delete): an envelope waiting for it tries again now. */
  retryNow(): void {
    this.wakeRetry?.();
  }

  /** Ends a wait for disk space: the waiting envelope stays with the server, for the next start. */
  stop(): void {
    this.stopped = true;
    this.wakeRetry?.();
  }

  /**
   * On a full disk the envelope is not acked and is tried again until its commit holds; the ones
   * after it wait their turn (the server keeps them all), so order and exactly-once stay as usual.
   * Each attempt starts from the committed state: a failed commit changed nothing.
   */
  private async handleOnceStored(bytes: Uint8Array, ack: () => void, deliveredTimestamp: number): Promise<void> {
    let paused = false;
    for (;;) {
      try {
        await this.handle(bytes, ack, deliveredTimestamp);
        if (paused) this.deps.log('receive: resumed: disk space is available again');
        return;
      } catch (err) {
        if (!(err instanceof DiskFullError) || this.stopped) throw err;
        if (!paused) {
          paused = true;
          this.deps.log(`receive: paused: ${err.message}; the server keeps the messages until they are stored; retrying every ${DISK_FULL_RETRY_MS / 1000} s`);
        }
        await this.waitForSpace();
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

  private decrypt(envelope: EnvelopeInput, local: LocalIdentity, stores: ProtocolBatch['stores']): Promise<DecryptedEnvelope> {
    return this.deps.decrypt ? this.deps.decrypt(envelope, local, stores) : decryptEnvelope(envelope, local, stores, this.deps.trustRoots);
  }

  private async handle(bytes: Uint8Array, ack: () => void, deliveredTimestamp: number): Promise<void> {
    const hash = createHash('sha256').update(bytes).digest('base64');
    let env: Envelope;
    try {
      env = decodeEnvelope(bytes);
    } catch (err) {
      // Redelivering an envelope we cannot even parse would never end: record it and ack.
      const failure = receiveFailure('unparseable', null, `received an envelope that is not valid: ${describe(err)}`);
      this.deps.recorder.commit(this.deps.openBatch('aci'), hash, { kind: 'failed', failure });
      ack();
      this.deps.afterCommit(null, 0);
      return;
    }
    // The server's GUID names a redelivery even if it re-encodes the envelope; the mock sends none.
    const id = env.serverGuid || hash;
    if (this.deps.recorder.hasSeen(id)) {
      ack();
      return;
    }
    if (env.type === EnvelopeType.SERVER_DELIVERY_RECEIPT || !env.content || env.content.length === 0) {
      ack();
      return;
    }
    const destination = env.destinationServiceIdBinary?.length
      ? serviceIdFromBinary(env.destinationServiceIdBinary)
      : (env.destinationServiceId ?? this.deps.local.aci);
    const kind = destination.startsWith('PNI:') ? 'pni' : 'aci';
    const local: LocalIdentity = {
      serviceId: kind === 'pni' && this.deps.local.pni ? `PNI:${this.deps.local.pni}` : this.deps.local.aci,
      e164: this.deps.local.e164,
      deviceId: this.deps.local.deviceId,
    };
    const source = env.sourceServiceIdBinary?.length ? serviceIdFromBinary(env.sourceServiceIdBinary) : (env.sourceServiceId ?? null);

    const { recorder } = this.deps;
    const effects = await this.deps.protocolLock.run(async () => {
      const batch = this.deps.openBatch(kind);
      let decrypted: DecryptedEnvelope;
      try {
        decrypted = await this.decrypt(
          { type: env.type ?? 0, sourceServiceId: source, sourceDevice: env.sourceDevice ?? 1, content: env.content!, serverTimestamp: env.serverTimestamp ?? 0 },
          local,
          batch.stores,
        );
      } catch (err) {
        batch.discard();
        if (err instanceof LibSignalErrorBase && err.code === ErrorCode.DuplicatedMessage) {
          // Already decrypted once (a redelivery after a crash between commit and ack).
          recorder.commit(this.deps.openBatch(kind), id, { kind: 'duplicate' });
          return null;
        }
        const failure = receiveFailure('undecryptable', source, `could not decrypt a message${source ? ` from ${source}` : ''}: ${describe(err)}`);
        this.deps.log(`receive: decryption failed: ${describe(err)}`);
        recorder.commit(this.deps.openBatch(kind), id, { kind: 'failed', failure });
        return null;
      }
      let effects: ContentEffects;
      try {
        const content = decodeContent(decrypted.content);
        effects = interpretContent(content, decrypted, { serverTimestamp: env.serverTimestamp ?? 0, clientTimestamp: env.clientTimestamp ?? 0, localAci: this.deps.local.aci, receiveStories: this.deps.receiveStories });
        if (effects.entry) {
          effects.entry.value.delivery = { senderDevice: decrypted.senderDevice, serverReceivedTimestamp: env.serverTimestamp ?? 0, serverDeliveredTimestamp: deliveredTimestamp };
        }
      } catch (err) {
        const failure = receiveFailure('unparseable', decrypted.senderAci, `could not parse a message from ${decrypted.senderAci}: ${describe(err)}`);
        recorder.commit(batch, id, { kind: 'failed', failure });
        return null;
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
      recorder.commit(batch, id, { kind: 'interpreted', effects });
      return effects;
    });
    ack();
    this.deps.afterCommit(effects, env.type ?? 0);
  }
}

function receiveFailure(failure: FailureKind, senderServiceId: string | null, reason: string): ReceiveFailure {
  return { kind: 'failure', failure, senderServiceId, reason };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
