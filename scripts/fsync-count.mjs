// Counts the daemon's fsync, fdatasync and pwrite64 calls per message with
// `strace -f -c -p PID` (attached after start-up and a first send, detached after the traffic),
// for the "fsyncs per message" table in docs/benchmarks.md. Needs strace and a build:
//   npm run build && node scripts/fsync-count.mjs [N]
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { linkedAccount } from '../dist/test/support/harness.js';
import { startDaemon } from '../dist/test/support/daemon.js';
import { client } from '../dist/test/support/lineClient.js';

const N = Number(process.argv[2] ?? 200);
const SYSCALLS = ['fsync', 'fdatasync', 'pwrite64'];

/** Runs `traffic` with strace attached to every thread of the daemon; the counts per syscall. */
async function traced(daemon, traffic) {
  const out = join(tmpdir(), `sigsock-strace-${process.pid}.txt`);
  const strace = spawn('strace', ['-f', '-c', '-o', out, '-e', `trace=${SYSCALLS.join(',')}`, '-p', String(daemon.process.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((resolve) => strace.stderr.once('data', resolve)); // "Process N attached"
  await traffic();
  strace.kill('SIGINT');
  await new Promise((resolve) => strace.once('exit', resolve));
  const result = Object.fromEntries(SYSCALLS.map((s) => [s, 0]));
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.at(-1) in result) result[cols.at(-1)] = Number(cols[3]);
  }
  rmSync(out, { force: true });
  return result;
}

async function send(c, recipient, body) {
  const a = await c.request({ command: 'send_message', recipient, dataMessage: { message: body } });
  if (a.statusCode !== 0) throw new Error(JSON.stringify(a));
}

/** Until the phone has the transcript of `body` (copies go in order), and the rows of sent copies were forgotten. */
async function syncCopiesSent(f, body) {
  await f.phone.waitForSyncMessage((e) => e.syncMessage.content?.sent?.message?.body === body);
  await sleep(1500);
}

const f = await linkedAccount();
const bob = f.bob.device.number;
const daemon = await startDaemon(f);
const rows = [];
try {
  const clients = await Promise.all(Array.from({ length: 8 }, () => client(daemon.port)));
  await send(clients[0], bob, 'warm-up');
  await syncCopiesSent(f, 'warm-up');

  const seq = await traced(daemon, async () => {
    for (let i = 0; i < N; i++) await send(clients[0], bob, `s${i}`);
    await syncCopiesSent(f, `s${N - 1}`);
  });
  rows.push(['send, sequential (1 client)', seq]);

  const par = await traced(daemon, async () => {
    await Promise.all(clients.map(async (c, k) => {
      for (let i = 0; i < N / 8; i++) await send(c, bob, `p${k}-${i}`);
    }));
    await sleep(3000);
  });
  rows.push(['send, 8 clients at once', par]);

  // A burst: all N encrypted first, then handed to the server at once, as a backlog is delivered.
  const envelopes = [];
  for (let i = 0; i < N; i++) envelopes.push(await f.bob.encryptText(f.device, `r${i}`));
  const recv = await traced(daemon, async () => {
    await Promise.all(envelopes.map((e) => f.bob.config.send(f.device, e)));
  });
  rows.push([`receive: a burst of ${N}, until all were acked`, recv]);
  const drain = await traced(daemon, async () => {
    let got = 0;
    while (got < N) got += (await clients[0].request({ command: 'receive_messages', timeout: 2000 })).messages.length;
  });
  rows.push([`receive: the same ${N} drained by one client`, drain]);
  for (const c of clients) c.close();
} finally {
  await daemon.stop();
  await f.close();
}
console.log(`| per message (N = ${N}) | ${SYSCALLS.join(' | ')} |`);
console.log(`|---|${SYSCALLS.map(() => '---').join('|')}|`);
for (const [name, c] of rows) console.log(`| ${name} | ${SYSCALLS.map((s) => (c[s] / N).toFixed(2)).join(' | ')} |`);
