// DNS and TLS trouble between the daemon and its server: a root certificate that does not match,
// a chat port that does not speak TLS, CDN hosts that do not resolve, a chat host libsignal cannot
// honour. The daemon keeps serving its clients, fails sends fast with an error that names the
// problem, retries with backoff (no spinning CPU, no flood of log lines), and loses nothing once
// it runs with the right server file again.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerConfigFile } from '../../src/signal/serverConfig.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { client, type Client } from '../support/lineClient.js';
import { sendAttachment, within } from '../support/contactActions.js';
import { WRONG_ROOT_CERTIFICATE_PEM } from './wrongRootCertificate.js';

// Long enough for several backoff rounds (250 ms doubling) and a send that waits out its 5 s for
// a connection, short enough for `npm test`.
const OBSERVE_MS = 5_000;
// Sanity bounds, not benchmarks: a retry loop without backoff makes hundreds of attempts and
// keeps a core busy; backing off makes a handful and idles.
const MAX_CPU_FRACTION = 0.5;
const MAX_RECONNECT_LOG_LINES = 30;
const UNRESOLVABLE_HOST = 'no-such-host.invalid';
// A liveness bound like the sandbox test's, not a speed figure: a daemon that left its pending
// connect attempt running took 15 s and more to exit once it had been cut off for a few seconds.
const EXIT_AFTER_SIGTERM_MS = 5_000;

function serverFileWith(f: LinkedFixture, name: string, change: (file: ServerConfigFile) => void): string {
  const file = JSON.parse(readFileSync(f.serverFile, 'utf8')) as ServerConfigFile;
  change(file);
  const path = join(f.dataDir, `${name}.json`);
  writeFileSync(path, JSON.stringify(file, null, 2), { mode: 0o600 });
  return path;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU time a process has used so far (Linux /proc/<pid>/stat, fields 14 and 15). */
function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Waits until the chat connection's third attempt is under way. libsignal holds repeated attempts
 * to a failing server back (about 5 s, then longer), so a stop now finds one in flight.
 */
async function untilAnAttemptIsHeldBack(daemon: Daemon): Promise<void> {
  // Two failures logged: the chat connection failed twice.
  await waitForLog(daemon, /Z chat: disconnected[\s\S]*Z chat: disconnected/, 20_000);
  // The second retry starts within 500 ms (250 ms doubling, jittered).
  await sleep(1_000);
}

function reconnectLogLines(daemon: Daemon): number {
  return (daemon.stderr().match(/retrying in/g) ?? []).length;
}

function stopPromptly(daemon: Daemon): Promise<number | null> {
  return within(daemon.stop(), EXIT_AFTER_SIGTERM_MS, `the daemon to exit within ${EXIT_AFTER_SIGTERM_MS} ms of SIGTERM`);
}

/** The first message with `body`; others (e.g. left over by a failed test) are passed over. */
async function receiveWithBody(c: Client, body: string, timeoutMs: number): Promise<Record<string, any> | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await receiveAll(c, 1, deadline - Date.now())).find((m) => m.body === body);
    if (found) return found;
  }
  return undefined;
}

function assertRunning(daemon: Daemon): void {
  assert.equal(daemon.process.exitCode, null, `the daemon exited:\n${daemon.stderr()}`);
  assert.equal(daemon.process.signalCode, null, 'the daemon was killed');
}

/**
 * A daemon that cannot reach its server for `cause` idles, answers its clients, fails a send
 * within its connection wait (not a hang, not a crash) with an error naming the cause, and backs off.
 */
async function assertServesWhileCutOff(t: TestContext, daemon: Daemon, c: Client, recipient: string, cause: RegExp): Promise<void> {
  const startedAt = Date.now();
  await waitForLog(daemon, /chat: disconnected/);
  const cpuBefore = cpuTimeMs(daemon.process.pid!);
  const wallBefore = Date.now();

  const live = await c.request({ command: 'receive_messages', timeout: 0 });
  assert.equal(live.statusCode, 0, `clients are still served: ${JSON.stringify(live)}`);
  const failed = await c.request({ command: 'send_message', recipient, dataMessage: { message: 'while cut off' } }, 30_000);
  const sendMs = Date.now() - wallBefore;
  assert.equal(failed.statusCode, -1, JSON.stringify(failed));
  assert.match(String(failed.errorMessage), /not connected to the Signal server/);
  assert.match(String(failed.errorMessage), cause);

  await sleep(Math.max(0, OBSERVE_MS - (Date.now() - wallBefore)));
  const windowMs = Date.now() - wallBefore;
  const cpuFraction = (cpuTimeMs(daemon.process.pid!) - cpuBefore) / windowMs;
  assertRunning(daemon);
  const attempts = reconnectLogLines(daemon);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  t.diagnostic(`CPU ${(cpuFraction * 100).toFixed(1)}% over ${windowMs} ms; ${attempts} reconnect log lines (chat + unauthenticated) in ${seconds} s; send failed after ${sendMs} ms`);
  assert.ok(attempts > 0 && attempts < MAX_RECONNECT_LOG_LINES, `reconnects back off instead of spinning (${attempts} in ${seconds} s)`);
  assert.ok(cpuFraction < MAX_CPU_FRACTION, `the daemon idles while cut off (${(cpuFraction * 100).toFixed(1)}% CPU)`);
}

describe('DNS and TLS faults', () => {
  let f: LinkedFixture;
  let bobNumber: string;
  before(async () => {
    f = await linkedAccount();
    await f.introduce(f.bob);
    bobNumber = f.bob.device.number!;
  });
  after(async () => {
    await f?.close();
  });

  it('refuses a server file whose chat host is not this machine, instead of silently connecting to localhost', async () => {
    // libsignal's local-server mode always dials localhost:<chat.port>; a daemon that accepted any
    // other host would talk to whatever listens here, and a host that does not resolve would go unnoticed.
    const serverFile = serverFileWith(f, 'unresolvable-chat-host', (file) => (file.chat.host = UNRESOLVABLE_HOST));
    const run = await f.run(['socket', '--port', '0'], { serverFile, timeoutMs: 10_000 });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /"chat\.host" must be this machine/);
    assert.ok(run.stderr.includes(UNRESOLVABLE_HOST), run.stderr);
  });

  it('keeps serving with a wrong root certificate, and gets what was sent meanwhile once the certificate is right', async (t) => {
    const serverFile = serverFileWith(f, 'wrong-root-certificate', (file) => (file.rootCertificatePem = WRONG_ROOT_CERTIFICATE_PEM));
    const broken = await startDaemon(f, [], { serverFile });
    const brokenClient = await client(broken.port);
    // The mock resolves a send only once the message reached the device: that is the proof below.
    let meanwhile: Promise<void>;
    try {
      await assertServesWhileCutOff(t, broken, brokenClient, bobNumber, /SSL|certificate/i);
      meanwhile = f.bob.sendText(f.device, 'sent while the certificate was wrong');
      await untilAnAttemptIsHeldBack(broken);
      assert.equal(await stopPromptly(broken), 0, `a clean exit on SIGTERM:\n${broken.stderr()}`);
    } finally {
      brokenClient.close();
      // Only after a failure is it still running; it would hold the account lock.
      await broken.stop('SIGKILL');
    }

    const fixed = await startDaemon(f);
    const c = await client(fixed.port);
    try {
      await within(meanwhile, 30_000, 'the message sent meanwhile to be delivered');
      const [m] = await receiveAll(c, 1, 30_000);
      assert.equal(m?.body, 'sent while the certificate was wrong');
      const ok = await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'certificate fixed' } });
      assert.equal(ok.statusCode, 0, JSON.stringify(ok));
      assert.equal((await within(f.bob.waitForMessage(), 20_000, 'bob to receive')).body, 'certificate fixed');
    } finally {
      c.close();
      await fixed.stop();
    }
  });

  it('keeps serving when the chat port speaks plain HTTP instead of TLS, and backs off', async (t) => {
    let connections = 0;
    const plainHttp = createServer((socket) => {
      connections++;
      socket.on('error', () => {});
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    });
    await new Promise<void>((resolve) => plainHttp.listen(0, '127.0.0.1', resolve));
    const port = (plainHttp.address() as AddressInfo).port;
    const serverFile = serverFileWith(f, 'plain-http-chat-port', (file) => (file.chat.port = port));
    const daemon = await startDaemon(f, [], { serverFile });
    const c = await client(daemon.port);
    try {
      await assertServesWhileCutOff(t, daemon, c, bobNumber, /connect attempts failed/);
      t.diagnostic(`${connections} TCP connections reached the non-TLS port`);
      assert.ok(connections > 0 && connections < MAX_RECONNECT_LOG_LINES, `connection attempts are spaced out (${connections})`);
      await untilAnAttemptIsHeldBack(daemon);
      assert.equal(await stopPromptly(daemon), 0, `a clean exit on SIGTERM:\n${daemon.stderr()}`);
    } finally {
      c.close();
      await daemon.stop('SIGKILL');
      plainHttp.close();
    }
  });

  it('delivers messages while the CDN host does not resolve; after the retry window the attachment carries the DNS error', async (t) => {
    const serverFile = serverFileWith(f, 'unresolvable-cdn', (file) => {
      const unresolvable = (url: string) => url.replace(/\/\/[^/:]+/, `//${UNRESOLVABLE_HOST}`);
      for (const number of Object.keys(file.cdn)) file.cdn[number] = unresolvable(file.cdn[number]!);
      file.storageUrl = unresolvable(file.storageUrl);
    });
    // Downloads ride out network failures for --attachment-retry seconds (2 min by default); 2 s here.
    const daemon = await startDaemon(f, ['--attachment-retry', '2'], { serverFile });
    const c = await client(daemon.port);
    try {
      await sendAttachment(f.network, f.bob, f.device, randomBytes(1000), { fileName: 'a.bin', contentType: 'application/octet-stream', body: 'with a file' });
      const m = await receiveWithBody(c, 'with a file', 60_000);
      assert.ok(m, 'the message is not held back by the unreachable CDN');
      t.diagnostic(`attachment error: ${m.attachments[0].error}`);
      assert.equal(m.attachments[0].base64Data, undefined);
      assert.match(m.attachments[0].error, new RegExp(`ENOTFOUND|EAI_AGAIN|${UNRESOLVABLE_HOST.replace(/\./g, '\\.')}`));
      const ok = await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'chat is unaffected' } });
      assert.equal(ok.statusCode, 0, JSON.stringify(ok));
      assert.equal((await within(f.bob.waitForMessage(), 20_000, 'bob to receive')).body, 'chat is unaffected');
      assertRunning(daemon);
    } finally {
      c.close();
      await daemon.stop();
    }
  });
});
