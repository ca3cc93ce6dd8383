// `sigsock receive | consumer`: messages leave the queue only once the pipe took them. A consumer
// that is gone, or that reads so slowly that the receiver is killed mid-write, loses nothing.
// (On Linux Node writes to a pipe synchronously, so the second case guards the rule for the
// platforms where it does not; the first failed here before: the EPIPE killed the receiver after
// the messages were deleted.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';

describe('sigsock receive into a pipe', () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
    await f.introduce(f.bob);
  });
  after(async () => {
    await f?.close();
  });

  const bodies = async () => {
    const res = await f.run(['receive', '--json', '--timeout', '3']);
    assert.equal(res.code, 0, res.stderr);
    return res.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { body: string }).body);
  };

  /** Bob's texts, one after another; the mock resolves each once the receiving device acked it. */
  const send = async (texts: string[]) => {
    for (const text of texts) await f.bob.sendText(f.device, text);
  };

  it('a consumer that has gone: the write fails, the messages stay queued', async () => {
    const sent = send([1, 2, 3].map((n) => `for a closed pipe ${n}`));
    const child = f.spawn(['receive', '--json', '--timeout', '5']);
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 1, stderr);
    assert.match(stderr, /the output was closed; the messages not written stay queued/);
    assert.deepEqual(await bodies(), ['for a closed pipe 1', 'for a closed pipe 2', 'for a closed pipe 3']);
    await sent;
  });

  it('a consumer that reads slowly: a receiver killed while its write waits on the pipe loses nothing', async () => {
    // Four messages of 80 kB: more than the pipe and the reading stream buffer together, so the
    // receiver's write cannot complete while the consumer does not read.
    const big = (n: number) => `${n}:` + 'x'.repeat(80_000);
    const sent = send([1, 2, 3, 4].map(big));
    const child = f.spawn(['receive', '--json', '--timeout', '30']);
    child.stdout!.pause();
    // All four committed by the receiver (the mock resolves a send once the device acked it, which
    // it does after the commit) and bytes in the pipe: the receiver is writing, stuck until
    // somebody reads.
    await sent;
    await once(child.stdout!, 'readable');
    child.kill('SIGKILL');
    // What the pipe holds was delivered to the consumer; everything else must still be queued.
    let piped = '';
    child.stdout!.on('data', (d: Buffer) => (piped += d.toString()));
    child.stdout!.resume();
    await once(child, 'close');
    const delivered = piped.split('\n').slice(0, -1).map((l) => (JSON.parse(l) as { body: string }).body);
    // Compared by their heads: a failure should not print 320 kB. A line that reached the pipe
    // while the rest of its answer did not may come again (the answer's messages go back
    // together); none may be missing.
    const head = (body: string) => `${body.slice(0, 4)}… (${body.length})`;
    const queued = await bodies();
    const seen = new Set([...delivered, ...queued].map(head));
    assert.deepEqual([1, 2, 3, 4].map(big).map(head).filter((h) => !seen.has(h)), [], `delivered ${delivered.map(head)}, queued ${queued.map(head)}`);
    assert.ok(queued.length > 0, 'the answer still waiting on the pipe was not removed from the queue');
  });
});
