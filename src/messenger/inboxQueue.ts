// Hands received entries to `receive_messages` callers: each entry to one caller at a time,
// deleted only when that caller confirms its answer was written, returned to the queue otherwise.
import type { InboxRecord, OriginRecord } from '../store/inboxFormat.js';
import type { Log } from '../util/log.js';
import type { InboxLease } from './api.js';
import { unhandledKind, type AttachmentContent, type InboxEntry, type Origin, type ReceivedAttachment } from './inboxEntry.js';
import { partsWithImages } from './partImages.js';

export interface StoredInboxEntry {
  id: number;
  entry: InboxRecord;
  attachments: { content?: AttachmentContent | null; filename: string | null; contentType: string | null; size: number | null; error?: string | null }[];
}

export interface InboxSource {
  readyEntries(limit: number, excludeIds: Set<number>): StoredInboxEntry[];
  deleteEntries(ids: number[]): void;
}

/** Enough per answer to drain a backlog quickly, few enough that one answer stays a sane size. */
const MAX_ENTRIES_PER_LEASE = 100;
const MAX_BYTES_PER_LEASE = 64 * 1024 * 1024;
/** How often a delete that failed (a full disk) is tried again. */
export const DELETE_RETRY_MS = 2000;
/**
 * How long an answer in flight holds newer entries back. A client that never reads (or never
 * acks) would otherwise stall every other client for as long as its connection lives; after this,
 * newer entries go to others, and the held ones still come first if they come back.
 */
export const IN_FLIGHT_HOLD_MS = 10_000;

export interface InboxQueueOptions {
  log: Log;
  /** After entries were deleted: space was freed, a write waiting for it may try again. */
  afterDelete?: () => void;
  /** IN_FLIGHT_HOLD_MS unless given (tests). */
  inFlightHoldMs?: number;
}

export class InboxQueue {
  private readonly leased = new Set<number>();
  /** When each answer in flight was handed out; while one is younger than the hold, nothing newer goes out. */
  private readonly inFlightSince = new Set<{ since: number }>();
  /**
   * Entries a client has, whose delete failed (a full disk). They are never handed out again by
   * this process, and deleted as soon as a delete succeeds; only a restart before that repeats
   * them. Releasing them instead would repeat them at once, to the next caller.
   */
  private readonly undeleted = new Set<number>();
  private retryTimer: NodeJS.Timeout | null = null;
  private deleteFailing = false;
  private waiters = new Set<() => void>();
  /** True after a look found nothing ready and nothing changed since: skip the database then. */
  private knownEmpty = false;

  constructor(
    private readonly source: InboxSource,
    private readonly options: InboxQueueOptions,
  ) {}

  /** Wake waiting callers: call after new entries were committed or finished downloading. */
  notify(): void {
    this.knownEmpty = false;
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /**
   * A lease on the oldest ready entries, waiting up to `timeoutMs` for some. A `signal` aborted
   * before the call means "take what is ready, do not wait" (a client that stopped sending still
   * gets what was queued); one aborted during the wait ends it empty-handed.
   */
  async take(timeoutMs: number, signal?: AbortSignal): Promise<InboxLease> {
    const deadline = Date.now() + timeoutMs;
    const lease = this.tryLease();
    if (lease || signal?.aborted) return lease ?? this.emptyLease();
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.emptyLease();
      await this.waitForNotify(remaining, signal);
      if (signal?.aborted) return this.emptyLease();
      const lease = this.tryLease();
      if (lease) return lease;
    }
  }

  private waitForNotify(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }

  private tryLease(): InboxLease | null {
    // One answer in flight at a time: if it comes back (client gone, no ack), its messages must
    // still come before everything newer, so nothing newer may be handed out meanwhile — for a
    // while: an answer its client does not take off (or ack) stops holding the others back.
    if (this.knownEmpty || this.holdingBack()) return null;
    const rows = this.source.readyEntries(MAX_ENTRIES_PER_LEASE, this.leased.size > 0 ? new Set([...this.undeleted, ...this.leased]) : this.undeleted);
    if (rows.length === 0) {
      this.knownEmpty = true;
      return null;
    }
    const picked: StoredInboxEntry[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = row.attachments.reduce((n, a) => n + (a.content?.size ?? 0), 0);
      if (picked.length > 0 && bytes + size > MAX_BYTES_PER_LEASE) break;
      picked.push(row);
      bytes += size;
    }
    const ids = picked.map((r) => r.id);
    for (const id of ids) this.leased.add(id);
    const inFlight = { since: Date.now() };
    this.inFlightSince.add(inFlight);
    // Wakes waiting takers once this answer stops holding them back.
    const holdEnds = setTimeout(() => this.notify(), this.holdMs());
    holdEnds.unref();
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(holdEnds);
      this.inFlightSince.delete(inFlight);
    };
    return {
      entries: picked.map(toInboxEntry),
      commit: () => {
        if (settled) return;
        settle();
        for (const id of ids) {
          this.leased.delete(id);
          this.undeleted.add(id);
        }
        this.deleteDelivered();
        this.notify();
      },
      release: () => {
        if (settled) return;
        settle();
        for (const id of ids) this.leased.delete(id);
        this.notify();
      },
    };
  }

  /**
   * Deletes every delivered entry not deleted yet. Called from a socket's write callback: it never
   * throws (a throw there would end the daemon). A failure keeps the entries out of every answer
   * and tries again later; a client gets them again only if the daemon restarts before then.
   */
  private deleteDelivered(): void {
    if (this.undeleted.size === 0) return;
    const ids = [...this.undeleted];
    try {
      this.source.deleteEntries(ids);
    } catch (err) {
      if (!this.deleteFailing) {
        this.deleteFailing = true;
        this.options.log(`inbox: delivered messages could not be deleted (${describe(err)}); they are not handed out again, retrying every ${DELETE_RETRY_MS / 1000} s`);
      }
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.deleteDelivered();
      }, DELETE_RETRY_MS).unref();
      return;
    }
    for (const id of ids) this.undeleted.delete(id);
    if (this.deleteFailing) {
      this.deleteFailing = false;
      this.options.log(`inbox: the delivered messages are deleted now`);
    }
    this.options.afterDelete?.();
  }

  /** Stops the retry timer (the account stops); what was not deleted comes again after a restart. */
  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private holdMs(): number {
    return this.options.inFlightHoldMs ?? IN_FLIGHT_HOLD_MS;
  }

  /** Whether an answer in flight is young enough that nothing newer may go out yet. */
  private holdingBack(): boolean {
    const since = Date.now() - this.holdMs();
    for (const inFlight of this.inFlightSince) if (inFlight.since > since) return true;
    return false;
  }

  private emptyLease(): InboxLease {
    return { entries: [], commit: () => {}, release: () => {} };
  }
}

function toInboxEntry(row: StoredInboxEntry): InboxEntry {
  const record = row.entry;
  switch (record.kind) {
    case 'failure':
    case 'receipt':
    case 'readSync':
    case 'typing':
    case 'call':
    case 'unsupported':
      return record;
    case 'remoteDelete':
    case 'timerChange':
    case 'groupChange':
    case 'payment':
      return { ...record, ...originDefaults(record) };
    case 'story':
      return { ...record, attachments: row.attachments.map(receivedAttachment) };
    case 'message':
    case 'edit':
      return {
        ...record,
        ...originDefaults(record),
        quote: record.quote ?? null,
        mentions: record.mentions ?? [],
        textStyles: record.textStyles ?? [],
        expiresInSeconds: record.expiresInSeconds ?? 0,
        ...partsWithImages(record, row.attachments.map(receivedAttachment)),
      };
    default:
      return unhandledKind(record);
  }
}

function receivedAttachment(a: StoredInboxEntry['attachments'][number]): ReceivedAttachment {
  return { content: a.content ?? null, filename: a.filename, contentType: a.contentType, size: a.size, error: a.error ?? null };
}

/** Entries stored before sync transcripts were kept lack these: they were all sent to this account. */
function originDefaults(record: OriginRecord): Pick<Origin, 'sentByThisAccount' | 'destination'> {
  return { sentByThisAccount: record.sentByThisAccount ?? false, destination: record.destination ?? null };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
