// One client connection: reads commands, runs them side by side, and writes the answers one per
// line in the order the commands arrived. Received messages leave the inbox only once the answer
// carrying them was handed to the socket completely.
import type { Duplex } from 'node:stream';
import type { InboxLease, Messenger } from '../messenger/api.js';
import { errorResponse, runCommand, type CommandOutcome } from './commands.js';
import { LenientJsonReader, type ReaderEvent } from './jsonReader.js';
import type { SocketLimits } from './limits.js';
import { StatusCode } from './statusCodes.js';

export interface ConnectionOptions {
  messenger: Messenger;
  limits: SocketLimits;
  /** Diagnostics no user needs to see (client resets and the like). */
  debug?: (line: string) => void;
}

export class Connection {
  private readonly reader: LenientJsonReader;
  /** Cut short the waits of `receive_messages` when the client is gone or the server stops. */
  private readonly abort = new AbortController();
  /** Answers are written in this chain's order, whatever order their commands finish in. */
  private writeChain: Promise<void> = Promise.resolve();
  /** Message leases are taken one after another so that answers carry messages oldest first. */
  private receiveChain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private waitingForDrain = false;
  private inputEnded = false;
  private stopping = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  /** Leases whose answer is on its way to the socket, settled by the write callback. */
  private readonly unsettled = new Set<(written: boolean) => void>();
  /** Resolves once the socket is closed. */
  readonly done: Promise<void>;

  constructor(
    private readonly socket: Duplex,
    private readonly options: ConnectionOptions,
  ) {
    this.reader = new LenientJsonReader({ maxValueBytes: options.limits.maxCommandBytes, maxDepth: options.limits.maxNestingDepth });
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.updateFlow();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.debug(`connection error: ${err.code ?? err.message}`));
    socket.on('close', () => this.onClose());
  }

  /**
   * For server shutdown: read nothing more, let commands in flight finish (waiting
   * `receive_messages` answer at once) and their answers flush, then close; after `graceMs`
   * the connection is cut whatever its state.
   */
  async shutdown(graceMs: number): Promise<void> {
    if (this.closed) return;
    this.stopping = true;
    this.socket.pause();
    this.abort.abort();
    const deadline = Date.now() + graceMs;
    if ((await within(this.idle(), graceMs)) && !this.closed) {
      this.socket.end();
      // Ending our side and waiting for the client's avoids a reset that could drop the last answers.
      if (await within(this.done, Math.max(0, deadline - Date.now()))) return;
    }
    this.socket.destroy();
    await this.done;
  }

  private onData(chunk: Buffer): void {
    if (this.stopping || this.closed) return;
    this.handle(this.reader.push(chunk));
  }

  private onEnd(): void {
    // The client finished sending (e.g. `echo ... | socat`); it still waits for its answers.
    this.inputEnded = true;
    if (!this.stopping) this.handle(this.reader.end());
    this.endIfFinished();
  }

  private onClose(): void {
    this.closed = true;
    this.abort.abort();
    this.wakeIdleWaiters();
    // Write callbacks that were going to fire have fired by now; any lease still open never made it.
    setImmediate(() => {
      for (const settle of this.unsettled) settle(false);
    });
  }

  private handle(events: ReaderEvent[]): void {
    for (const event of events) {
      if (event.kind === 'error') {
        this.answer(Promise.resolve({ response: errorResponse(null, StatusCode.INVALID_JSON, event.message) }));
      } else if (!Array.isArray(event.value)) {
        this.answer(this.start(event.value));
      } else if (event.value.length === 0) {
        this.answer(Promise.resolve({ response: errorResponse(null, StatusCode.INVALID_JSON, 'empty batch: expected an array of command objects') }));
      } else {
        for (const item of event.value) this.answer(this.start(item));
      }
    }
  }

  private start(request: unknown): Promise<CommandOutcome> {
    const ctx = { messenger: this.options.messenger, limits: this.options.limits, signal: this.abort.signal };
    const isReceive = typeof request === 'object' && request !== null && (request as { command?: unknown }).command === 'receive_messages';
    if (!isReceive) return runCommand(request, ctx);
    const outcome = this.receiveChain.then(() => runCommand(request, ctx));
    this.receiveChain = outcome;
    return outcome;
  }

  /** Queues the answer behind all earlier ones. */
  private answer(outcome: Promise<CommandOutcome>): void {
    this.pending++;
    this.updateFlow();
    this.writeChain = this.writeChain.then(async () => {
      try {
        await this.write(await outcome);
      } catch (err) {
        this.debug(`could not answer a command: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.pending--;
        this.updateFlow();
        this.endIfFinished();
        if (this.pending === 0) this.wakeIdleWaiters();
      }
    });
  }

  private async write({ response, lease }: CommandOutcome): Promise<void> {
    if (this.waitingForDrain && !this.closed) await this.drained();
    if (this.closed || !this.socket.writable) {
      lease?.release();
      return;
    }
    let line: string;
    try {
      line = JSON.stringify(response) + '\n';
    } catch (err) {
      lease?.release();
      lease = undefined;
      const why = err instanceof Error ? err.message : String(err);
      line = JSON.stringify(errorResponse(echoHead(response), StatusCode.UNKNOWN, `could not encode the answer: ${why}`)) + '\n';
    }
    const settle = once(lease, () => this.unsettled.delete(settle));
    if (lease) this.unsettled.add(settle);
    const flushed = this.socket.write(line, (err) => settle(!err));
    if (!flushed) {
      this.waitingForDrain = true;
      this.updateFlow();
    }
  }

  /** Reading pauses while the client does not read its answers or too many commands wait. */
  private updateFlow(): void {
    if (this.closed || this.stopping) return;
    if (this.waitingForDrain || this.pending >= this.options.limits.maxPendingPerConnection) this.socket.pause();
    else this.socket.resume();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private endIfFinished(): void {
    if (this.inputEnded && this.pending === 0 && !this.closed && !this.socket.writableEnded) this.socket.end();
  }

  private idle(): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private debug(line: string): void {
    this.options.debug?.(line);
  }
}

/** Commits the lease when its answer was flushed, releases it otherwise; only the first call counts. */
function once(lease: InboxLease | undefined, onSettled: () => void): (written: boolean) => void {
  let settled = false;
  return (written) => {
    if (settled || !lease) return;
    settled = true;
    onSettled();
    if (written) lease.commit();
    else lease.release();
  };
}

function echoHead(response: Record<string, unknown>): Record<string, unknown> {
  const head: Record<string, unknown> = { command: response.command };
  if (Object.hasOwn(response, 'reqId')) head.reqId = response.reqId;
  return head;
}

/** True when `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
