// Receiving with acknowledgement (an extension of the seed socket and of JSON-RPC): the answer or
// notification carries an `ackId` and the messages stay leased until the client acknowledges it
// (`{command:'ack', ackId}`, JSON-RPC's `ack` method) — so a client that dies after the kernel took
// the bytes but before it processed them gets the messages again, instead of losing them. Leases
// not acknowledged when the connection closes go back. One per connection, for every front-end.
import { randomUUID } from 'node:crypto';
import type { InboxLease } from './api.js';

export class PendingAcks {
  private readonly leases = new Map<string, InboxLease>();
  private closed = false;

  /** Keeps `lease` until acknowledged; once the connection is gone it goes straight back. */
  hold(lease: InboxLease): string {
    const id = randomUUID();
    // An answer that was being prepared while the client left must not strand its lease.
    if (this.closed) lease.release();
    else this.leases.set(id, lease);
    return id;
  }

  /** Commits the lease; false when the id is unknown (wrong, already acknowledged, or from another connection). */
  acknowledge(id: string): boolean {
    const lease = this.leases.get(id);
    if (!lease) return false;
    this.leases.delete(id);
    lease.commit();
    return true;
  }

  /** The answer carrying `id` never reached the client: its lease goes back at once. */
  giveBack(id: string): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    this.leases.delete(id);
    lease.release();
  }

  /** The connection is gone: every unacknowledged lease goes back, and so will any held later. */
  releaseAll(): void {
    this.closed = true;
    for (const lease of this.leases.values()) lease.release();
    this.leases.clear();
  }
}
