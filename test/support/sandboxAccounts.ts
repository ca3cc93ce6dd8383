// Two accounts registered through sigsock on one `sigsock sandbox network` (its own process), for
// tests of what sigsock accounts send each other. Each account gets a daemon on demand.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { within } from './contactActions.js';
import { startDaemon, type Daemon } from './daemon.js';
import { BIN, globalArgs, MOCK_CODE, runCli, type RunResult } from './harness.js';
import type { Answer, LineClient } from './lineClient.js';

export interface SandboxAccount {
  number: string;
  aci: string;
}

export interface TwoAccounts {
  alice: SandboxAccount;
  bob: SandboxAccount;
  /** `sigsock --config … --server-config … -a NUMBER ...args` to completion. */
  run(number: string, args: string[]): Promise<RunResult>;
  daemonFor(number: string): Promise<Daemon>;
  /** `sigsock --config … --server-config … ...args` without -a (multi-account mode), running. */
  spawnWithoutAccount(args: string[]): ChildProcess;
  close(): void;
}

/** Starts the network and registers both numbers (the mock's captcha and code). */
export async function twoSandboxAccounts(numbers: [string, string], label: string): Promise<TwoAccounts> {
  const dir = mkdtempSync(join(tmpdir(), `sigsock-${label}-`));
  const serverFile = join(dir, 'server.json');
  const g = globalArgs(join(dir, 'data'), serverFile);
  const network: ChildProcess = spawn(process.execPath, [BIN, 'sandbox', 'network', '--out', serverFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  network.stderr!.resume();
  const close = () => {
    if (network.exitCode === null) network.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await within(
      new Promise((resolve) => createInterface({ input: network.stdout! }).once('line', resolve)),
      20_000,
      'the network to be ready',
    );
    const register = async (number: string): Promise<SandboxAccount> => {
      const requested = await runCli([...g, '-a', number, 'register', '--captcha', 'x']);
      assert.equal(requested.code, 0, requested.stderr);
      const verified = await runCli([...g, '-a', number, 'verify', MOCK_CODE]);
      assert.equal(verified.code, 0, verified.stderr);
      const aci = /ACI ([0-9a-f-]{36})/.exec(verified.stdout)?.[1];
      assert.ok(aci, `verify printed the ACI: ${verified.stdout}`);
      return { number, aci };
    };
    const alice = await register(numbers[0]);
    const bob = await register(numbers[1]);
    return {
      alice,
      bob,
      run: (number, args) => runCli([...g, '-a', number, ...args]),
      spawnWithoutAccount: (args) => spawn(process.execPath, [BIN, ...g, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
      daemonFor: (number) => startDaemon({ spawn: (args) => spawn(process.execPath, [BIN, ...g, '-a', number, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) }),
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}

/** Sends a request (send_message unless `command` says otherwise); returns the sent timestamp. */
export async function send(c: LineClient, request: Answer): Promise<number> {
  const sent = await c.request({ command: 'send_message', ...request });
  assert.equal(sent.statusCode, 0, JSON.stringify(sent));
  assert.equal(typeof sent.timestamp, 'number');
  return sent.timestamp as number;
}

/** Entries a client took after the one `entryFrom` looked for, for its next call. */
const leftOver = new WeakMap<LineClient, Answer[]>();

/** Reads entries until one matches (the ones after it in the same answer wait for the next call); the ones before it must be entries too (not failures). */
export async function entryFrom(c: LineClient, matches: (entry: Answer) => boolean, timeoutMs = 20_000): Promise<Answer> {
  const seen: Answer[] = [];
  const deadline = Date.now() + timeoutMs;
  let queue = leftOver.get(c) ?? [];
  for (;;) {
    while (queue.length > 0) {
      const entry = queue.shift()!;
      if (matches(entry)) {
        leftOver.set(c, queue);
        return entry;
      }
      seen.push(entry);
    }
    if (Date.now() >= deadline) break;
    const res = await c.request({ command: 'receive_messages', timeout: Math.min(2000, Math.max(0, deadline - Date.now())) });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    queue = [...(res.messages as Answer[])];
  }
  leftOver.set(c, []);
  assert.fail(`no matching entry within ${timeoutMs} ms; got ${JSON.stringify(seen)}`);
}
