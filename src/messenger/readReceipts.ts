// The `--send-read-receipts` policy: once a client has taken messages (their lease settled, so the
// entries are gone from the inbox), their senders learn they were read, as Signal apps do when a
// person opens a conversation. Only what someone else sent to this account; one receipt per sender
// for a lease. A receipt that cannot be sent is logged and dropped: the messages are the client's.
import type { Log } from '../util/log.js';
import type { InboxLease } from './api.js';
import type { InboxEntry } from './inboxEntry.js';

export function readReceiptTargets(entries: readonly InboxEntry[], localAci: string): Map<string, number[]> {
  const bySender = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.kind !== 'message' && entry.kind !== 'edit') continue;
    if (entry.sentByThisAccount || entry.sender.aci === localAci || entry.reaction) continue;
    const timestamps = bySender.get(entry.sender.aci) ?? [];
    timestamps.push(entry.timestamp);
    bySender.set(entry.sender.aci, timestamps);
  }
  return bySender;
}

export class ReadReceipts {
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: { localAci: () => string; send: (aci: string, timestamps: number[]) => Promise<unknown>; log: Log }) {}

  /** The lease, whose commit also sends read receipts for what it held. */
  onCommit(lease: InboxLease): InboxLease {
    return {
      ...lease,
      commit: () => {
        lease.commit();
        if (!this.stopped) this.send(lease.entries);
      },
    };
  }

  /** No new receipts; resolves when those under way have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private send(entries: readonly InboxEntry[]): void {
    for (const [aci, timestamps] of readReceiptTargets(entries, this.deps.localAci())) {
      const sending: Promise<void> = this.deps
        .send(aci, timestamps)
        .then(
          () => undefined,
          (err: unknown) => this.deps.log(`read receipt to ${aci} not sent: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }
}
