// The sync copies of what this account sent (sent transcripts, read syncs), sent to its own devices
// after the send was answered: the copy is recorded in the store first (pendingSync.ts) — in the
// send's own commit where it can — then sent in the background, oldest first, and its row deleted
// once the server accepted it. Rows left by a crash are sent after the restart: at least once.
import type { PendingSyncCopies, PendingSyncCopy } from '../store/pendingSync.js';
import type { Log } from '../util/log.js';
import { holdSyncCopiesForTest } from './testHoldSyncCopies.js';

export interface SyncCopiesDeps {
  pending: Pick<PendingSyncCopies, 'add' | 'all' | 'remove'>;
  /** Runs `fn` in one store transaction. */
  transaction(fn: () => void): void;
  /** Sends a Content to the account's other devices; `alsoCommit` runs in its ratchet commit. */
  deliver(content: Uint8Array, timestamp: number, alsoCommit: () => void): Promise<unknown>;
  log: Log;
}

/** A failed copy (network down) is tried again after this, then twice as long, up to the maximum. */
const RETRY_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
/**
 * Rows of accepted copies are deleted in the next copy's commit; after this long without one, in a
 * commit of their own (a crash before that resends them: the copy is at least once, never lost).
 */
const FORGET_IDLE_MS = 1_000;

export class SyncCopies {
  private readonly queue: PendingSyncCopy[] = [];
  /** Accepted by the server, rows not yet deleted. */
  private accepted: number[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MS;
  private stopped = false;

  constructor(private readonly deps: SyncCopiesDeps) {}

  /** Records a copy in the caller's open transaction (the send's commit); `sent` queues it once that commit held. */
  recordInTransaction(timestamp: number, content: Uint8Array): PendingSyncCopy {
    return { id: this.deps.pending.add(timestamp, content), timestamp, content };
  }

  /** Records a copy in a commit of its own: durable when this returns, so the caller may answer. */
  record(timestamp: number, content: Uint8Array): void {
    let copy: PendingSyncCopy | null = null;
    this.deps.transaction(() => {
      copy = this.recordInTransaction(timestamp, content);
    });
    this.send(copy!);
  }

  /** Queues a recorded copy for sending. */
  send(copy: PendingSyncCopy): void {
    this.queue.push(copy);
    this.kick();
  }

  /** A recorded copy that is not owed after all (its message was not sent): deleted in the caller's transaction. */
  forgetInTransaction(copy: PendingSyncCopy): void {
    this.deps.pending.remove([copy.id]);
  }

  /** After a start: the copies a crash or a stop left unsent. */
  resume(): void {
    const queued = new Set(this.queue.map((c) => c.id));
    const left = this.deps.pending.all().filter((c) => !queued.has(c.id));
    if (left.length === 0) return;
    this.deps.log(`sync copies: sending ${left.length} left from before the restart`);
    this.queue.unshift(...left);
    this.kick();
  }

  /** Resolves when every copy queued so far was sent or failed (for tests and an orderly stop). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Before the account stops (while its connections are still open): gives the copies under way
   * `graceMs` to go out — a one-shot CLI send should not leave its copy for the next start — then
   * forgets the accepted ones. What is left stays recorded for the next start.
   */
  async close(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
    if (this.accepted.length > 0) this.forgetAccepted();
  }

  private kick(): void {
    if (this.stopped || this.running || holdSyncCopiesForTest(this.deps.log, this.queue.length)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // From the next turn of the event loop: the answer to the send that queued this copy is still
    // corked in its socket until the end of this turn (socket/connection.ts coalesces writes), and the
    // copy's commit blocks the thread for an fsync; started at once it held that answer back by it.
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .finally(() => {
        this.running = null;
        this.afterRun();
      });
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const copy = this.queue[0];
      const forget = this.accepted;
      let forgotten = false;
      try {
        await this.deps.deliver(copy.content, copy.timestamp, () => {
          this.deps.pending.remove(forget);
          forgotten = true;
        });
      } catch (err) {
        if (forgotten) this.accepted = this.accepted.filter((id) => !forget.includes(id));
        this.deps.log(`sync copy not sent, tried again in ${this.retryMs / 1000} s: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      this.queue.shift();
      this.retryMs = RETRY_MS;
      this.accepted = [...(forgotten ? this.accepted.filter((id) => !forget.includes(id)) : this.accepted), copy.id];
    }
  }

  private afterRun(): void {
    if (this.stopped) return;
    if (this.queue.length > 0) {
      // The last attempt failed: try again later, waiting longer each time.
      this.timer = setTimeout(() => this.kick(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      return;
    }
    if (this.accepted.length > 0) this.timer = setTimeout(() => this.forgetAccepted(), FORGET_IDLE_MS).unref();
  }

  private forgetAccepted(): void {
    this.timer = null;
    const forget = this.accepted;
    try {
      this.deps.transaction(() => this.deps.pending.remove(forget));
      this.accepted = this.accepted.filter((id) => !forget.includes(id));
    } catch (err) {
      // Left in the store: sent again after a restart, which is harmless.
      this.deps.log(`sync copies: could not forget sent copies: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
