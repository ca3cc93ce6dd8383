// One client connection: reads commands, runs them side by side, and writes the answers one per
// line in the order the commands arrived. Received messages leave the inbox only once the answer
// carrying them was handed to the socket completely.
import type { Duplex } from 'node:stream';
import type { Messenger } from '../messenger/api.js';
import { leaseSettler } from '../messenger/leaseDelivery.js';
import { AuthGate, type TokenCheck } from './auth.js';
import { errorResponse, runCommand, type CommandOutcome } from './commands.js';
import { base64Slices, encodeAnswer, type AnswerPiece } from './answerEncoder.js';
import { LenientJsonReader, type ReaderEvent } from './jsonReader.js';
import type { SocketLimits } from './limits.js';
import { StatusCode } from './statusCodes.js';
import { PendingAcks } from '../messenger/pendingAcks.js';

export interface ConnectionOptions {
  messenger: Messenger;
  limits: SocketLimits;
  /** Diagnostics no user needs to see (client resets and the like). */
  debug?: (line: string) => void;
  /** Events the operator should see, such as a client closed for failing to authenticate. */
  log?: (line: string) => void;
  /** Set when the server has an auth token: nothing runs until the client presented it. */
  checkToken?: TokenCheck;
  /** Who is on the other end, for log lines. */
  peer?: string;
}

/** How long a connection we hang up on may take to close its side before it is cut. */
const HANG_UP_GRACE_MS = 2000;
/**
 * Input read but not parsed yet, at most, before reading pauses. Reading on (instead of pausing as
 * soon as commands wait) is how a client's close is seen while its commands wait: a paused socket
 * never reports the peer's FIN.
 */
const MAX_UNPARSED_INPUT_BYTES = 1024 * 1024;

export class Connection {
  private readonly reader: LenientJsonReader;
  private readonly gate: AuthGate;
  /**
   * Cut short the waits of `receive_messages` once the client stopped sending (FIN), is gone, or the
   * server stops: a receive started after that takes only what is ready.
   */
  private readonly abort = new AbortController();
  private readonly acks = new PendingAcks();
  /** Answers are written in this chain's order, whatever order their commands finish in. */
  private writeChain: Promise<void> = Promise.resolve();
  /** Writes are held until the end of the tick, to go out together (coalesceWrites). */
  private corked = false;
  /** Message leases are taken one after another so that answers carry messages oldest first. */
  private receiveChain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  /**
   * Requests read but not started yet. One chunk or one batch can hold thousands of commands;
   * starting at most `maxPendingPerConnection` at a time keeps the answers waiting for a client
   * that does not read them bounded.
   */
  private backlog: ({ kind: 'request'; request: unknown; batchIndex?: number } | { kind: 'invalid'; message: string; reqId?: unknown })[] = [];
  private backlogHead = 0;
  /** Commands started and not yet finished: while one runs (a waiting receive_messages) the connection is not idle. */
  private running = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private hangUpTimer: NodeJS.Timeout | undefined;
  private waitingForDrain = false;
  /** Chunks read from the socket and not yet given to the reader (while commands wait). */
  private unparsed: Buffer[] = [];
  private unparsedBytes = 0;
  /** The client sent FIN: it sends nothing more, and may have gone altogether. */
  private peerEnded = false;
  /** The reader was told the input ended (after every unparsed chunk went through it). */
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
    this.gate = new AuthGate(options.checkToken, options.limits.maxAuthFailures);
    this.reader = new LenientJsonReader({ maxValueBytes: this.commandSizeLimit(), maxDepth: options.limits.maxNestingDepth, maxValues: options.limits.maxCommandValues, base64Paths: [['attachments', '[]', 'base64Data']], verbatimNumberFields: ['reqId'] });
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.touch();
      this.parse();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.debug(`connection error: ${err.code ?? err.message}`));
    socket.on('close', () => this.onClose());
    const { idleTimeoutMs } = options.limits;
    if (idleTimeoutMs > 0) {
      this.idleTimer = setTimeout(() => this.onIdle(), idleTimeoutMs);
      this.idleTimer.unref();
    }
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
    this.touch();
    this.unparsed.push(chunk);
    this.unparsedBytes += chunk.length;
    this.parse();
  }

  /**
   * The client finished sending. It may still read (`echo ... | socat` half-closes and waits for its
   * answers), or it may have closed altogether, which TCP cannot tell apart. So: what it sent is
   * still answered, but nothing waits for new messages on its behalf any more (a waiting
   * `receive_messages` answers at once, a later one takes only what is ready), and leases waiting
   * for an `ack` go back to the queue, since no ack can come.
   */
  private onEnd(): void {
    this.peerEnded = true;
    this.abort.abort();
    this.acks.releaseAll();
    this.parse();
  }

  /** Feeds unparsed input to the reader while the connection can take more commands. */
  private parse(): void {
    while (this.unparsed.length > 0 && this.canTakeCommands()) {
      const chunk = this.unparsed.shift()!;
      this.unparsedBytes -= chunk.length;
      this.handle(this.reader.push(chunk));
    }
    if (this.peerEnded && this.unparsed.length === 0 && !this.inputEnded && !this.stopping && !this.closed) {
      this.inputEnded = true;
      this.handle(this.reader.end());
    }
    this.updateFlow();
    this.endIfFinished();
  }

  private canTakeCommands(): boolean {
    const backlogged = this.backlogHead < this.backlog.length;
    const full = this.waitingForDrain || this.pending >= this.options.limits.maxPendingPerConnection;
    return !backlogged && !full && !this.stopping && !this.closed;
  }

  private onClose(): void {
    this.closed = true;
    this.unparsed = [];
    this.unparsedBytes = 0;
    clearTimeout(this.idleTimer);
    clearTimeout(this.hangUpTimer);
    this.abort.abort();
    this.wakeIdleWaiters();
    // Write callbacks that were going to fire have fired by now; any lease still open never made it.
    setImmediate(() => {
      for (const settle of this.unsettled) settle(false);
      this.acks.releaseAll();
    });
  }

  private handle(events: ReaderEvent[]): void {
    for (const event of events) {
      if (event.kind === 'error') {
        this.backlog.push({ kind: 'invalid', message: event.message, reqId: event.reqId });
      } else if (!Array.isArray(event.value)) {
        this.backlog.push({ kind: 'request', request: event.value });
      } else if (event.value.length === 0) {
        this.backlog.push({ kind: 'invalid', message: 'empty batch: expected an array of command objects' });
      } else {
        for (const [batchIndex, request] of event.value.entries()) this.backlog.push({ kind: 'request', request, batchIndex });
      }
    }
    this.pump();
  }

  /** Starts backlogged requests, in arrival order, while fewer than the limit are pending. */
  private pump(): void {
    const limit = this.options.limits.maxPendingPerConnection;
    // Once stopping (shutdown, hang-up, idle close) requests not started yet are dropped, like unread input.
    while (this.backlogHead < this.backlog.length && this.pending < limit && !this.stopping && !this.closed) {
      const item = this.backlog[this.backlogHead];
      this.backlog[this.backlogHead++] = undefined!;
      if (item.kind === 'request') this.dispatch(item.request, item.batchIndex);
      else this.invalidInput(item.message, item.reqId);
    }
    if (this.backlogHead >= this.backlog.length || this.stopping || this.closed) {
      this.backlog = [];
      this.backlogHead = 0;
    }
    this.updateFlow();
  }

  /** Runs one request, or answers it without running it while the client is not authenticated. */
  private dispatch(request: unknown, batchIndex: number | undefined): void {
    const wasAuthenticated = this.gate.isAuthenticated;
    const admission = this.gate.admit(request);
    if (!wasAuthenticated && this.gate.isAuthenticated) this.reader.maxValueBytes = this.commandSizeLimit();
    if (admission.kind === 'run') {
      this.answer(this.start(request, batchIndex));
      return;
    }
    this.answer(Promise.resolve({ response: admission.response }));
    if (admission.hangUp) this.hangUpForFailedAuth();
  }

  private invalidInput(message: string, reqId: unknown): void {
    // The broken request's reqId, when it came before the error, lets the client match the answer.
    const request = reqId === undefined ? null : { reqId };
    if (this.gate.isAuthenticated) {
      this.answer(Promise.resolve({ response: errorResponse(request, StatusCode.INVALID_JSON, message) }));
      return;
    }
    const rejected = this.gate.rejectUnreadable(message);
    this.answer(Promise.resolve({ response: errorResponse(request, StatusCode.INVALID_JSON, rejected.message) }));
    if (rejected.hangUp) this.hangUpForFailedAuth();
  }

  private commandSizeLimit(): number {
    const { maxCommandBytes, maxCommandBytesBeforeAuth } = this.options.limits;
    return this.gate.isAuthenticated ? maxCommandBytes : Math.min(maxCommandBytes, maxCommandBytesBeforeAuth);
  }

  /** Too many failed attempts: read nothing more, write the answers already queued, then close. */
  private hangUpForFailedAuth(): void {
    this.options.log?.(`closing connection${this.options.peer ? ` from ${this.options.peer}` : ''}: ${this.options.limits.maxAuthFailures} failed authentication attempts`);
    this.stopping = true;
    this.socket.pause();
    this.writeChain = this.writeChain.then(() => this.hangUp());
  }

  /** Ends our side; a client that does not close its side in time is cut off. */
  private hangUp(): void {
    if (this.closed) return;
    if (!this.socket.writableEnded) this.socket.end();
    this.hangUpTimer ??= setTimeout(() => this.socket.destroy(), HANG_UP_GRACE_MS);
    this.hangUpTimer.unref();
  }

  /** Something happened on the connection: the idle clock starts over. */
  private touch(): void {
    this.idleTimer?.refresh();
  }

  private onIdle(): void {
    if (this.closed || this.stopping) return;
    if (this.running > 0) {
      // A command is running (typically receive_messages waiting for messages): not idle.
      this.touch();
      return;
    }
    this.debug(`closing connection${this.options.peer ? ` from ${this.options.peer}` : ''}: idle for ${this.options.limits.idleTimeoutMs} ms`);
    this.stopping = true;
    this.socket.pause();
    // A client that stopped reading would never let an orderly close finish.
    if (this.waitingForDrain) this.socket.destroy();
    else this.hangUp();
  }

  private start(request: unknown, batchIndex?: number): Promise<CommandOutcome> {
    const ctx = { messenger: this.options.messenger, limits: this.options.limits, signal: this.abort.signal, acks: this.acks };
    const isReceive = typeof request === 'object' && request !== null && (request as { command?: unknown }).command === 'receive_messages';
    if (!isReceive) return runCommand(request, ctx, batchIndex);
    const outcome = this.receiveChain.then(() => runCommand(request, ctx, batchIndex));
    this.receiveChain = outcome;
    return outcome;
  }

  /** Queues the answer behind all earlier ones. */
  private answer(outcome: Promise<CommandOutcome>): void {
    this.pending++;
    this.running++;
    const finished = () => {
      this.running--;
      this.touch();
    };
    outcome.then(finished, finished);
    this.updateFlow();
    this.writeChain = this.writeChain.then(async () => {
      try {
        await this.write(await outcome);
      } catch (err) {
        this.debug(`could not answer a command: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        this.pending--;
        this.pump();
        this.parse();
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
    let pieces: AnswerPiece[];
    try {
      pieces = encodeAnswer(response);
    } catch (err) {
      lease?.release();
      lease = undefined;
      const why = err instanceof Error ? err.message : String(err);
      pieces = [JSON.stringify(errorResponse(echoHead(response), StatusCode.UNKNOWN, `could not encode the answer: ${why}`)) + '\n'];
    }
    this.coalesceWrites();
    const settle = leaseSettler(lease, () => this.unsettled.delete(settle));
    if (lease) this.unsettled.add(settle);
    // Written means the socket took the last byte while still open, and the client did not stop
    // mid-answer (a FIN then may be a client that closed; the entries go back rather than be lost).
    const peerEndedBefore = this.peerEnded;
    const written = (err: Error | null | undefined) => settle(!err && !this.closed && this.peerEnded === peerEndedBefore);
    // Attachment bytes go out as base64 slice by slice, each once the socket took the one before.
    // The line ends with text, so the last piece is a string: its write settles the lease.
    try {
      for (const [index, piece] of pieces.entries()) {
        const last = index === pieces.length - 1;
        const slices = typeof piece === 'string' ? [piece] : base64Slices(piece);
        for (const text of slices) {
          const flushed = this.socket.write(text, last ? written : undefined);
          this.touch();
          if (flushed) continue;
          if (last) {
            this.waitingForDrain = true;
            this.updateFlow();
          } else {
            await this.drained();
            if (this.closed || !this.socket.writable) return settle(false);
          }
        }
      }
    } catch (err) {
      // An attachment file that stopped reading midway (changed on disk): the line is broken
      // already, so the connection ends, and its entries go back to the queue.
      this.options.log?.(`closing a connection: an answer could not be completed: ${err instanceof Error ? err.message : String(err)}`);
      settle(false);
      this.socket.destroy();
    }
  }

  /**
   * Answers that are ready in the same tick (a pipelining client's cheap requests) leave in one
   * write (writev) rather than one each. Each answer keeps its own write callback, so "written"
   * still means the socket took its last byte while open.
   */
  private coalesceWrites(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
  }

  /**
   * Reading pauses only once the input not yet parsed is over its bound: commands that wait, and a
   * client that does not read its answers, stop the parsing (so answers and parsed commands stay
   * bounded), while the socket is still read for the client's FIN.
   */
  private updateFlow(): void {
    if (this.closed || this.stopping) return;
    if (this.unparsedBytes >= MAX_UNPARSED_INPUT_BYTES) this.socket.pause();
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
    if (this.inputEnded && this.pending === 0 && this.backlogHead >= this.backlog.length && !this.closed && !this.socket.writableEnded) this.socket.end();
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
