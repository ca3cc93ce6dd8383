// A sigsock daemon child process, and what bots do with it over the line client.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { linkedAccount, type LinkedFixture, type SpawnOptions } from './harness.js';
import { client, type LineClient } from './lineClient.js';

export interface Daemon {
  process: ChildProcess;
  port: number;
  stderr(): string;
  /** Calls `listener` after each new log line; returns the unsubscribe. */
  onLog(listener: () => void): () => void;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startDaemon(f: Pick<LinkedFixture, 'spawn'>, extraArgs: string[] = [], options?: SpawnOptions): Promise<Daemon> {
  return spawnDaemon(f, ['socket', '--port', '0', ...extraArgs], /listening on (?:tcp|tls):\/\/[^\s]*:(\d+)/, options);
}

/** Runs `sigsock … args` and resolves once its log names the port it listens on (`listening`'s group 1). */
export async function spawnDaemon(f: Pick<LinkedFixture, 'spawn'>, args: string[], listening: RegExp, options?: SpawnOptions): Promise<Daemon> {
  const child = f.spawn(args, options);
  let stderr = '';
  const logListeners = new Set<() => void>();
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      stderr += line + '\n';
      for (const listener of logListeners) listener();
      const m = listening.exec(line);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`daemon exited (${code}) before listening:\n${stderr}`)));
  });
  child.stdout!.resume();
  return {
    process: child,
    port,
    stderr: () => stderr,
    onLog: (listener) => {
      logListeners.add(listener);
      return () => logListeners.delete(listener);
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Drains `receive_messages` until `count` messages arrived (or the time is up). */
export async function receiveAll(c: LineClient, count: number, timeoutMs = 20_000): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < count && Date.now() < deadline) {
    const res = await c.request({ command: 'receive_messages', timeout: Math.min(2000, Math.max(0, deadline - Date.now())) });
    if (res.statusCode !== 0) throw new Error(`receive_messages failed: ${JSON.stringify(res)}`);
    out.push(...(res.messages as Record<string, unknown>[]));
  }
  return out;
}

/** Resolves once the daemon's log matches `pattern` (checked on each new line); fails with the log after `timeoutMs`. */
export function waitForLog(daemon: Daemon, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  if (pattern.test(daemon.stderr())) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = daemon.onLog(() => {
      if (!pattern.test(daemon.stderr())) return;
      finish();
      resolve();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`the daemon did not log ${pattern} in ${timeoutMs} ms:\n${daemon.stderr()}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      stop();
    };
  });
}

export interface WarmDaemon {
  f: LinkedFixture;
  daemon: Daemon;
  c: LineClient;
  close(): Promise<void>;
}

/**
 * A linked account with its daemon and one client, Bob introduced and one message from him already
 * through: the mock asserts (and the test dies of an unhandled rejection) when a socket closes while
 * it is still flushing what it queued for the device at connect, so fault tests start warm.
 */
export async function warmDaemon(): Promise<WarmDaemon> {
  const f = await linkedAccount();
  let daemon: Daemon | undefined;
  let c: LineClient | undefined;
  const close = async () => {
    c?.close();
    await daemon?.stop();
    await f.close();
  };
  try {
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    await f.introduce(f.bob);
    const warm = f.bob.sendText(f.device, 'warm-up');
    assert.equal((await receiveAll(c, 1, 20_000))[0]?.body, 'warm-up');
    await warm;
    return { f, daemon, c, close };
  } catch (err) {
    await close();
    throw err;
  }
}
