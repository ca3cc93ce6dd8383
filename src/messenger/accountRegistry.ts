// The accounts one process serves at once (signal-cli's multi-account mode): every account in the
// data directory, each its own AccountMessenger (its own lock, its own connection to Signal), and
// the accounts added while running: a link finished or a registration verified is served at once,
// without a restart.
import type { ServerConfig } from '../signal/serverConfig.js';
import type { TrustMode } from '../store/accountStore.js';
import { accountLog, type Log } from '../util/log.js';
import { AccountMessenger, type ReceivePolicy } from './accountMessenger.js';
import { listAccounts } from './accountFiles.js';
import type { AccountEngine } from './commands/index.js';
import { MessengerError } from './errors.js';
import { linkAccount } from './linkAccount.js';
import { completeRegistration, startRegistration } from './registerAccount.js';

export interface RegistryOptions {
  dataDir: string;
  serverConfig: ServerConfig;
  trustMode: TrustMode;
  log: Log;
  /** What every account served does with what arrives (stories, read receipts). */
  policy?: ReceivePolicy;
}

/** Opens one account; a seam for tests. */
export type OpenAccount = (number: string) => AccountEngine;

/** A link started with startLink, waiting for the phone and for finishLink's device name. */
interface PendingLink {
  number: Promise<string>;
  name: (deviceName: string) => void;
}

export class AccountRegistry {
  private readonly engines = new Map<string, AccountEngine>();
  private readonly listeners = new Set<(number: string, engine: AccountEngine) => void>();
  private readonly links = new Map<string, PendingLink>();
  private readonly abort = new AbortController();
  private started = false;
  private readonly open: OpenAccount;

  constructor(private readonly options: RegistryOptions, open?: OpenAccount) {
    this.open = open ?? ((number) => AccountMessenger.open({ ...options, number, log: accountLog(options.log, number) }));
  }

  /** Opens every account of the data directory (each takes its lock: one in use elsewhere is an error). */
  openAll(): this {
    try {
      for (const number of listAccounts(this.options.dataDir)) this.engines.set(number, this.open(number));
    } catch (err) {
      void this.stop();
      throw err;
    }
    return this;
  }

  start(): void {
    this.started = true;
    for (const engine of this.engines.values()) engine.start();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map((e) => e.stop()));
  }

  numbers(): string[] {
    return [...this.engines.keys()].sort();
  }

  get(number: string): AccountEngine | undefined {
    return this.engines.get(number);
  }

  /** Called for each account added while running; returns the function that stops the calls. */
  onAdded(listener: (number: string, engine: AccountEngine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Serves an account that now exists in the data directory (a finished link or registration). */
  add(number: string): AccountEngine {
    const known = this.engines.get(number);
    if (known) return known;
    const engine = this.open(number);
    this.engines.set(number, engine);
    if (this.started) engine.start();
    for (const listener of this.listeners) listener(number, engine);
    return engine;
  }

  /** signal-cli's startLink: the sgnl:// URI for the phone to scan; finishLink completes it. */
  startLink(): Promise<string> {
    let name!: (deviceName: string) => void;
    const deviceName = new Promise<string>((resolve) => (name = resolve));
    return new Promise<string>((resolveUri, rejectUri) => {
      const linked = linkAccount({
        ...this.options,
        deviceName,
        signal: this.abort.signal,
        onLinkUri: (uri) => {
          this.links.set(uri, { number: linked, name });
          resolveUri(uri);
        },
      }).then((account) => account.number);
      // A link nobody finishes must not be an unhandled rejection; finishLink sees the failure.
      linked.catch((err: unknown) => rejectUri(err));
    });
  }

  hasPendingLink(uri: string): boolean {
    return this.links.has(uri);
  }

  /** signal-cli's finishLink: waits for the phone, stores the account and serves it; its number. */
  async finishLink(uri: string, deviceName: string): Promise<string> {
    const pending = this.links.get(uri);
    if (!pending) throw new MessengerError('INVALID_ARGUMENT', 'Unknown device link uri.');
    pending.name(deviceName);
    try {
      const number = await pending.number;
      this.add(number);
      return number;
    } finally {
      this.links.delete(uri);
    }
  }

  /** signal-cli's register: asks Signal for a verification code for `number`. */
  async register(number: string, request: { voice: boolean; captcha?: string }): Promise<void> {
    await startRegistration({ ...this.options, number, log: accountLog(this.options.log, number) }, { transport: request.voice ? 'voice' : 'sms', captcha: request.captcha });
  }

  /** signal-cli's verify: submits the code, stores the new account and serves it. */
  async verify(number: string, code: string): Promise<void> {
    await completeRegistration({ ...this.options, number, log: accountLog(this.options.log, number) }, code);
    this.add(number);
  }
}
