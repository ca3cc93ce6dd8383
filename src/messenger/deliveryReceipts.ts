// Delivery receipts for what arrives, as every Signal app sends them: once a data message from
// someone else (a message, an edit, a remote delete, a timer change, a group change, a payment, or one sigsock cannot show) is
// stored, so it cannot be lost, its sender's app learns it was delivered ("✓✓"). Receipts for one
// sender stored in the same turn of the event loop go in one ReceiptMessage, as Signal apps batch
// them. A receipt that cannot be sent is logged and dropped: the message itself is safe.
import type { Log } from '../util/log.js';
import type { ContentEffects } from './contentInterpreter.js';

const DATA_MESSAGE_KINDS = new Set(['message', 'edit', 'remoteDelete', 'timerChange', 'groupChange', 'payment']);
const UNSHOWN_DATA_MESSAGES = new Set(['dataMessage', 'paymentActivation', 'groupCallUpdate', 'giftBadge']);

export class DeliveryReceipts {
  private readonly pending = new Map<string, number[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private flushScheduled = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      send: (senderAci: string, timestamps: number[]) => Promise<unknown>;
      localAci: () => string;
      log: Log;
    },
  ) {}

  /** Called after each receive commit with what the envelope held. */
  stored(effects: ContentEffects | null): void {
    const value = effects?.entry?.value;
    if (!value || this.stopped) return;
    const isData = DATA_MESSAGE_KINDS.has(value.kind) || (value.kind === 'unsupported' && UNSHOWN_DATA_MESSAGES.has(value.contentKind));
    if (!isData || value.sender.aci === this.deps.localAci()) return;
    const timestamps = this.pending.get(value.sender.aci) ?? [];
    timestamps.push(value.timestamp);
    this.pending.set(value.sender.aci, timestamps);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** No new receipts; resolves when those under way have settled (call once the connections are closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.stopped) return;
    for (const [aci, timestamps] of this.pending) {
      const sending: Promise<void> = this.deps
        .send(aci, timestamps)
        .then(
          () => undefined,
          (err: unknown) => this.deps.log(`delivery receipt to ${aci} not sent: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    this.pending.clear();
  }
}
