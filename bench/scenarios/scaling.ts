// Scaling: the daemon's send latency with few and with many stored sessions, its drain rate with
// few and with many queued inbox entries, and the first send to a big group (our sender key shared
// 1:1 with every member). The stored sessions and entries are written straight into the store with
// the daemon stopped: a contact per session on the mock would take longer than the whole bench.
import { randomUUID } from 'node:crypto';
import { ProtocolAddress } from '@signalapp/libsignal-client';
import { AccountStore } from '../../src/store/accountStore.js';
import type { LinkedFixture } from '../../test/support/harness.js';
import { textRecord } from '../../test/support/inboxRecords.js';
import { LineClient } from '../../test/support/lineClient.js';
import { median } from '../measure.js';
import { record } from '../report.js';
import { startServer } from '../servers.js';
import { sequentialSends } from './sending.js';

function withStore<T>(f: LinkedFixture, fn: (store: AccountStore) => Promise<T>): Promise<T> {
  const store = AccountStore.open({ dataDir: f.dataDir, number: f.number, trustMode: 'always' });
  return fn(store).finally(() => store.close());
}

/** Copies Bob's session under `count` made-up addresses, so the session table and its cache hold that many more. */
async function addSessions(f: LinkedFixture, count: number): Promise<void> {
  await withStore(f, async (store) => {
    const batch = store.protocolBatch('aci');
    const record = (await batch.stores.session.getSession(ProtocolAddress.new(f.bob.device.aci, 1)))!;
    for (let i = 0; i < count; i++) await batch.stores.session.saveSession(ProtocolAddress.new(randomUUID(), 1), record);
    batch.commit();
  });
}

/** Median of the p50s of `runs` daemons, each sending `sends` one after another. */
async function sendP50(f: LinkedFixture, sends: number, runs: number): Promise<number> {
  const p50s: number[] = [];
  for (let i = 0; i < runs; i++) {
    const server = await startServer(f, 'sigsock');
    try {
      p50s.push((await sequentialSends(f, server, sends)).p50);
    } finally {
      await server.stop();
    }
  }
  return median(p50s);
}

/** Not interleaved (the sessions cannot be taken out again), so each side is a median of `runs` daemons. */
export async function sessionScaling(f: LinkedFixture, many: number, sends: number, runs: number): Promise<void> {
  const few = await sendP50(f, sends, runs);
  await addSessions(f, many);
  const lots = await sendP50(f, sends, runs);
  record({ name: 'send p50, sessions as linked (under 10)', value: few, unit: 'ms' });
  record({ name: `send p50, ${many} more sessions stored`, value: lots, unit: 'ms', floor: few, ratio: lots / few });
}

/** Puts `count` text entries in the inbox, then times a client draining all of them from a fresh daemon. */
async function drain(f: LinkedFixture, count: number): Promise<{ perMessageMs: number; firstAnswerMs: number }> {
  await withStore(f, (store) => {
    store.transaction(() => {
      for (let i = 0; i < count; i++) store.inbox.insertEntry(textRecord(`queued ${i}`, i + 1), []);
    });
    return Promise.resolve();
  });
  const server = await startServer(f, 'sigsock');
  const c = await LineClient.open(server.port);
  try {
    const t0 = performance.now();
    let got = 0;
    let firstAnswerMs = 0;
    while (got < count) {
      got += ((await c.request({ command: 'receive_messages', timeout: 5000 }, 60_000)).messages as unknown[]).length;
      firstAnswerMs ||= performance.now() - t0;
    }
    return { perMessageMs: (performance.now() - t0) / count, firstAnswerMs };
  } finally {
    c.close();
    await server.stop();
  }
}

/** Each side a median of `runs` fresh daemons (a just-started one is noisy on this shared machine). */
async function drains(f: LinkedFixture, count: number, runs: number): Promise<{ perMessageMs: number; firstAnswerMs: number }> {
  const all: { perMessageMs: number; firstAnswerMs: number }[] = [];
  for (let i = 0; i < runs; i++) all.push(await drain(f, count));
  return { perMessageMs: median(all.map((d) => d.perMessageMs)), firstAnswerMs: median(all.map((d) => d.firstAnswerMs)) };
}

export async function queueScaling(f: LinkedFixture, many: number, runs: number): Promise<void> {
  const few = await drains(f, 10, runs);
  const lots = await drains(f, many, runs);
  record({ name: 'drain 10 queued: first answer', value: few.firstAnswerMs, unit: 'ms' });
  record({ name: `drain ${many} queued: first answer`, value: lots.firstAnswerMs, unit: 'ms', floor: few.firstAnswerMs, ratio: lots.firstAnswerMs / few.firstAnswerMs });
  record({ name: 'drain 10 queued: time per message', value: few.perMessageMs, unit: 'ms' });
  record({ name: `drain ${many} queued: time per message`, value: lots.perMessageMs, unit: 'ms', floor: few.perMessageMs, ratio: lots.perMessageMs / few.perMessageMs });
}

/** The first send to a group of `size` (our sender key goes 1:1 to each member), then the next ones. */
export async function groupSend(f: LinkedFixture, size: number, repeats: number): Promise<void> {
  const extra = await Promise.all(Array.from({ length: size - 2 }, (_, i) => f.network.createContact(`Member ${i}`)));
  const members = [f.bob, ...extra];
  const group = await f.phone.createGroup({ title: 'Bench group', members: [f.phone, ...members] });
  const server = await startServer(f, 'sigsock');
  const c = await LineClient.open(server.port);
  try {
    await f.bob.sendText(f.device, 'group hello', { group });
    while (((await c.request({ command: 'receive_messages', timeout: 5000 })).messages as { groupId?: string }[]).every((m) => m.groupId !== group.id));
    const sendOnce = async (text: string) => {
      const t0 = performance.now();
      const res = await c.request({ command: 'send_message', groupId: group.id, dataMessage: { message: text } }, 120_000);
      if (res.statusCode !== 0) throw new Error(`group send failed: ${JSON.stringify(res)}`);
      await Promise.all(members.map((m) => m.waitForMessage()));
      return performance.now() - t0;
    };
    const first = await sendOnce('first');
    const next: number[] = [];
    for (let i = 0; i < repeats; i++) next.push(await sendOnce(`next ${i}`));
    record({ name: `group of ${size}: first send → every member decrypted`, value: first, unit: 'ms' });
    record({ name: `group of ${size}: next send → every member decrypted`, value: median(next), unit: 'ms', floor: first, ratio: median(next) / first });
  } finally {
    c.close();
    await server.stop();
  }
}
