// The e2e fixture: a mock Signal network, a phone with contacts, and sigsock linked to the phone
// by running the real CLI as a child process. Tests then drive the CLI or the daemon like a user.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startMockNetwork, type MockDevice, type MockNetwork, type MockPrimaryDevice } from '../../src/sandbox/mockNetwork.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
export const BIN = join(ROOT, 'bin/sigsock.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  serverFile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface LinkedFixture {
  network: MockNetwork;
  phone: MockPrimaryDevice;
  bob: MockPrimaryDevice;
  carol: MockPrimaryDevice;
  /** The mock's view of the linked sigsock device: the target for contacts' messages. */
  device: MockDevice;
  number: string;
  dataDir: string;
  serverFile: string;
  /**
   * Runs `sigsock --config DIR --server-config FILE -a NUMBER ...args` to completion; `serverFile`
   * replaces the fixture's own (e.g. a broken copy of it).
   */
  run(args: string[], options?: { account?: boolean; timeoutMs?: number; serverFile?: string }): Promise<RunResult>;
  /** `env` adds to the test's environment (a test hook's variable). */
  spawn(args: string[], options?: SpawnOptions): ChildProcess;
  /** Lets a mock contact start a session with the linked device (mock contacts cannot fetch prekeys themselves). */
  introduce(contact: MockPrimaryDevice): Promise<void>;
  close(): Promise<void>;
}

export function globalArgs(dataDir: string, serverFile: string): string[] {
  return ['--config', dataDir, '--server-config', serverFile];
}

export function runCli(args: string[], timeoutMs = 30_000, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sigsock ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export interface LinkedAccountOptions {
  /** Runs after the phone and contacts exist, before sigsock links (e.g. to fill the phone's storage service). */
  beforeLink?: (world: { network: MockNetwork; phone: MockPrimaryDevice; bob: MockPrimaryDevice; carol: MockPrimaryDevice }) => Promise<void>;
}

/**
 * Links a sigsock data directory to `phone` with the real CLI (`link --name NAME`), answering the
 * QR code as the phone. Resolves with the mock's device for it and what `link` printed.
 */
export async function linkDataDir(
  network: MockNetwork,
  phone: MockPrimaryDevice,
  dataDir: string,
  serverFile: string,
  name: string,
): Promise<{ device: MockDevice; stdout: string }> {
  const child = spawn(process.execPath, [BIN, ...globalArgs(dataDir, serverFile), 'link', '--name', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const lines = createInterface({ input: child.stdout });
  let stdout = '';
  const uri = await new Promise<string>((resolveUri, reject) => {
    lines.on('line', (line) => {
      stdout += line + '\n';
      if (line.startsWith('sgnl://')) resolveUri(line);
    });
    void exited.then((code) => reject(new Error(`link exited (${code}) before printing a URI: ${stderr}`)));
  });
  const device = await network.completeLink(phone, uri);
  const code = await exited;
  if (code !== 0) throw new Error(`link exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`);
  return { device, stdout };
}

export async function linkedAccount(options: LinkedAccountOptions = {}): Promise<LinkedFixture> {
  const network = await startMockNetwork();
  const dataDir = mkdtempSync(join(tmpdir(), 'sigsock-e2e-'));
  const serverFile = join(dataDir, 'server.json');
  try {
    await network.writeServerConfigFile(serverFile);
    const bob = await network.createContact('Bob');
    const carol = await network.createContact('Carol');
    const phone = await network.createPhone('Alice', { contacts: [bob, carol] });
    await options.beforeLink?.({ network, phone, bob, carol });
    const { device, stdout } = await linkDataDir(network, phone, dataDir, serverFile, 'e2e');
    const number = phone.device.number!;
    // Children a failed test left running would keep the test process alive: close() kills them.
    const children = new Set<ChildProcess>();
    if (!stdout.includes(number)) throw new Error(`link did not print the number ${number}: ${stdout}`);

    return {
      network,
      phone,
      bob,
      carol,
      device,
      number,
      dataDir,
      serverFile,
      run: (args, options) =>
        runCli(
          [...globalArgs(dataDir, options?.serverFile ?? serverFile), ...(options?.account === false ? [] : ['-a', number]), ...args],
          options?.timeoutMs,
        ),
      spawn: (args, options) => {
        const spawnArgs = [BIN, ...globalArgs(dataDir, options?.serverFile ?? serverFile), '-a', number, ...args];
        const spawned = spawn(process.execPath, spawnArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...(options?.env && { env: { ...process.env, ...options.env } }) });
        children.add(spawned);
        spawned.on('exit', () => children.delete(spawned));
        return spawned;
      },
      introduce: (contact) => network.introduce(contact, device),
      close: async () => {
        for (const c of children) c.kill('SIGKILL');
        await network.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await network.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** The mock's verification code; any captcha token passes. */
export const MOCK_CODE = '111111';

/** A mock network and an empty data directory: for accounts the test registers itself. */
export interface BareNetwork {
  network: MockNetwork;
  dataDir: string;
  serverFile: string;
  /** `sigsock --config DIR --server-config FILE -a NUMBER ...args` */
  cli(number: string, ...args: string[]): Promise<RunResult>;
  close(): Promise<void>;
}

export async function bareNetwork(): Promise<BareNetwork> {
  const network = await startMockNetwork();
  const dataDir = mkdtempSync(join(tmpdir(), 'sigsock-bare-'));
  const serverFile = join(dataDir, 'server.json');
  await network.writeServerConfigFile(serverFile);
  return {
    network,
    dataDir,
    serverFile,
    cli: (number, ...args) => runCli([...globalArgs(dataDir, serverFile), '-a', number, ...args]),
    close: async () => {
      await network.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers `number` with the real CLI (register with a captcha, verify); returns its ACI. */
export async function registerWithCli(bare: BareNetwork, number: string): Promise<string> {
  const requested = await bare.cli(number, 'register', '--captcha', 'token');
  if (requested.code !== 0) throw new Error(`register failed: ${requested.stderr}`);
  const verified = await bare.cli(number, 'verify', MOCK_CODE);
  const aci = /ACI ([0-9a-f-]{36})/.exec(verified.stdout)?.[1];
  if (verified.code !== 0 || !aci) throw new Error(`verify failed (${verified.code}): ${verified.stdout}${verified.stderr}`);
  return aci;
}
