// A chat connection that is kept open: reconnects with capped exponential backoff and jitter
// after any drop, and lets callers wait (briefly) for it instead of failing during a blip.
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';

/** Opens a connection; `abortSignal` cancels the attempt (pass it on to libsignal's connect). */
export type Connector<C extends ChatConnection> = (onInterrupted: (cause: Error | null) => void, abortSignal: AbortSignal) => Promise<C>;

export interface KeptConnectionOptions {
  name: string;
  log: (line: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * For an error after which retrying is pointless (e.g. the device was unlinked): what happened
   * and what to do, in words for the user. Null for errors worth retrying.
   */
  fatalReason?: (err: Error) => string | null;
  onConnected?: () => void;
}

const ON_DEMAND_RETRY_MS = 1_000;
/**
 * A connection must stay up this long before a drop starts the backoff over. One that the server
 * closes right after accepting it (refused credentials, an overloaded server) would otherwise be
 * retried every few hundred milliseconds forever.
 */
const STABLE_CONNECTION_MS = 1_000;

export class ConnectionUnavailableError extends Error {
  constructor(name: string, cause: Error | null) {
    super(`not connected to the Signal server (${name})${cause ? `: ${cause.message}` : ''}`);
    this.name = 'ConnectionUnavailableError';
  }
}

export class KeptConnection<C extends ChatConnection> {
  private current: C | null = null;
  private lastError: Error | null = null;
  private stopped = true;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private waiters: { resolve: (c: C) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private generation = 0;
  private lastAttemptAt = 0;
  private attemptInFlight: AbortController | null = null;
  private connectedAt = 0;

  constructor(
    private readonly connect: Connector<C>,
    private readonly options: KeptConnectionOptions,
  ) {}

  get connected(): boolean {
    return this.current !== null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.generation++;
    // libsignal holds a failing attempt back for its own cooldown (seconds, growing); left
    // running, it would keep a stopping daemon alive that long.
    this.attemptInFlight?.abort();
    const conn = this.current;
    this.current = null;
    this.failWaiters(new Error(`${this.options.name} connection closed`));
    await conn?.disconnect().catch(() => {});
  }

  /**
   * The open connection, waiting up to `waitMs` for a reconnect. Someone waiting is a reason to
   * try again now rather than at the end of a long backoff (at most once a second).
   */
  get(waitMs = 5_000): Promise<C> {
    if (this.current) return Promise.resolve(this.current);
    if (this.stopped) return Promise.reject(new ConnectionUnavailableError(this.options.name, this.lastError));
    if (this.retryTimer && Date.now() - this.lastAttemptAt > ON_DEMAND_RETRY_MS) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      void this.open();
    }
    return new Promise<C>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new ConnectionUnavailableError(this.options.name, this.lastError));
        }, waitMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Drops the current connection (e.g. after a request timed out) and reconnects. */
  reset(): void {
    const conn = this.current;
    if (!conn) return;
    this.dropped(this.generation, new Error('reset'));
    void conn.disconnect().catch(() => {});
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.lastAttemptAt = Date.now();
    const attempt = new AbortController();
    this.attemptInFlight = attempt;
    try {
      const conn = await this.connect((cause) => this.dropped(generation, cause), attempt.signal);
      if (this.stopped || generation !== this.generation) {
        await conn.disconnect().catch(() => {});
        return;
      }
      this.current = conn;
      this.connectedAt = Date.now();
      this.lastError = null;
      this.options.log(`${this.options.name}: connected`);
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.resolve(conn);
      }
      this.options.onConnected?.();
    } catch (err) {
      if (generation !== this.generation) return;
      const error = err instanceof Error ? err : new Error(String(err));
      this.lastError = error;
      const fatal = this.options.fatalReason?.(error);
      if (fatal) {
        // Callers from now on learn why nothing can be sent, not only that it cannot.
        this.lastError = new Error(fatal);
        this.options.log(`${this.options.name}: giving up (${error.message}): ${fatal}`);
        this.stopped = true;
        this.failWaiters(this.lastError);
        return;
      }
      this.scheduleRetry(error);
    } finally {
      if (this.attemptInFlight === attempt) this.attemptInFlight = null;
    }
  }

  private dropped(generation: number, cause: Error | null): void {
    if (generation !== this.generation || this.stopped) return;
    this.current = null;
    this.lastError = cause;
    this.generation++;
    if (Date.now() - this.connectedAt >= STABLE_CONNECTION_MS) this.attempt = 0;
    this.scheduleRetry(cause);
  }

  private scheduleRetry(cause: Error | null): void {
    if (this.stopped) return;
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** this.attempt);
    // Full jitter: many daemons that lost the same server must not come back in lockstep.
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempt++;
    this.options.log(`${this.options.name}: disconnected${cause ? ` (${cause.message})` : ''}; retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.open();
    }, delay);
  }

  private failWaiters(err: Error): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
