// Issue 13, items 6 to 9, through a real daemon process and real sockets: a batch of millions of
// tiny values from a client that does not read is refused without the daemon's memory growing, a
// nesting error does not swallow the next line, a numeric reqId comes back with the digits sent,
// and TLS clients that never finish their handshake are dropped after the documented 10 s.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { LineClient } from '../support/lineClient.js';
import { captureClientHello, selfSignedCertificate } from '../support/tlsFixtures.js';

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** The next answer line as sent, unparsed: a parsed reqId would hide the digits. */
async function nextLine(c: LineClient): Promise<string> {
  const line = await c.nextLine();
  assert.ok(line !== null, 'the connection closed before an answer arrived');
  return line;
}

describe('socket input limits, through the daemon', () => {
  let f: LinkedFixture;
  let daemon: Daemon | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sigsock-input-'));

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
  });
  after(async () => {
    await daemon?.stop();
    await f?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [size, elements] of [
    ['9 MB', 3_000_000],
    ['90 MB', 30_000_000],
  ] as const) {
    it(`a ${size} batch of empty objects from a client that does not read is refused; memory stays bounded; the next line is answered`, async () => {
      const pid = daemon!.process.pid!;
      const c = await LineClient.open(daemon!.port);
      try {
        c.socket.pause();
        const input = Buffer.from(`[${'{},'.repeat(elements - 1)}{}]\n{command:'receive_messages', timeout: 0, reqId:'after'}\n`);
        const rssBefore = rssMiB(pid);
        let peak = rssBefore;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 10);
        try {
          await new Promise((resolve) => c.socket.write(input, resolve));
          c.socket.resume();
          const tooMany = await c.next();
          assert.equal(tooMany.statusCode, 4);
          assert.match(String(tooMany.errorMessage), /more than 100000 values in one command or batch; it was discarded/);
          assert.equal(await nextLine(c), '{"command":"receive_messages","reqId":"after","statusCode":0,"messages":[]}');
        } finally {
          clearInterval(sampler);
        }
        const growth = Math.max(peak, rssMiB(pid)) - rssBefore;
        // Before the limit the 9 MB batch took the daemon from 132 to 615 MiB, the 90 MB one to 3.9 GB.
        assert.ok(growth < 128, `the daemon grew by ${growth.toFixed(0)} MiB`);
      } finally {
        c.close();
      }
    });
  }

  it('after nesting deeper than 1000 levels the next line is answered, though the brackets never balance', async () => {
    const c = await LineClient.open(daemon!.port);
    try {
      // Half-closed, as `echo … | socat` does: a daemon still waiting for the brackets to balance answers nothing more.
      c.socket.end(`${'['.repeat(1001)}\n{command:'receive_messages', timeout: 0, reqId:'next'}\n`);
      const tooDeep = await c.next();
      assert.equal(tooDeep.statusCode, 4);
      assert.match(String(tooDeep.errorMessage), /nesting deeper than 1000 levels/);
      assert.equal(await nextLine(c), '{"command":"receive_messages","reqId":"next","statusCode":0,"messages":[]}');
    } finally {
      c.close();
    }
  });

  it('a numeric reqId comes back with exactly the digits sent', async () => {
    const c = await LineClient.open(daemon!.port);
    try {
      for (const reqId of ['9007199254740993', '12345678901234567890', '1e400', '-0', '2.50']) {
        c.socket.write(`{command:'receive_messages', timeout: 0, reqId: ${reqId}}\n`);
        assert.equal(await nextLine(c), `{"command":"receive_messages","reqId":${reqId},"statusCode":0,"messages":[]}`);
      }
      c.socket.write(`[{command:'nope', reqId: 9007199254740993}]\n`);
      assert.match(await nextLine(c), /^\{"command":"nope","reqId":9007199254740993,"statusCode":1,/);
    } finally {
      c.close();
    }
  });

  it('TLS: a silent client and clients that stop mid-handshake are dropped after 10 s; a client that finished its handshake stays', async () => {
    // One daemon per account: the plain one makes way for a TLS one.
    await daemon!.stop();
    daemon = undefined;
    const { certPath, keyPath } = selfSignedCertificate(dir);
    daemon = await startDaemon(f, ['--tls-cert', certPath, '--tls-key', keyPath]);
    const port = daemon.port;
    const hello = await captureClientHello();
    const secured = await LineClient.openTls(port, readFileSync(certPath));
    const started = Date.now();
    const silent = await LineClient.open(port);
    const halfHello = await LineClient.open(port);
    halfHello.socket.write(hello.subarray(0, hello.length >> 1));
    const stalled = await LineClient.open(port);
    stalled.socket.write(hello);
    try {
      for (const [what, c] of [['a silent client', silent], ['half a ClientHello', halfHello], ['a whole ClientHello and then nothing', stalled]] as const) {
        assert.equal(await c.closedWithin(20_000), true, `${what}: still connected after 20 s`);
      }
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 9_900, `dropped after ${elapsed} ms, before the 10 s timeout`);
      const answer = await secured.request(`{command:'receive_messages', timeout: 0, reqId: 'tls'}`);
      assert.deepEqual(answer, { command: 'receive_messages', reqId: 'tls', statusCode: 0, messages: [] });
    } finally {
      for (const c of [secured, silent, halfHello, stalled]) c.close();
    }
  });
});
