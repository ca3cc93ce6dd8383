// Issue 19 items 3, 4, 6 and 8 (SIGINT), through the real `sigsock sandbox`: a port in use names
// --port and a free port; a --state-dir is kept for inspection and a second run refuses it instead
// of mixing runs; SIGINT is logged like `socket` logs it; started through npx, the sandbox does not
// outlive the npx process.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIN, runCli } from '../support/harness.js';

interface Started {
  child: ChildProcess;
  ready: { port: number; pid: number };
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startSandbox(command: string, args: string[], cwd?: string): Promise<Started> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ready: JSON.parse(line) as Started['ready'], stderr: () => stderr, exited }));
    void exited.then(() => reject(new Error(`sandbox exited before it was ready:\n${stderr}`)));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sandbox lifecycle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigsock-lifecycle-'));
  const leftovers: number[] = [];
  after(() => {
    for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a port in use names --port and suggests a free port, before the network starts', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = await runCli(['sandbox', '--port', String(port), '--state-dir', join(dir, 'unused')]);
      assert.equal(res.code, 1, res.stderr);
      const m = new RegExp(`^sigsock: 127\\.0\\.0\\.1:${port} is already in use .*: choose another with --port, e\\.g\\. --port (\\d+) \\(free now\\)\\n$`).exec(res.stderr);
      assert.ok(m, res.stderr);
      assert.notEqual(Number(m[1]), port);
      assert.equal(existsSync(join(dir, 'unused')), false, 'nothing was started');
    } finally {
      blocker.close();
    }
  });

  it('SIGINT is logged; the --state-dir stays for inspection, and a second run refuses it with a clear message', async () => {
    const stateDir = join(dir, 'kept');
    const first = await startSandbox(process.execPath, [BIN, 'sandbox', '--port', '0', '--jsonrpc-port', '0', '--http-port', '0', '--state-dir', stateDir]);
    leftovers.push(first.child.pid!);
    first.child.kill('SIGINT');
    assert.deepEqual(await first.exited, { code: 0, signal: null });
    assert.match(first.stderr(), /^\S+ SIGINT: shutting down$/m);
    const kept = readdirSync(stateDir).sort();
    assert.deepEqual(kept, ['data', 'network']);

    const second = await runCli(['sandbox', '--port', '0', '--jsonrpc-port', '0', '--http-port', '0', '--state-dir', stateDir]);
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /^sigsock: sandbox: --state-dir .* already holds an earlier sandbox run\. A sandbox is not resumed .* another --state-dir, or remove /);
    assert.deepEqual(readdirSync(stateDir).sort(), kept);
  });

  it('started through npx, the sandbox exits when the npx process is stopped', async () => {
    const root = dirname(dirname(BIN));
    const viaNpx = await startSandbox('npx', ['--offline', 'sigsock', 'sandbox', '--port', '0', '--jsonrpc-port', '0', '--http-port', '0'], root);
    const sandboxPid = viaNpx.ready.pid;
    leftovers.push(sandboxPid);
    assert.notEqual(sandboxPid, viaNpx.child.pid, 'npx runs sigsock as a separate process');
    viaNpx.child.kill('SIGTERM');
    await viaNpx.exited;
    await waitForExit(sandboxPid, 15_000);
  });
});
