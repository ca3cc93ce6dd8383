// The one test client for the socket protocol, for unit tests and for bots' view of the real
// daemon alike: writes raw text or a request object, reads answers line by line.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** An answer line, parsed. */
export type Answer = Record<string, any>;

interface Waiter {
  take(line: string | null): void;
}

export class LineClient {
  private buffered = '';
  private lines: string[] = [];
  private waiters: Waiter[] = [];
  private ended = false;
  /** Why the connection went, once it did: the socket's error (a killed daemon resets it) or a plain close. */
  private gone: Error | null = null;

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffered += text;
      let nl;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.deliver(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
    });
    socket.on('close', () => {
      this.ended = true;
      this.gone ??= new Error('connection closed before an answer arrived');
      for (const w of this.waiters.splice(0)) w.take(null);
    });
    // Never let a reset go unhandled: the waits fail with it instead.
    socket.on('error', (err) => {
      this.gone ??= err;
    });
  }

  static open(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connectTcp(port, '127.0.0.1', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  static openTls(port: number, ca: string | Buffer): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connectTls({ port, host: '127.0.0.1', servername: 'localhost', ca }, () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** The same as send(): the name the e2e tests use. */
  write(text: string | Buffer): void {
    this.send(text);
  }

  /** The next answer, parsed; fails if the connection ends first or nothing comes within `timeoutMs`. */
  async next(timeoutMs = 20_000): Promise<Answer> {
    const line = await this.nextLine(timeoutMs);
    if (line === null) throw this.gone ?? new Error('connection closed before an answer arrived');
    return JSON.parse(line) as Answer;
  }

  /** The next raw line, or null once the connection ended without one. */
  nextLine(timeoutMs = 20_000): Promise<string | null> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        take: (taken) => {
          clearTimeout(timer);
          resolve(taken);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Sends one request line (raw text as it is, an object as JSON) and waits for the next answer. */
  async request(body: string | object, timeoutMs?: number): Promise<Answer> {
    this.send((typeof body === 'string' ? body : JSON.stringify(body)) + '\n');
    return this.next(timeoutMs);
  }

  /** Resolves true once the server closed the connection, false if it is still open after `ms`. */
  async closedWithin(ms: number): Promise<boolean> {
    if (this.ended) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  close(): void {
    this.socket.destroy();
  }

  private deliver(line: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.take(line);
    else this.lines.push(line);
  }
}

/** A client on the daemon's TCP port, as a bot would connect. */
export function client(port: number): Promise<LineClient> {
  return LineClient.open(port);
}
export type Client = LineClient;
