// Downloads received attachments in the background, right after their message was committed,
// so `receive_messages` can answer with the bytes without waiting on the CDN.
import { decryptAttachment } from '../signal/attachmentCrypto.js';
import { downloadBlob } from '../signal/cdn.js';
import type { HttpsClient } from '../signal/https.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import { decodeAttachmentPointer } from '../proto/index.js';
import type { Log } from '../util/log.js';

export interface AttachmentSink {
  pendingAttachments(): { inboxId: number; idx: number; pointer: Uint8Array }[];
  completeAttachment(inboxId: number, idx: number, result: Uint8Array | { error: string }): void;
}

export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
const ATTEMPTS = 3;

export class AttachmentFetcher {
  private running = false;
  private again = false;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: AttachmentSink,
    private readonly config: ServerConfig,
    private readonly https: HttpsClient,
    private readonly log: Log,
    private readonly onComplete: () => void,
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
    await this.current;
  }

  private async drain(): Promise<void> {
    for (const item of this.sink.pendingAttachments()) {
      if (this.stopped) return;
      const result = await this.fetchOne(item.pointer);
      this.sink.completeAttachment(item.inboxId, item.idx, result);
      this.onComplete();
    }
  }

  async fetchOne(pointerBytes: Uint8Array): Promise<Uint8Array | { error: string }> {
    const pointer = decodeAttachmentPointer(pointerBytes);
    const key = pointer.cdnKey || (pointer.cdnId ? String(pointer.cdnId) : '');
    if (!key || !pointer.key) return { error: 'attachment pointer has no CDN key or no encryption key' };
    let lastError = '';
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const blob = await downloadBlob(this.config, this.https, pointer.cdnNumber ?? 0, key, MAX_ATTACHMENT_BYTES + 1024 * 1024);
        return decryptAttachment(blob, pointer.key, pointer.digest ?? undefined, pointer.size ?? undefined);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        // Verification failures will not heal on retry.
        if (/digest|MAC|mismatch/i.test(lastError)) break;
      }
    }
    this.log(`attachment: giving up: ${lastError}`);
    return { error: lastError };
  }
}
