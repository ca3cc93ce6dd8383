// One JSON-RPC client: a TCP or Unix-socket connection, or stdin/stdout. Reads one request (or
// batch) per line, runs requests side by side and writes each response when ready; pushes received
// messages as `receive` notifications while subscribed. Memory stays bounded: at most
// `maxPending` lines run at once, and input is read on (to see the client leave) only up to a bound.
import type { Readable, Writable } from 'node:stream';
import type { TokenCheck } from '../util/tokenCheck.js';
import type { InboxEntry } from '../messenger/api.js';
import { leaseSettler } from '../messenger/leaseDelivery.js';
import { PendingAcks } from '../messenger/pendingAcks.js';
import { encodeReceived } from './envelope.js';
import { AUTH_METHOD, RpcAuthGate } from './authGate.js';
import { callMethod, envelopeEncoding, runInput, type Call, type Outcome } from './dispatch.js';
import { LineSplitter } from './lineSplitter.js';
import type { MethodContext } from './methods/index.js';
import { encodeLine, failure, PARSE_ERROR, RpcError, USER_ERROR, type RpcRequest } from './protocol.js';
import { acknowledge, ACK_METHOD, ENABLE_ACK_METHOD } from './acknowledging.js';
import { Pusher } from './pusher.js';
import { subscriptionIdOf, type ReceiveMode } from './receiving.js';
import { accountsOf, namesAccount, type AccountContexts } from './accounts.js';
import { accountLog } from '../util/log.js';

export interface SessionOptions {
  input: Readable;
  output: Writable;
  /** The one account served (`-a NUMBER`), or `accounts` for several (multi-account mode). */
  ctx?: MethodContext;
  accounts?: AccountContexts;
  receiveMode: ReceiveMode;
  ignoreAttachments: boolean;
  maxLineBytes: number;
  maxPending: number;
  log: (line: string) => void;
  /**
   * A socket: the client's FIN may mean it is gone, so a write it overlapped counts as failed, and
   * our end is closed once everything is answered. stdio: stdin's end says nothing about stdout.
   */
  socket: boolean;
  /** The daemon's token: the connection must authenticate before anything runs (authGate.ts). */
  token?: TokenCheck;
}

/** Refused requests before authenticating, at most, before the connection is closed (the seed socket's limit). */
const MAX_AUTH_FAILURES = 3;

/** Lines read and not started, at most (in bytes), before reading pauses. */
const MAX_QUEUED_INPUT_BYTES = 1024 * 1024;

let nextSubscriptionId = 0;

export class Session {
  private readonly splitter: LineSplitter;
  /** Lines read and not started yet, and ready-made answers (a line too long) in their place. */
  private readonly queued: ({ kind: 'line'; text: string } | { kind: 'answer'; text: string })[] = [];
  private queuedBytes = 0;
  private pending = 0;
  private waitingForDrain = false;
  private peerEnded = false;
  private closed = false;
  private stopping = false;
  private finishing = false;
  /** While subscribed: one push loop per account served, each from its own inbox. */
  private readonly pushers = new Map<MethodContext, Pusher>();
  private pushing = false;
  private stopWatchingAccounts: (() => void) | null = null;
  private subscription: number | null = null;
  private readonly accounts: AccountContexts;
  /** Aborted when the client stopped sending, is gone, or the daemon stops: waits end. */
  private readonly abort = new AbortController();
  /** Leases on their way out, settled false if the client goes before the write callback. */
  private readonly unsettled = new Set<(written: boolean) => void>();
  private idleWaiters: (() => void)[] = [];
  private readonly gate: RpcAuthGate;
  /** Set once the client opted in to acknowledging notifications (`enableAck`). */
  private acks: PendingAcks | null = null;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly options: SessionOptions) {
    this.splitter = new LineSplitter(options.maxLineBytes);
    this.accounts = accountsOf(options);
    this.gate = new RpcAuthGate(options.token, MAX_AUTH_FAILURES);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    const { input, output } = options;
    input.on('data', (chunk: Buffer) => this.onData(chunk));
    input.on('end', () => this.onEnd());
    input.on('error', () => this.onClose());
    output.on('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
    output.on('error', () => this.onClose());
    output.on('close', () => this.onClose());
    if (input !== (output as unknown)) input.on('close', () => this.onInputClosed());
    if (options.receiveMode !== 'manual' && this.gate.isOpen) this.subscribe(null);
  }

  /** Stops pushing and reading; answers in flight get `graceMs` to be written. */
  async shutdown(graceMs: number): Promise<void> {
    if (this.closed) return;
    this.stopping = true;
    this.options.input.pause();
    this.stopPushing();
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.finish();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.stopping) return;
    for (const event of this.splitter.push(chunk)) this.enqueue(event);
    this.pump();
  }

  /**
   * The client stopped sending. It may still read (`echo … | nc -N`) or be gone (TCP cannot tell),
   * so what it sent is answered, but nothing more is pushed: entries wait for the next client.
   */
  private onEnd(): void {
    this.peerEnded = true;
    for (const event of this.splitter.end()) this.enqueue(event);
    this.stopPushing();
    // No ack can follow a FIN: what waits for one goes back now, for the next client.
    this.acks?.releaseAll();
    this.abort.abort();
    this.pump();
  }

  /** stdin closed without an 'end' (a pipe error): the same as end. */
  private onInputClosed(): void {
    if (!this.peerEnded) this.onEnd();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopPushing();
    this.acks?.releaseAll();
    this.abort.abort();
    this.queued.length = 0;
    this.queuedBytes = 0;
    this.wakeIdle();
    // Write callbacks due have fired by now: a lease still open never reached the client whole.
    setImmediate(() => {
      for (const settle of this.unsettled) settle(false);
      this.resolveDone();
    });
  }

  private enqueue(event: ReturnType<LineSplitter['push']>[number]): void {
    if (event.kind === 'tooLong') {
      this.queued.push({ kind: 'answer', text: encodeLine(failure(null, { code: PARSE_ERROR, message: `request line too long: over ${this.options.maxLineBytes} bytes` })) });
      return;
    }
    this.queued.push({ kind: 'line', text: event.text });
    this.queuedBytes += event.text.length;
  }

  /** Starts queued lines while fewer than `maxPending` run and the client reads its answers. */
  private pump(): void {
    while (this.queued.length > 0 && this.pending < this.options.maxPending && !this.waitingForDrain && !this.closed && !this.stopping) {
      const item = this.queued.shift()!;
      if (item.kind === 'answer') {
        this.answer(Promise.resolve({ text: item.text, leases: [] }));
        continue;
      }
      this.queuedBytes -= item.text.length;
      this.answer(runInput(item.text, (request) => this.call(request)));
    }
    if (!this.closed && !this.stopping) {
      if (this.queuedBytes >= MAX_QUEUED_INPUT_BYTES) this.options.input.pause();
      else this.options.input.resume();
    }
    if (this.peerEnded && this.pending === 0 && this.queued.length === 0) this.finish();
  }

  private answer(outcome: Promise<Outcome>): void {
    this.pending++;
    void outcome
      .then((o) => this.write(o))
      .catch((err: unknown) => this.options.log(`jsonrpc: could not answer a request: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.pending--;
        if (this.pending === 0) this.wakeIdle();
        this.pump();
      });
  }

  private async write(outcome: Outcome): Promise<void> {
    if (outcome.text === undefined) {
      // Notifications were answered with nothing; a receive's entries written to nobody go back.
      for (const lease of outcome.leases) lease.release();
      for (const run of outcome.afterWrite ?? []) run();
      return;
    }
    const settles = outcome.leases.map((lease) => leaseSettler(lease));
    const written = await this.writeText(outcome.text);
    for (const settle of settles) settle(written);
    for (const run of outcome.afterWrite ?? []) run();
    if (this.gate.exhausted && !this.gate.isOpen) this.hangUp();
  }

  /** Too many failed authentications: nothing more is read or answered. */
  private hangUp(): void {
    this.stopping = true;
    this.options.input.pause();
    const { output } = this.options;
    if (!output.writableEnded) output.end();
    setTimeout(() => output.destroy(), 1000).unref();
  }

  /** Resolves true once the output took `text` whole, while the client was still there. */
  writeText(text: string): Promise<boolean> {
    if (this.closed || !this.options.output.writable) return Promise.resolve(false);
    const peerEndedBefore = this.peerEnded;
    return new Promise((resolve) => {
      const settle = (ok: boolean) => {
        if (!this.unsettled.delete(settle)) return;
        resolve(ok);
      };
      this.unsettled.add(settle);
      const clientStayed = () => !this.options.socket || this.peerEnded === peerEndedBefore;
      const flushed = this.options.output.write(text, (err) => settle(!err && !this.closed && clientStayed()));
      if (!flushed) this.waitingForDrain = true;
    });
  }

  private async call(request: RpcRequest): Promise<Call> {
    const { method } = request;
    if (method === AUTH_METHOD) {
      const wasOpen = this.gate.isOpen;
      const result = this.gate.authenticate(request.params);
      // Automatic receiving starts once the client is let in, after the answer.
      const startPushing = () => !wasOpen && this.options.receiveMode !== 'manual' && this.subscribe(null);
      return { result, afterWrite: startPushing };
    }
    this.gate.admit();
    if (method === 'subscribeReceive') {
      // The client learns its subscription id before the first notification.
      const id = this.subscription ?? nextSubscriptionId++;
      // As signal-cli: naming an account subscribes to it alone, else to every account served.
      const only = namesAccount(request.params) ? this.accounts.forRequest(request.params).ctx : undefined;
      return { result: id, afterWrite: () => this.subscribe(id, only) };
    }
    if (method === ENABLE_ACK_METHOD) {
      this.acks ??= new PendingAcks();
      return { result: {} };
    }
    if (method === ACK_METHOD) return { result: acknowledge(this.acks ? [this.acks] : [], request.params) };
    if (method === 'unsubscribeReceive') {
      this.unsubscribe(subscriptionIdOf(request.params));
      return { result: {} };
    }
    return callMethod(request, { accounts: this.accounts, receiveMode: this.options.receiveMode, signal: this.abort.signal, encode: (entries, ctx) => this.encodeEntries(entries, null, ctx) });
  }

  /** Starts pushing (`id` null: signal-cli's automatic receiving, without the subscription wrapper). */
  private subscribe(id: number | null, only?: MethodContext): number | null {
    if (this.pushing) {
      this.subscription ??= id;
      return this.subscription;
    }
    if (this.peerEnded || this.closed || this.stopping) return id;
    this.subscription = id;
    this.pushing = true;
    if (only) {
      this.pushFrom(only);
      return id;
    }
    for (const ctx of this.accounts.all()) this.pushFrom(ctx);
    // An account added while subscribed (finishLink, verify) is pushed from at once.
    this.stopWatchingAccounts = this.accounts.onAdded((ctx) => this.pushFrom(ctx));
    return id;
  }

  private pushFrom(ctx: MethodContext): void {
    if (!this.pushing || this.pushers.has(ctx)) return;
    const { engine } = ctx;
    this.pushers.set(ctx, new Pusher({
      take: (timeoutMs, signal) => engine.takeInbox(timeoutMs, signal),
      encode: (entries, ackId) => entries.map((entry) => encodeLine(this.notification(entry, ctx, ackId))).join(''),
      acks: () => this.acks,
      write: (text) => this.writeText(text),
      // Several accounts served: the line says which one it is about.
      log: this.options.accounts ? accountLog(this.options.log, ctx.account) : this.options.log,
    }));
  }

  private unsubscribe(id: number | undefined): void {
    if (!this.pushing || (id !== undefined && id !== this.subscription)) {
      throw unknownSubscription();
    }
    this.stopPushing();
  }

  private stopPushing(): void {
    for (const pusher of this.pushers.values()) pusher.stop();
    this.pushers.clear();
    this.stopWatchingAccounts?.();
    this.stopWatchingAccounts = null;
    this.pushing = false;
    this.subscription = null;
  }

  private notification(entry: InboxEntry, ctx: MethodContext, ackId: string | undefined): Record<string, unknown> {
    const [received] = this.encodeEntries([entry], this.subscription, ctx);
    return { jsonrpc: '2.0', method: 'receive', params: ackId === undefined ? received : { ...received, ackId } };
  }

  /** The entries as signal-cli's receive objects (naming `ctx`'s account); wrapped for a manual subscription. */
  private encodeEntries(entries: InboxEntry[], subscription: number | null, ctx: MethodContext): Record<string, unknown>[] {
    const encoding = envelopeEncoding(ctx, this.options.ignoreAttachments);
    return entries.map((entry) => {
      const received = encodeReceived(entry, encoding);
      return subscription === null ? received : { subscription, result: received };
    });
  }

  /**
   * Everything answered: close our side of a socket; on stdio, wait for the writes still under
   * way (a last notification) to report, then the session is done (stdout stays open).
   */
  private finish(): void {
    if (this.closed || this.finishing) return;
    this.finishing = true;
    const { output } = this.options;
    if (this.options.socket) {
      if (!output.writableEnded) output.end();
      return;
    }
    const check = () => (this.unsettled.size === 0 ? this.onClose() : setTimeout(check, 10).unref());
    check();
  }

  private idle(): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

function unknownSubscription(): RpcError {
  return new RpcError(USER_ERROR, 'Unknown subscription id');
}
