// Protocol overhead: server CPU per cheap request (`receive_messages` with `timeout: 0` on an empty
// queue), read from /proc, the daemon against a bare Node JSON-lines server; one request at a time
// and pipelined (all written at once, then all answers read).
import { LineClient } from '../../test/support/lineClient.js';
import type { LinkedFixture } from '../../test/support/harness.js';
import { cpuDuring } from '../measure.js';
import { compare } from '../report.js';
import { startBareFloor, startServer, type Server } from '../servers.js';

const CHEAP = JSON.stringify({ command: 'receive_messages', timeout: 0 }) + '\n';

interface Cheap {
  cpuPerRequestUs: number;
  perSecond: number;
}

async function cheapRequests(server: Server, count: number, pipelined: boolean): Promise<Cheap> {
  const c = await LineClient.open(server.port);
  try {
    await c.request(CHEAP.trim());
    const { cpuMs, wallMs } = await cpuDuring(server.process.pid!, async () => {
      if (pipelined) {
        c.send(CHEAP.repeat(count));
        for (let i = 0; i < count; i++) await c.next();
      } else {
        for (let i = 0; i < count; i++) await c.request(CHEAP.trim());
      }
    });
    return { cpuPerRequestUs: (cpuMs * 1000) / count, perSecond: (count / wallMs) * 1000 };
  } finally {
    c.close();
  }
}

export async function protocol(f: LinkedFixture, rounds: number, count: number): Promise<void> {
  const daemon = await startServer(f, 'sigsock');
  const floor = await startBareFloor();
  const rows: Record<'sequential' | 'pipelined', Record<'sigsock' | 'floor', Cheap[]>> = {
    sequential: { sigsock: [], floor: [] },
    pipelined: { sigsock: [], floor: [] },
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['sequential', 'pipelined'] as const) {
        const order = round % 2 === 0 ? ([['sigsock', daemon], ['floor', floor]] as const) : ([['floor', floor], ['sigsock', daemon]] as const);
        for (const [kind, server] of order) rows[mode][kind].push(await cheapRequests(server, count, mode === 'pipelined'));
      }
    }
  } finally {
    await daemon.stop();
    await floor.stop();
  }
  for (const mode of ['sequential', 'pipelined'] as const) {
    const { sigsock, floor: bare } = rows[mode];
    compare(`protocol, ${mode}: server CPU per cheap request`, 'µs', sigsock.map((r) => r.cpuPerRequestUs), bare.map((r) => r.cpuPerRequestUs), {
      text: '≤ 1.5× floor',
      test: (r) => r <= 1.5,
    });
    compare(`protocol, ${mode}: cheap requests per second`, '/s', sigsock.map((r) => r.perSecond), bare.map((r) => r.perSecond));
  }
}
