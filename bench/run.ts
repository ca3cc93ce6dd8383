// `npm run bench [-- --quick]`: sigsock against its floors on this machine, on the local mock
// server. Prints a table and writes bench/results.json. See docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { linkedAccount, type LinkedFixture } from '../test/support/harness.js';
import { startDaemon, type Daemon } from '../test/support/daemon.js';
import { client, type Client } from '../test/support/lineClient.js';
import { sendAttachment } from '../test/support/contactActions.js';
import { AccountMessenger } from '../src/messenger/accountMessenger.js';
import { freePort, spawnEchoFloor, spawnListenFloor, waitAccept } from './floors.js';
import { libsignalReceiveFloor } from './libsignalReceiveFloor.js';
import { libsignalSendFloor } from './libsignalSendFloor.js';
import { median, memoryOf, percentile, sleep, timed } from './measure.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
/** Repetitions of the heavier figures (throughput, bursts, attachments): each is a median of these. */
const REPEATS = 3;

async function medianOf(times: number, run: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < times; i++) values.push(await run());
  return median(values);
}

interface Figure {
  name: string;
  value: number;
  unit: string;
  floor?: number;
  /** value ÷ floor for times, floor-relative share for rates; how the target reads it. */
  ratio?: number;
  target?: string;
  meets?: boolean;
}
const figures: Figure[] = [];
const record = (f: Figure) => {
  figures.push(f);
  const ratio = f.ratio === undefined ? '' : `  ratio ${f.ratio.toFixed(2)}`;
  const floor = f.floor === undefined ? '' : `  floor ${f.floor.toFixed(1)} ${f.unit}`;
  const target = f.target ? `  target ${f.target}: ${f.meets ? 'met' : 'MISSED'}` : '';
  console.log(`${f.name.padEnd(44)} ${f.value.toFixed(1).padStart(9)} ${f.unit}${floor}${ratio}${target}`);
};

async function startup(f: LinkedFixture): Promise<void> {
  const daemonTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const t0 = performance.now();
    const child = f.spawn(['socket', '--port', String(port)]);
    child.stderr!.resume();
    await waitAccept(port);
    daemonTimes.push(performance.now() - t0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));

    const floorPort = await freePort();
    const f0 = performance.now();
    const floor = spawnListenFloor(floorPort);
    await waitAccept(floorPort);
    floorTimes.push(performance.now() - f0);
    floor.kill();
  }
  const d = median(daemonTimes);
  const fl = median(floorTimes);
  record({ name: 'start-up: exec → first accepted connection', value: d, unit: 'ms', floor: fl, ratio: d / fl, target: '≤ 500 ms', meets: d <= 500 });

  const port = await freePort();
  const child = f.spawn(['socket', '--port', String(port)]);
  child.stderr!.resume();
  const floorPort = await freePort();
  const floor = spawnListenFloor(floorPort);
  await waitAccept(port);
  await waitAccept(floorPort);
  await sleep(quick ? 3000 : 10_000);
  const rss = memoryOf(child.pid!).rss;
  const floorRss = memoryOf(floor.pid!).rss;
  record({ name: `idle RSS after ${quick ? 3 : 10} s`, value: rss, unit: 'MiB', floor: floorRss, ratio: rss / floorRss, target: '≤ 80 MiB', meets: rss <= 80 });
  child.kill('SIGTERM');
  floor.kill();
  await new Promise((r) => child.once('close', r));
}

async function roundTrips(port: number, connections: number, ms: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: connections }, () => client(port)));
  let count = 0;
  const deadline = performance.now() + ms;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        await c.request({ command: 'receive_messages', timeout: 0 });
        count++;
      }
    }),
  );
  for (const c of clients) c.close();
  return (count / ms) * 1000;
}

async function protocol(daemon: Daemon): Promise<void> {
  const echo = await spawnEchoFloor();
  const ms = quick ? 1500 : 4000;
  for (const n of [1, 50]) {
    const rate = await roundTrips(daemon.port, n, ms);
    const floor = await roundTrips(echo.port, n, ms);
    record({ name: `receive_messages round trips, ${n} conn`, value: rate, unit: '/s', floor, ratio: rate / floor, target: '≥ 50% of echo', meets: rate / floor >= 0.5 });
  }
  echo.process.kill();
}

async function sending(f: LinkedFixture, c: Client): Promise<void> {
  const bob = f.bob.device.number!;
  const send = (text: string, via = c) => via.request({ command: 'send_message', recipient: bob, dataMessage: { message: text } });
  await send('warm-up');
  await f.bob.waitForMessage();
  const latencies: number[] = [];
  for (let i = 0; i < (quick ? 30 : 200); i++) {
    const [, ms] = await timed(async () => {
      await send(`l${i}`);
      await f.bob.waitForMessage();
    });
    latencies.push(ms);
  }
  record({ name: 'send latency p50 (request → contact decrypted)', value: percentile(latencies, 50), unit: 'ms' });
  record({ name: 'send latency p99', value: percentile(latencies, 99), unit: 'ms' });

  const total = quick ? 100 : 400;
  const rates: Record<number, number> = {};
  for (const n of [1, 8]) {
    rates[n] = await medianOf(REPEATS, async () => {
      const clients = await Promise.all(Array.from({ length: n }, () => client((c.socket.remotePort ?? 0) as number)));
      const perClient = Math.floor(total / n);
      const [, ms] = await timed(async () => {
        const received = (async () => {
          for (let i = 0; i < perClient * n; i++) await f.bob.waitForMessage();
        })();
        await Promise.all(clients.map((cl, k) => Promise.all(Array.from({ length: perClient }, (_, i) => send(`t${k}-${i}`, cl)))));
        await received;
      });
      for (const cl of clients) cl.close();
      return ((perClient * n) / ms) * 1000;
    });
  }
  record({ name: 'send throughput, 1 client (pipelined)', value: rates[1]!, unit: 'msg/s' });
  record({ name: 'send throughput, 8 clients', value: rates[8]!, unit: 'msg/s' });
}

/** The account's whole send path in one process, no socket, no JSON: what the protocol layer adds. */
async function sendFloor(f: LinkedFixture): Promise<number> {
  const messenger = AccountMessenger.open({ dataDir: f.dataDir, number: f.number, serverConfig: f.network.serverConfig, trustMode: 'on-first-use', log: () => {} });
  messenger.start();
  const total = quick ? 100 : 400;
  const bob = f.bob.device.number!;
  const [, ms] = await timed(async () => {
    const received = (async () => {
      for (let i = 0; i < total; i++) await f.bob.waitForMessage();
    })();
    await Promise.all(Array.from({ length: total }, (_, i) => messenger.sendMessage({ recipient: bob }, `f${i}`, [])));
    await received;
  });
  await messenger.stop();
  return (total / ms) * 1000;
}

async function receiving(f: LinkedFixture, c: Client): Promise<void> {
  const burst = quick ? 200 : 1000;
  const commits: number[] = [];
  const drains: number[] = [];
  for (let run = 0; run < REPEATS; run++) {
    const [, commitMs] = await timed(async () => {
      for (let i = 0; i < burst; i++) await f.bob.sendText(f.device, `r${i}`);
    });
    const [, drainMs] = await timed(async () => {
      let got = 0;
      while (got < burst) got += ((await c.request({ command: 'receive_messages', timeout: 1000 })).messages as unknown[]).length;
    });
    commits.push(commitMs);
    drains.push(drainMs);
  }
  const commitMs = median(commits);
  const drainMs = median(drains);
  record({ name: `receive burst of ${burst}: all committed`, value: commitMs, unit: 'ms' });
  record({ name: `receive burst of ${burst}: drained by a client`, value: drainMs, unit: 'ms' });
  record({ name: 'receive throughput (commit)', value: (burst / commitMs) * 1000, unit: 'msg/s' });
  const latencies: number[] = [];
  for (let i = 0; i < (quick ? 10 : 50); i++) {
    const waiting = timed(() => c.request({ command: 'receive_messages', timeout: 10_000 }));
    await sleep(5);
    const t0 = performance.now();
    void f.bob.sendText(f.device, `w${i}`);
    await waiting;
    latencies.push(performance.now() - t0);
  }
  record({ name: 'receive latency p50 (contact send → answer)', value: percentile(latencies, 50), unit: 'ms' });
}

async function attachments(f: LinkedFixture, daemon: Daemon, c: Client): Promise<void> {
  const size = 10 * 1024 * 1024;
  const idle = memoryOf(daemon.process.pid!).rss;
  const data = randomBytes(size);
  const sendMs = await medianOf(REPEATS, async () => {
    const [, ms] = await timed(async () => {
      await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { attachments: [{ base64Data: data.toString('base64'), filename: 'big.bin' }] } }, 120_000);
      await f.bob.waitForMessage();
    });
    return ms;
  });
  const receiveMs = await medianOf(REPEATS, async () => {
    const [, ms] = await timed(async () => {
      await sendAttachment(f.network, f.bob, f.device, data, { fileName: 'big.bin', contentType: 'application/octet-stream' });
      for (;;) {
        const res = await c.request({ command: 'receive_messages', timeout: 5000 }, 120_000);
        if ((res.messages as unknown[]).length > 0) break;
      }
    });
    return ms;
  });
  const peakAbove = memoryOf(daemon.process.pid!).peak - idle;
  record({ name: '10 MiB attachment: send', value: sendMs, unit: 'ms' });
  record({ name: '10 MiB attachment: receive', value: receiveMs, unit: 'ms' });
  record({ name: '10 MiB attachment: peak RSS above idle', value: peakAbove, unit: 'MiB', target: '≤ 40 MiB (4×)', meets: peakAbove <= 40 });
}

async function groups(f: LinkedFixture, daemon: Daemon, c: Client): Promise<void> {
  const size = quick ? 20 : 100;
  const extra = await Promise.all(Array.from({ length: size - 2 }, (_, i) => f.network.createContact(`Member ${i}`)));
  const members = [f.bob, ...extra];
  const group = await f.phone.createGroup({ title: 'Bench group', members: [f.phone, ...members] });
  await f.bob.sendText(f.device, 'group hello', { group });
  while (((await c.request({ command: 'receive_messages', timeout: 5000 })).messages as { groupId?: string }[]).every((m) => m.groupId !== group.id));
  const sendOnce = async (text: string) => {
    const logBefore = daemon.stderr().length;
    const [, ms] = await timed(async () => {
      const res = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: text } }, 120_000);
      if (res.statusCode !== 0) throw new Error(`group send failed: ${JSON.stringify(res)}`);
      await Promise.all(members.map((m) => m.waitForMessage()));
    });
    const log = daemon.stderr().slice(logBefore);
    const shared = Number(/key newly shared with (\d+)/.exec(log)?.[1] ?? NaN);
    const multi = (log.match(/in one multi-recipient request/g) ?? []).length;
    return { ms, shared, multi };
  };
  const first = await sendOnce('first');
  const nexts = [];
  for (let i = 0; i < REPEATS; i++) nexts.push(await sendOnce(`next ${i}`));
  const second = { ...nexts[0]!, ms: median(nexts.map((n) => n.ms)) };
  record({ name: `group of ${size}: first send (keys shared with ${first.shared})`, value: first.ms, unit: 'ms' });
  record({ name: `group of ${size}: next send`, value: second.ms, unit: 'ms' });
  // Requests of a send: one group fetch (HTTPS), one 1:1 sender-key message per member device
  // that lacks our key, one multi-recipient message.
  record({ name: `group of ${size}: requests, first send (+ prekey fetches)`, value: 1 + first.shared + first.multi, unit: 'req' });
  record({ name: `group of ${size}: requests, next send`, value: 1 + second.shared + second.multi, unit: 'req' });
}

async function main(): Promise<void> {
  console.log(`sigsock benchmark (${quick ? 'quick' : 'full'}), node ${process.version}, medians of ${RUNS} runs (start-up) and ${REPEATS} (throughput, bursts, attachments, floors)\n`);
  const f = await linkedAccount();
  try {
    await f.introduce(f.bob);
    await startup(f);
    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    await protocol(daemon);
    await sending(f, c);
    await receiving(f, c);
    await attachments(f, daemon, c);
    await groups(f, daemon, c);
    c.close();
    await daemon.stop();
    const floor = await medianOf(REPEATS, () => libsignalSendFloor(f, quick ? 100 : 400));
    const productFloor = await medianOf(REPEATS, () => sendFloor(f));
    const receiveFloor = await medianOf(REPEATS, () => libsignalReceiveFloor(f, quick ? 200 : 1000));
    const receiveRate = figures.find((x) => x.name.startsWith('receive throughput'))!;
    Object.assign(receiveRate, { floor: receiveFloor, ratio: receiveRate.value / receiveFloor, target: '≥ 50% of floor', meets: receiveRate.value / receiveFloor >= 0.5 });
    record({ name: 'receive floor: libsignal decrypt only', value: receiveFloor, unit: 'msg/s' });
    console.log(`receive throughput (commit) vs floor: ${((receiveRate.ratio ?? 0) * 100).toFixed(0)}%`);
    const oneClient = figures.find((x) => x.name.startsWith('send throughput, 1'))!;
    const eight = figures.find((x) => x.name.startsWith('send throughput, 8'))!;
    for (const fig of [oneClient, eight]) {
      fig.floor = floor;
      fig.ratio = fig.value / floor;
      fig.target = '≥ 50% of floor';
      fig.meets = fig.ratio >= 0.5;
    }
    record({ name: 'send floor: libsignal encrypt + PUT only', value: floor, unit: 'msg/s' });
    record({ name: 'send path in-process (no socket)', value: productFloor, unit: 'msg/s', floor, ratio: productFloor / floor });
    console.log(
      `\nsend throughput vs floor: 1 client ${(oneClient.ratio! * 100).toFixed(0)}%, 8 clients ${(eight.ratio! * 100).toFixed(0)}%;` +
        ` the same send path without the socket: ${((productFloor / floor) * 100).toFixed(0)}%`,
    );
    writeFileSync(new URL('../../bench/results.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, figures }, null, 2) + '\n');
  } finally {
    await f.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
