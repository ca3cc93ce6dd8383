// Memory of the daemon (VmRSS and VmHWM from /proc): idle; after many sends and receives and a
// while later; and the peak of one 10 MiB attachment sent, then received, each from the idle of a
// freshly started daemon (VmHWM reset just before), so one transfer's peak is not another's.
import { randomBytes } from 'node:crypto';
import { sendAttachment } from '../../test/support/contactActions.js';
import type { LinkedFixture } from '../../test/support/harness.js';
import { LineClient } from '../../test/support/lineClient.js';
import { memoryOf, resetPeak, sleep, timed } from '../measure.js';
import { record } from '../report.js';
import { startServer, type ServerKind } from '../servers.js';
import { pipelinedSends } from './sending.js';

/** Bob sends `count` texts while the daemon runs and a client drains them. */
export async function receiveMany(f: LinkedFixture, port: number, count: number): Promise<void> {
  const c = await LineClient.open(port);
  try {
    const draining = (async () => {
      let got = 0;
      while (got < count) got += ((await c.request({ command: 'receive_messages', timeout: 5000 }, 30_000)).messages as unknown[]).length;
    })();
    const CHUNK = 200;
    for (let start = 0; start < count; start += CHUNK) {
      const delivered: Promise<void>[] = [];
      for (let i = start; i < Math.min(count, start + CHUNK); i++) delivered.push(f.network.server.send(f.device, await f.bob.encryptText(f.device, `mem ${i}`)));
      await Promise.all(delivered);
    }
    await draining;
  } finally {
    c.close();
  }
}

interface TrafficMemory {
  idle: number;
  after: number;
  later: number;
}

/** What contrib/sigsock.service and the Dockerfile give the daemon (docs/service.md). */
export const SHIPPED_NODE_OPTIONS = '--max-semi-space-size=2';

async function startWith(f: LinkedFixture, kind: ServerKind, nodeOptions: string | undefined) {
  const before = process.env.NODE_OPTIONS;
  // The child takes the environment at spawn.
  if (nodeOptions) process.env.NODE_OPTIONS = nodeOptions;
  try {
    return await startServer(f, kind);
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
}

async function trafficMemory(f: LinkedFixture, kind: ServerKind, settleMs: number, count: number, laterMs: number, nodeOptions?: string): Promise<TrafficMemory> {
  const server = await startWith(f, kind, nodeOptions);
  try {
    await sleep(settleMs);
    const idle = memoryOf(server.process.pid!).rss;
    await pipelinedSends(f, server, 8, count);
    await receiveMany(f, server.port, count);
    const after = memoryOf(server.process.pid!).rss;
    await sleep(laterMs);
    return { idle, after, later: memoryOf(server.process.pid!).rss };
  } finally {
    await server.stop();
  }
}

/**
 * The daemon, and the same-work floor after the same traffic: what libsignal, the network and
 * Node keep (the floor has no store) is the floor of what the daemon can give back.
 */
export async function memoryUnderTraffic(f: LinkedFixture, settleMs: number, count: number, laterMs: number): Promise<void> {
  const sigsock = await trafficMemory(f, 'sigsock', settleMs, count, laterMs);
  const floor = await trafficMemory(f, 'floor', settleMs, count, laterMs);
  const shipped = await trafficMemory(f, 'sigsock', settleMs, count, laterMs, SHIPPED_NODE_OPTIONS);
  record({ name: 'memory: idle RSS before the traffic', value: sigsock.idle, unit: 'MiB', floor: floor.idle, ratio: sigsock.idle / floor.idle, target: '≤ 80 MiB', meets: sigsock.idle <= 80 });
  record({ name: `memory: RSS after ${count} sends + ${count} receives`, value: sigsock.after, unit: 'MiB', floor: floor.after, ratio: sigsock.after / floor.after });
  const later = sigsock.later / sigsock.idle;
  record({ name: `memory: RSS ${laterMs / 1000} s later, ÷ its idle`, value: later, unit: '×', floor: floor.later / floor.idle, ratio: later / (floor.later / floor.idle), target: '≤ 1.25× idle', meets: later <= 1.25 });
  record({ name: `memory: RSS ${laterMs / 1000} s later`, value: sigsock.later, unit: 'MiB', floor: floor.later, ratio: sigsock.later / floor.later });
  const shippedLater = shipped.later / shipped.idle;
  record({ name: `memory as shipped (NODE_OPTIONS=${SHIPPED_NODE_OPTIONS}): idle`, value: shipped.idle, unit: 'MiB', target: '≤ 80 MiB', meets: shipped.idle <= 80 });
  record({ name: `memory as shipped: ${laterMs / 1000} s after the traffic, ÷ idle`, value: shippedLater, unit: '×', target: '≤ 1.25× idle', meets: shippedLater <= 1.25 });
  record({ name: `memory as shipped: ${laterMs / 1000} s after the traffic`, value: shipped.later, unit: 'MiB', floor: floor.later, ratio: shipped.later / floor.later });
}

/** Peak RSS above idle while `transfer` runs, on a freshly started daemon. */
async function peakAboveIdle(f: LinkedFixture, settleMs: number, transfer: (port: number) => Promise<void>): Promise<{ above: number; ms: number }> {
  const server = await startServer(f, 'sigsock');
  try {
    await sleep(settleMs);
    const pid = server.process.pid!;
    const idle = memoryOf(pid).rss;
    resetPeak(pid);
    const [, ms] = await timed(() => transfer(server.port));
    return { above: memoryOf(pid).peak - idle, ms };
  } finally {
    await server.stop();
  }
}

export async function attachmentMemory(f: LinkedFixture, settleMs: number): Promise<void> {
  const data = randomBytes(10 * 1024 * 1024);
  const send = await peakAboveIdle(f, settleMs, async (port) => {
    const c = await LineClient.open(port);
    try {
      const res = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { attachments: [{ base64Data: data.toString('base64'), filename: 'big.bin' }] } }, 120_000);
      if (res.statusCode !== 0) throw new Error(`attachment send failed: ${JSON.stringify(res)}`);
      await f.bob.waitForMessage();
    } finally {
      c.close();
    }
  });
  const receive = await peakAboveIdle(f, settleMs, async (port) => {
    const c = await LineClient.open(port);
    try {
      const sent = sendAttachment(f.network, f.bob, f.device, data, { fileName: 'big.bin', contentType: 'application/octet-stream' });
      while (((await c.request({ command: 'receive_messages', timeout: 5000 }, 120_000)).messages as unknown[]).length === 0);
      await sent;
    } finally {
      c.close();
    }
  });
  const target = { target: '≤ 20 MiB', unit: 'MiB' };
  record({ name: '10 MiB attachment sent: peak RSS above idle', value: send.above, ...target, meets: send.above <= 20 });
  record({ name: '10 MiB attachment received: peak RSS above idle', value: receive.above, ...target, meets: receive.above <= 20 });
  record({ name: '10 MiB attachment sent: request → contact has it', value: send.ms, unit: 'ms' });
  record({ name: '10 MiB attachment received: contact sends → client has it', value: receive.ms, unit: 'ms' });
}
