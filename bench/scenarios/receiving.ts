// Receiving a backlog: a contact's messages queued at the server while nothing is connected, then
// the server process started and a client draining them; the daemon (decrypt, commit, ack, serve
// from the inbox) against the same-work floor (decrypt, ack, serve from memory), interleaved.
import type { LinkedFixture } from '../../test/support/harness.js';
import { LineClient } from '../../test/support/lineClient.js';
import { cpuMsOf } from '../measure.js';
import { compare } from '../report.js';
import { chatConnectedAt, startServer, type ServerKind } from '../servers.js';

/** Queues `count` texts from Bob for the linked device while it is offline; resolves once all were delivered. */
export async function queueBacklog(f: LinkedFixture, count: number, prefix: string): Promise<() => Promise<void>> {
  const delivered: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const envelope = await f.bob.encryptText(f.device, `${prefix} ${i}`);
    // Queued at once (nothing is connected); resolves when the device took it.
    delivered.push(f.network.server.send(f.device, envelope));
  }
  return async () => {
    await Promise.all(delivered);
  };
}

interface Drain {
  execToAll: number;
  /** From "chat: connected" until the client has the last one. */
  perSecond: number;
  /** All the server's CPU from exec until the client has the last one (start-up included), per message. */
  cpuPerMessage: number;
}

async function drainBacklog(f: LinkedFixture, kind: ServerKind, count: number, round: number): Promise<Drain> {
  const delivered = await queueBacklog(f, count, `backlog ${kind} ${round}`);
  const t0 = performance.now();
  const server = await startServer(f, kind);
  try {
    const c = await LineClient.open(server.port);
    let got = 0;
    while (got < count) {
      const res = await c.request({ command: 'receive_messages', timeout: 5000 }, 30_000);
      got += (res.messages as unknown[]).length;
    }
    const last = performance.now();
    const lastAt = Date.now();
    // From the server's own "chat: connected": what each does with the backlog, not how long it takes to start.
    const connectedAt = chatConnectedAt(server);
    const cpu = cpuMsOf(server.process.pid!);
    c.close();
    await delivered();
    return { execToAll: last - t0, perSecond: (count / (lastAt - connectedAt)) * 1000, cpuPerMessage: cpu / count };
  } finally {
    await server.stop();
  }
}

export async function receiving(f: LinkedFixture, rounds: number, backlog: number): Promise<void> {
  const runs: Record<ServerKind, Drain[]> = { sigsock: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    const order: ServerKind[] = round % 2 === 0 ? ['sigsock', 'floor'] : ['floor', 'sigsock'];
    for (const kind of order) runs[kind].push(await drainBacklog(f, kind, backlog, round));
  }
  const pick = (k: keyof Drain) => [runs.sigsock.map((r) => r[k]), runs.floor.map((r) => r[k])] as const;
  compare(`receive backlog of ${backlog}: drained to a client`, 'msg/s', ...pick('perSecond'), { text: '≥ 0.60 of floor', test: (r) => r >= 0.6 });
  compare(`receive backlog of ${backlog}: exec → all at the client`, 'ms', ...pick('execToAll'));
  compare('receive backlog: server CPU from exec to drained, per message', 'ms', ...pick('cpuPerMessage'));
}
