// Start-up: exec → first answered request and exec → "chat: connected", the daemon against a bare
// Node server that loads libsignal and opens the same chat connection; then idle RSS of both.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AccountStore } from '../../src/store/accountStore.js';
import type { LinkedFixture } from '../../test/support/harness.js';
import { LineClient } from '../../test/support/lineClient.js';
import { freePort } from '../ports.js';
import { cpuMsOf, memoryOf, sleep } from '../measure.js';
import { compare, record } from '../report.js';
import { CHAT_CONNECTED, spawnStartupFloor } from '../servers.js';

async function firstAnswer(port: number): Promise<void> {
  for (;;) {
    const c = await LineClient.open(port).catch(() => null);
    if (c) {
      try {
        await c.request({ command: 'receive_messages', timeout: 0 }, 30_000);
        return;
      } finally {
        c.close();
      }
    }
    await sleep(2);
  }
}

interface StartupTimes {
  answered: number;
  chat: number;
  rss: number;
  cpu: number;
}

/** Times one start of `start(port)`; with `settleMs`, also its RSS that long after the first answer. */
async function timeStart(start: (port: number) => ChildProcess, settleMs: number): Promise<StartupTimes> {
  const port = await freePort();
  const t0 = performance.now();
  const child = start(port);
  const closed = new Promise((r) => child.once('close', r));
  try {
    const chat = new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stderr! }).on('line', (line) => {
        if (CHAT_CONNECTED.test(line)) resolve(performance.now() - t0);
      });
      child.once('exit', (code) => reject(new Error(`exited (${code}) before chat connected`)));
    });
    await firstAnswer(port);
    const answered = performance.now() - t0;
    const chatMs = await chat;
    const cpu = cpuMsOf(child.pid!);
    await sleep(settleMs);
    return { answered, chat: chatMs, rss: memoryOf(child.pid!).rss, cpu };
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
}

export async function startup(f: LinkedFixture, rounds: number, settleMs: number): Promise<void> {
  const store = AccountStore.open({ dataDir: f.dataDir, number: f.number, trustMode: 'always' });
  const account = store.account.getAccount()!;
  store.close();
  const credentials = { user: `${account.aci}.${account.deviceId}`, password: account.password };
  const runs: Record<'sigsock' | 'floor', StartupTimes[]> = { sigsock: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    // Idle RSS only from the last round (it waits `settleMs`).
    const settle = round === rounds - 1 ? settleMs : 0;
    const sigsock = () => timeStart((port) => f.spawn(['socket', '--port', String(port)]), settle).then((t) => runs.sigsock.push(t));
    const floor = () => timeStart((port) => spawnStartupFloor(port, f.serverFile, credentials), settle).then((t) => runs.floor.push(t));
    if (round % 2 === 0) {
      await sigsock();
      await floor();
    } else {
      await floor();
      await sigsock();
    }
  }
  const pick = (k: keyof StartupTimes) => [runs.sigsock.map((r) => r[k]), runs.floor.map((r) => r[k])] as const;
  compare('start-up: exec → first answered request', 'ms', ...pick('answered'), { text: '≤ 1.3× floor', test: (r) => r <= 1.3 });
  compare('start-up: exec → chat connected', 'ms', ...pick('chat'));
  compare('start-up: CPU until the first answer', 'ms', ...pick('cpu'));
  const last = rounds - 1;
  const rss = runs.sigsock[last]!.rss;
  const floorRss = runs.floor[last]!.rss;
  record({ name: `idle RSS ${settleMs / 1000} s after the first answer`, value: rss, unit: 'MiB', floor: floorRss, ratio: rss / floorRss, target: '≤ 80 MiB', meets: rss <= 80 });
}
