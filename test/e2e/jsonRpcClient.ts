// A JSON-RPC client as signal-cli's users write one: requests with ids, responses matched by id,
// `receive` notifications collected apart; over TCP or a child's stdin/stdout.
import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LinkedFixture } from '../support/harness.js';
import { spawnDaemon, type Daemon } from '../support/daemon.js';

export interface RpcClient {
  call(method: string, params?: unknown, timeoutMs?: number): Promise<Record<string, any>>;
  /** The next `receive` notification's params (oldest first). */
  notification(timeoutMs?: number): Promise<Record<string, any>>;
  write(text: string): void;
  /** The next raw line that is not a notification. */
  nextLine(timeoutMs?: number): Promise<any>;
  socket?: Socket;
}

export function rpcOver(input: Readable, output: Writable, onGone: Promise<unknown>): RpcClient {
  let nextId = 1;
  const lines: any[] = [];
  const notifications: any[] = [];
  const wake: (() => void)[] = [];
  let gone = false;
  void onGone.then(() => {
    gone = true;
    for (const w of wake.splice(0)) w();
  });
  createInterface({ input })
    .on('line', (line) => {
      const value = JSON.parse(line);
      if (value && value.method === 'receive' && !('id' in value)) notifications.push(value.params);
      else lines.push(value);
      for (const w of wake.splice(0)) w();
    })
    .on('error', () => {});
  const waitFor = async <T>(take: () => T | undefined, what: string, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (gone) throw new Error(`connection closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return {
    async call(method, params, timeoutMs = 30_000) {
      const id = nextId++;
      output.write(JSON.stringify({ jsonrpc: '2.0', method, ...(params !== undefined && { params }), id }) + '\n');
      return waitFor(
        () => {
          const i = lines.findIndex((l) => l && l.id === id);
          return i < 0 ? undefined : lines.splice(i, 1)[0];
        },
        `the response to ${method}`,
        timeoutMs,
      );
    },
    notification: (timeoutMs = 20_000) => waitFor(() => notifications.shift(), 'a receive notification', timeoutMs),
    nextLine: (timeoutMs = 20_000) => waitFor(() => lines.shift(), 'a line', timeoutMs),
    write: (text) => output.write(text),
  };
}

export function tcpRpc(port: number): Promise<RpcClient & { socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.on('error', () => {});
      resolve({ ...rpcOver(socket, socket, new Promise((r) => socket.once('close', r))), socket });
    });
  });
}

export function stdioRpc(child: ChildProcess): RpcClient {
  return rpcOver(child.stdout!, child.stdin!, new Promise((r) => child.once('close', r)));
}

export type JsonRpcDaemon = Daemon;

/** `sigsock daemon --tcp=127.0.0.1:0 ...`: resolves once it listens, with the port it bound. */
export function startJsonRpcDaemon(f: Pick<LinkedFixture, 'spawn'>, extraArgs: string[] = []): Promise<JsonRpcDaemon> {
  return spawnDaemon(f, ['daemon', '--tcp=127.0.0.1:0', ...extraArgs], /JSON-RPC listening on tcp:\/\/[^\s]*:(\d+)/);
}
