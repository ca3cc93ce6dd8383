// 10,000 idle connections: the daemon keeps its memory bounded and still answers another client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';

const IDLE = 10_000;

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

describe('many idle connections', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  const sockets: Socket[] = [];
  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f, ['--max-connections', String(IDLE + 100)]);
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await daemon?.stop();
    await f?.close();
  });

  it(`holds ${IDLE} idle connections with bounded memory and still serves another client`, async () => {
    const before = rssMiB(daemon.process.pid!);
    for (let i = 0; i < IDLE; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, IDLE - i) }, () => new Promise<void>((resolve, reject) => {
          const s = connect(daemon.port, '127.0.0.1', () => resolve());
          s.on('error', reject);
          sockets.push(s);
        })),
      );
    }
    const c = await client(daemon.port);
    const res = await c.request({ command: 'receive_messages', timeout: 0 });
    assert.equal(res.statusCode, 0);
    c.close();
    const grown = rssMiB(daemon.process.pid!) - before;
    // A bound, not a speed figure: a few KiB per idle connection, far from a leak of buffers.
    assert.ok(grown < 256, `the daemon grew by ${grown.toFixed(0)} MiB for ${IDLE} idle connections`);
  });
});
