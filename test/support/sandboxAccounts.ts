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
