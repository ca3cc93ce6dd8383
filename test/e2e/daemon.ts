// A sigsock daemon child process and line-oriented TCP clients, as a bot would use them.
import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { LinkedFixture } from './harness.js';

export interface Daemon {
  process: ChildProcess;
  port: number;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startDaemon(f: Pick<LinkedFixture, 'spawn'>, extraArgs: string[] = [], options?: { serverFile?: string }): Promise<Daemon> {
  const child = f.spawn(['socket', '--port', '0', ...extraArgs], options);
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      stderr += line + '\n';
      const m = /listening on (?:tcp|tls):\/\/[^\s]*:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`daemon exited (${code}) before listening:\n${stderr}`)));
  });
  child.stdout!.resume();
  return {
    process: child,
    port,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface Client {
  socket: Socket;
  write(text: string | Buffer): void;
  /** The next response line, parsed. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  request(obj: object, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export function client(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const queue: string[] = [];
    const waiting: { take: (line: string) => void; fail: (err: Error) => void }[] = [];
    let gone: Error | null = null;
    createInterface({ input: socket })
      .on('line', (line) => {
        const w = waiting.shift();
        if (w) w.take(line);
        else queue.push(line);
      })
      // readline re-emits the socket's errors on itself; the socket's own handler below deals with them.
      .on('error', () => {});
    const next = (timeoutMs = 20_000) =>
      new Promise<Record<string, unknown>>((res, rej) => {
        const queued = queue.shift();
        if (queued !== undefined) return res(JSON.parse(queued) as Record<string, unknown>);
        if (gone) return rej(gone);
        const waiter = {
          take: (line: string) => {
            clearTimeout(timer);
            res(JSON.parse(line) as Record<string, unknown>);
          },
          fail: (err: Error) => {
            clearTimeout(timer);
            rej(err);
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          rej(new Error('no response in time'));
        }, timeoutMs);
        waiting.push(waiter);
      });
    // A daemon that dies (tests kill it) resets the connection: fail the waits at once, and never
    // let the error go unhandled.
    socket.on('error', (err) => {
      gone ??= err;
      reject(err);
    });
    socket.on('close', () => {
      gone ??= new Error('connection closed');
      for (const w of waiting.splice(0)) w.fail(gone);
    });
    socket.once('connect', () =>
      resolve({
        socket,
        write: (text) => socket.write(text),
        next,
        request: (obj, timeoutMs) => {
          socket.write(JSON.stringify(obj) + '\n');
          return next(timeoutMs);
        },
        close: () => socket.destroy(),
      }),
    );
  });
}

/** Drains `receive_messages` until `count` messages arrived (or the time is up). */
export async function receiveAll(c: Client, count: number, timeoutMs = 20_000): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const res = await c.request({ command: 'receive_messages', timeout: Math.min(2000, Math.max(0, deadline - Date.now())) });
    if (res.statusCode !== 0) throw new Error(`receive_messages failed: ${JSON.stringify(res)}`);
    out.push(...(res.messages as Record<string, unknown>[]));
  }
  return out;
}

/** Resolves once the daemon's log matches `pattern`; fails with the log after `timeoutMs`. */
export async function waitForLog(daemon: Daemon, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(daemon.stderr())) {
    if (Date.now() > deadline) throw new Error(`the daemon did not log ${pattern} in ${timeoutMs} ms:\n${daemon.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
