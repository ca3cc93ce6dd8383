// `GET /api/v1/events`: the receive notifications as a Server-Sent Events stream, as signal-cli's
// HTTP daemon sends them (`event:receive`, `data:` the notification's params on one line). Pushed
// through the lease rule like a socket's notifications: an entry leaves the inbox only once the
// event carrying it was taken whole by the connection while the client was still there.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InboxEntry, InboxLease } from '../messenger/api.js';
import { PendingAcks } from '../messenger/pendingAcks.js';
import { encodeReceived, type EnvelopeEncoding } from './envelope.js';
import { Pusher } from './pusher.js';

/** signal-cli's keep-alive period: a comment line, so proxies and clients see the stream alive. */
const KEEP_ALIVE_MS = 15_000;

/** One account's inbox, as a stream reads it. */
export interface EventSource {
  takeInbox(timeoutMs: number, signal: AbortSignal): Promise<InboxLease>;
  encoding: EnvelopeEncoding;
  log: (line: string) => void;
}

export interface EventStreamDeps {
  /** The accounts whose notifications the stream carries (several in multi-account mode, as signal-cli). */
  sources: EventSource[];
  /** Accounts served later (multi-account mode, a stream without `?account=`); returns the unsubscribe. */
  onAdded?(listener: (source: EventSource) => void): () => void;
  /** The client acknowledges each event (`?ack=true`): events carry an `ackId`. */
  ack: boolean;
}

/** One SSE client; `stop` ends the stream (daemon shutdown). */
export class EventStream {
  private readonly pushers: Pusher[] = [];
  private readonly stopWatching: () => void;
  private readonly keepAlive: NodeJS.Timeout;
  private closed = false;
  /** This stream's unacknowledged events, with `?ack=true`; acknowledged through POST /api/v1/rpc. */
  readonly acks: PendingAcks | null;
  /** Writes on their way out, settled false if the client goes before their callback. */
  private readonly unsettled = new Set<(written: boolean) => void>();
  readonly done: Promise<void>;

  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
    deps: EventStreamDeps,
  ) {
    this.acks = deps.ack ? new PendingAcks() : null;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    this.keepAlive = setInterval(() => this.closed || res.write(':\n'), KEEP_ALIVE_MS);
    this.done = new Promise((resolve) => {
      const gone = () => {
        this.onClose();
        resolve();
      };
      res.once('close', gone);
      req.once('error', () => res.destroy());
      res.once('error', () => res.destroy());
    });
    for (const source of deps.sources) this.pushFrom(source);
    this.stopWatching = deps.onAdded?.((source) => this.closed || this.pushFrom(source)) ?? (() => {});
  }

  /** Each account is pushed by its own loop (entries keep their order within an account). */
  private pushFrom(source: EventSource): void {
    this.pushers.push(
      new Pusher({
        take: (timeoutMs, signal) => source.takeInbox(timeoutMs, signal),
        encode: (entries, ackId) => entries.map((entry) => eventText(entry, source.encoding, ackId)).join(''),
        acks: () => this.acks,
        write: (text) => this.write(text),
        log: source.log,
      }),
    );
  }

  stop(): void {
    this.stopPushing();
    if (!this.closed) this.res.end();
  }

  private write(text: string): Promise<boolean> {
    if (this.closed || this.res.writableEnded) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (ok: boolean) => {
        if (this.unsettled.delete(settle)) resolve(ok);
      };
      this.unsettled.add(settle);
      // Node calls an HTTP response's write callback without an error also when the connection
      // was destroyed under a write the kernel never took: the socket says which it was.
      const socket = this.res.socket;
      this.res.write(text, (err) => settle(!err && !this.closed && socket !== null && !socket.destroyed));
    });
  }

  private stopPushing(): void {
    this.stopWatching();
    for (const pusher of this.pushers) pusher.stop();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.stopPushing();
    // No ack can come for a stream that is gone: its events go back, for the next client.
    this.acks?.releaseAll();
    // Write callbacks due have fired by now: a write still open never reached the client whole.
    setImmediate(() => {
      for (const settle of this.unsettled) settle(false);
    });
  }
}

/** One event per entry; JSON has no raw newline, so `data:` is always one line. */
function eventText(entry: InboxEntry, encoding: EnvelopeEncoding, ackId: string | undefined): string {
  const received = encodeReceived(entry, encoding);
  return `event:receive\ndata:${JSON.stringify(ackId === undefined ? received : { ...received, ackId })}\n\n`;
}
