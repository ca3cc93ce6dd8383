// The crash scenario shared by the e2e test and the soak run: contacts keep writing while the
// daemon is killed with SIGKILL at random points and a client keeps draining. The kill moments come
// from a seeded PRNG (the caller prints the seed): a run that fails can be replayed with that seed,
// as far as the timing of processes allows.
import assert from 'node:assert/strict';
import type { LinkedFixture } from '../support/harness.js';
import type { Random } from '../support/random.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { client, type Client } from '../support/lineClient.js';

export async function crashScenario(f: LinkedFixture, perSender: number, kills: number, random: Random): Promise<Map<string, string[]>> {
  const senders = [f.bob, f.carol];
  for (const s of senders) await f.introduce(s);
  const received = new Map<string, string[]>(senders.map((s) => [s.device.aci, []]));
  const producing = Promise.all(
    senders.map(async (s, si) => {
      for (let i = 0; i < perSender; i++) await s.sendText(f.device, `${si}:${i}`);
    }),
  );
  let done = false;
  void producing.then(() => (done = true));

  const drain = async (c: Client, until: () => boolean) => {
    while (!until()) {
      const res = await c.request({ command: 'receive_messages', timeout: 300 });
      for (const m of res.messages as { senderUuid: string; body: string }[]) received.get(m.senderUuid)?.push(m.body);
    }
  };
  const total = () => [...received.values()].reduce((n, l) => n + l.length, 0);

  for (let k = 0; k < kills; k++) {
    const daemon: Daemon = await startDaemon(f);
    const c = await client(daemon.port);
    // The kill comes at a random moment, whatever the drain is doing (waiting, mid-answer, between
    // answers); the drain then ends with an error, which is the point. (Killing right after each
    // answer instead would aim at the one window the seed's protocol cannot close: see
    // docs/reliability.md.)
    let killed = false;
    const draining = drain(c, () => killed).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 150 + random.next() * 600));
    killed = true;
    await daemon.stop('SIGKILL');
    await draining;
    c.close();
  }
  const last = await startDaemon(f);
  const c = await client(last.port);
  const deadline = Date.now() + 60_000;
  await drain(c, () => (done && total() >= senders.length * perSender) || Date.now() > deadline);
  await producing;
  // Anything still queued now would be a duplicate: collect it too.
  const extra = await c.request({ command: 'receive_messages', timeout: 500 });
  for (const m of extra.messages as { senderUuid: string; body: string }[]) received.get(m.senderUuid)?.push(m.body);
  c.close();
  assert.equal(await last.stop(), 0);
  return received;
}
