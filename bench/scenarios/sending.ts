// Sending 1:1 to an established contact, the daemon against the same-work floor (recipient's
// message and sync copy, sealed where the daemon seals, no store), interleaved: sequential request
// → answer latency, and throughput of 8 clients pipelining until the contact decrypted all.
import type { LinkedFixture } from '../../test/support/harness.js';
import { LineClient } from '../../test/support/lineClient.js';
import { cpuDuring, percentile } from '../measure.js';
import { compare } from '../report.js';
import { interleaved, type Server } from '../servers.js';

export interface SendFigures {
  p50: number;
  cpuPerSequentialSend: number;
  perSecond: number;
  cpuPerPipelinedSend: number;
}

const sendLine = (recipient: string, text: string) => JSON.stringify({ command: 'send_message', recipient, dataMessage: { message: text } }) + '\n';

function expectSent(answer: Record<string, unknown>): void {
  if (answer.statusCode !== 0) throw new Error(`send failed: ${JSON.stringify(answer)}`);
}

/** `count` sends one after another on one connection: request → answer latencies, and server CPU per send. */
export async function sequentialSends(f: LinkedFixture, server: Server, count: number): Promise<{ p50: number; cpuPerSend: number }> {
  const c = await LineClient.open(server.port);
  const bob = f.bob.device.number!;
  try {
    expectSent(await c.request(sendLine(bob, 'warm-up').trim()));
    await f.bob.waitForMessage();
    const latencies: number[] = [];
    const { cpuMs } = await cpuDuring(server.process.pid!, async () => {
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        expectSent(await c.request(sendLine(bob, `seq ${i}`).trim()));
        latencies.push(performance.now() - t0);
        // Outside the timing: the contact decrypts it before the next send.
        await f.bob.waitForMessage();
      }
    });
    return { p50: percentile(latencies, 50), cpuPerSend: cpuMs / count };
  } finally {
    c.close();
  }
}

/** `total` sends spread over `clients` connections, each pipelining its share; until all answered and decrypted. */
export async function pipelinedSends(f: LinkedFixture, server: Server, clients: number, total: number): Promise<{ perSecond: number; cpuPerSend: number }> {
  const connections = await Promise.all(Array.from({ length: clients }, () => LineClient.open(server.port)));
  const bob = f.bob.device.number!;
  const perClient = Math.floor(total / clients);
  try {
    const { cpuMs, wallMs } = await cpuDuring(server.process.pid!, async () => {
      const received = (async () => {
        for (let i = 0; i < perClient * clients; i++) await f.bob.waitForMessage();
      })();
      await Promise.all(
        connections.map(async (c, k) => {
          c.send(Array.from({ length: perClient }, (_, i) => sendLine(bob, `pipe ${k}-${i}`)).join(''));
          for (let i = 0; i < perClient; i++) expectSent(await c.next(120_000));
        }),
      );
      await received;
    });
    return { perSecond: ((perClient * clients) / wallMs) * 1000, cpuPerSend: cpuMs / (perClient * clients) };
  } finally {
    for (const c of connections) c.close();
  }
}

export async function sending(f: LinkedFixture, rounds: number, sequential: number, pipelined: number): Promise<void> {
  const runs = await interleaved(f, rounds, async (server): Promise<SendFigures> => {
    const seq = await sequentialSends(f, server, sequential);
    const pipe = await pipelinedSends(f, server, 8, pipelined);
    return { p50: seq.p50, cpuPerSequentialSend: seq.cpuPerSend, perSecond: pipe.perSecond, cpuPerPipelinedSend: pipe.cpuPerSend };
  });
  const pick = (k: keyof SendFigures) => [runs.sigsock.map((r) => r[k]), runs.floor.map((r) => r[k])] as const;
  compare(`send throughput, 8 clients pipelining ${pipelined}`, 'msg/s', ...pick('perSecond'), { text: '≥ 0.60 of floor', test: (r) => r >= 0.6 });
  compare('send, pipelined: server CPU per send', 'ms', ...pick('cpuPerPipelinedSend'));
  compare('send, sequential: p50 request → answer', 'ms', ...pick('p50'), { text: '≤ 1.5× floor', test: (r) => r <= 1.5 });
  compare('send, sequential: server CPU per send', 'ms', ...pick('cpuPerSequentialSend'));
}
