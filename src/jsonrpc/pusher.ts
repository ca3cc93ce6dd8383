// A subscription's push loop: lease the oldest entries of the inbox, write them to the client as
// `receive` notifications, and let the lease rule settle them: deleted once the write completed,
// given back (for this or another client) when it did not. One lease at a time, so a client that
// does not read holds up at most one batch, and entries keep their order.
import type { InboxLease } from '../messenger/api.js';
import type { InboxEntry } from '../messenger/inboxEntry.js';
import { deliverLease } from '../messenger/leaseDelivery.js';
import type { PendingAcks } from '../messenger/pendingAcks.js';

export interface PusherDeps {
  /** The engine's inbox: a lease on what is ready, waiting up to `timeoutMs`. */
  take(timeoutMs: number, signal: AbortSignal): Promise<InboxLease>;
  /**
   * The notification lines for these entries, naming `ackId` when the client acknowledges.
   * Throws when they cannot be encoded (e.g. disk full).
   */
  encode(entries: InboxEntry[], ackId?: string): string;
  /** The client's pending acknowledgements once it opted in (the ack extension); null until then. */
  acks?(): PendingAcks | null;
  /** Resolves true once the client's stream took the text whole while the client was still there. */
  write(text: string): Promise<boolean>;
  log(line: string): void;
}

/** How long one wait for entries lasts before it is started again. */
const WAIT_MS = 60_000;
/** After a failure to take or encode, the pause before the next try. */
const RETRY_MS = 2000;

export class Pusher {
  private readonly abort = new AbortController();
  readonly finished: Promise<void>;

  constructor(private readonly deps: PusherDeps) {
    this.finished = this.run();
  }

  /** Stops waiting for entries; a write in flight still settles its lease by its outcome. */
  stop(): void {
    this.abort.abort();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let lease: InboxLease;
      try {
        lease = await this.deps.take(WAIT_MS, this.abort.signal);
      } catch (err) {
        this.deps.log(`jsonrpc: taking messages from the inbox failed: ${describe(err)}`);
        await this.pause();
        continue;
      }
      if (lease.entries.length === 0 || this.stopped) {
        lease.release();
        continue;
      }
      const acks = this.deps.acks?.() ?? null;
      // With acknowledgements, a written batch stays leased until the client acks it: the next
      // take waits for that (the inbox leases one batch at a time), so order holds.
      const ackId = acks?.hold(lease);
      let text: string;
      try {
        text = this.deps.encode(lease.entries, ackId);
      } catch (err) {
        if (ackId === undefined) lease.release();
        else acks!.giveBack(ackId);
        this.deps.log(`jsonrpc: could not prepare messages for a client (they stay queued): ${describe(err)}`);
        await this.pause();
        continue;
      }
      if (ackId !== undefined) {
        const written = await this.deps.write(text).catch(() => false);
        if (!written) {
          acks!.giveBack(ackId);
          return;
        }
        continue;
      }
      if (!(await deliverLease(lease, () => this.deps.write(text)))) return;
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, RETRY_MS);
      this.abort.signal.addEventListener('abort', done);
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
