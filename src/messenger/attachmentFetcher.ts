// Downloads received attachments in the background, right after their message was committed,
// so `receive_messages` can answer with the bytes without waiting on the CDN. A download is
// decrypted as it arrives and written to an encrypted file of the inbox (store/inboxFiles.ts), so
// the blob is never in memory whole; the file is referenced only once it verified and is durable.
import { AttachmentDecryption } from '../signal/attachmentCrypto.js';
import { CdnStatusError, downloadBlob } from '../signal/cdn.js';
import { RequestTimeoutError, type HttpsClient } from '../signal/https.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import type { InboxFileRef } from '../store/inboxFiles.js';
import { decodeAttachmentPointer } from '../proto/index.js';
import type { Log } from '../util/log.js';

/** Where a download's plaintext goes as it is decrypted; `finish` once it verified, `discard` otherwise. */
export interface DownloadTarget<R> {
  write(chunk: Uint8Array): void;
  finish(): R;
  discard(): void;
}

export interface AttachmentSink {
  pendingAttachments(): { inboxId: number; idx: number; pointer: Uint8Array }[];
  /** A new inbox file; `finish` makes it durable and says how to find it. */
  createAttachmentFile(): DownloadTarget<InboxFileRef>;
  completeAttachment(inboxId: number, idx: number, result: InboxFileRef | { error: string }): void;
}

/**
 * Test hook (docs/reliability.md, "Attachment files"): with this variable set, the daemon writes a
 * downloaded attachment's file, says so on stderr, and never commits it, so a test can kill it in
 * exactly that window.
 */
const HOLD_COMMIT_FOR_TEST = 'SIGSOCK_TEST_HOLD_ATTACHMENT_COMMIT';

export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

export interface RetryPolicy {
  /**
   * How long a network failure (no DNS, refused, reset, timeout, HTTP 5xx/429) is retried before
   * the message is delivered with an `error` instead of the bytes. Messages are delivered in
   * order, so later ones wait meanwhile: a bounded wait, not forever.
   */
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { windowMs: 120_000, firstDelayMs: 1_000, maxDelayMs: 15_000 };

const TRANSIENT_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

/** The attachment's file could not be written for want of space: it waits for space, it is not failed. */
function isOutOfSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Worth another try later: the network or the CDN, not the attachment itself. */
function isTransient(err: unknown): boolean {
  if (err instanceof CdnStatusError) return err.status >= 500 || err.status === 429 || err.status === 408;
  if (err instanceof RequestTimeoutError) return true;
  // Node's own network errors (a "socket hang up" is ECONNRESET) carry their code.
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && TRANSIENT_CODES.has(code);
}

export class AttachmentFetcher {
  private running = false;
  private again = false;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();
  /** Cuts a retry wait short when the daemon stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly sink: AttachmentSink,
    private readonly config: ServerConfig,
    private readonly https: HttpsClient,
    private readonly log: Log,
    private readonly onComplete: () => void,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Starts (or re-runs) a pass over every pending attachment; cheap to call often. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.drain()
      .catch((err: unknown) => this.log(`attachment: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Lets a download in flight finish (its result is kept for the next start), starts no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.current;
  }

  private async drain(): Promise<void> {
    for (const item of this.sink.pendingAttachments()) {
      if (this.stopped) return;
      const result = await this.fetchOne(item.pointer, () => this.sink.createAttachmentFile());
      // Stopped during a retry wait, or no space for the file: leave it pending rather than fail it.
      if (result === null) return;
      if (!('error' in result) && process.env[HOLD_COMMIT_FOR_TEST]) {
        process.stderr.write(`test hook: attachment file ${result.name} written, its commit held back\n`);
        await this.sleep(2 ** 31 - 1);
        return;
      }
      this.sink.completeAttachment(item.inboxId, item.idx, result);
      this.onComplete();
    }
  }

  /**
   * What `into`'s target made of the plaintext (an inbox file), an error to deliver instead, or
   * null when stopped before the outcome was known or when the disk had no space for it. Each attempt writes to a new target; one that
   * fails is discarded at once.
   */
  async fetchOne<R>(pointerBytes: Uint8Array, into: () => DownloadTarget<R>): Promise<R | { error: string } | null> {
    const pointer = decodeAttachmentPointer(pointerBytes);
    const key = pointer.cdnKey || (pointer.cdnId ? String(pointer.cdnId) : '');
    if (!key || !pointer.key) return { error: 'attachment pointer has no CDN key or no encryption key' };
    const giveUpAt = Date.now() + this.retry.windowMs;
    for (let delay = this.retry.firstDelayMs; ; delay = Math.min(delay * 2, this.retry.maxDelayMs)) {
      const file = into();
      const decryption = new AttachmentDecryption(pointer.key, (plain) => file.write(plain), pointer.digest ?? undefined, pointer.size ?? undefined);
      try {
        await downloadBlob(this.config, this.https, pointer.cdnNumber ?? 0, key, MAX_ATTACHMENT_BYTES + 1024 * 1024, (chunk) => decryption.update(chunk));
      } catch (err) {
        file.discard();
        const message = err instanceof Error ? err.message : String(err);
        if (isOutOfSpace(err)) {
          // Left pending: the next pass (after a delete freed space, or the next start) tries again.
          this.log(`attachment: the disk is full (${message}); the download is tried again once space is freed`);
          return null;
        }
        if (!isTransient(err) || Date.now() + delay > giveUpAt) {
          this.log(`attachment: giving up: ${message}`);
          return { error: message };
        }
        this.log(`attachment: ${message}; retrying in ${delay} ms`);
        if (!(await this.sleep(delay))) return null;
        continue;
      }
      try {
        decryption.final();
      } catch (err) {
        // A blob that does not verify will not verify on a second download either.
        file.discard();
        const message = err instanceof Error ? err.message : String(err);
        this.log(`attachment: ${message}`);
        return { error: message };
      }
      try {
        return file.finish();
      } catch (err) {
        file.discard();
        if (!isOutOfSpace(err)) throw err;
        this.log(`attachment: the disk is full (${err instanceof Error ? err.message : String(err)}); the download is tried again once space is freed`);
        return null;
      }
    }
  }

  /** False when the fetcher was stopped during the wait. */
  private sleep(ms: number): Promise<boolean> {
    if (this.stopping.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stopping.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      this.stopping.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A target that keeps the plaintext in memory: for small downloads the engine reads itself (a contact list). */
export function inMemory(): DownloadTarget<Buffer> {
  const chunks: Buffer[] = [];
  return {
    write: (chunk) => chunks.push(Buffer.from(chunk)),
    finish: () => Buffer.concat(chunks),
    discard: () => (chunks.length = 0),
  };
}
