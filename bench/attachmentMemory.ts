// Memory for one 10 MiB attachment, received and sent, each from a true idle (issue 18): a fresh
// daemon per transfer, warmed by one small message each way, settled, its peak RSS mark reset
// (/proc/PID/clear_refs), then the transfer; the figure is the peak minus the RSS just before.
// Run: `npm run build && node dist/bench/attachmentMemory.js [repeats]`. Separate from bench/run.ts
// (owned by the main bench); docs/benchmarks.md, "Attachments out of the heap", has the numbers.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { linkedAccount } from '../test/support/harness.js';
import { receiveAll, startDaemon } from '../test/support/daemon.js';
import { client } from '../test/support/lineClient.js';
import { sendAttachment } from '../test/support/contactActions.js';
import { median, memoryOf, sleep, timed } from './measure.js';

const SIZE = 10 * 1024 * 1024;
const SETTLE_MS = 5000;

interface Reading {
  idle: number;
  peakAbove: number;
  ms: number;
}

async function transfer(kind: 'receive' | 'send'): Promise<Reading> {
  const f = await linkedAccount();
  try {
    await f.introduce(f.bob);
    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      const pid = daemon.process.pid!;
      await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { message: 'warm' } }, 60_000);
      await f.bob.waitForMessage();
      await f.bob.sendText(f.device, 'warm');
      await receiveAll(c, 1);
      await sleep(SETTLE_MS);
      // Resets VmHWM to the current RSS: the peak from here on is this transfer's.
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const idle = memoryOf(pid).rss;
      const data = randomBytes(SIZE);
      const [, ms] = await timed(async () => {
        if (kind === 'send') {
          const res = await c.request({ command: 'send_message', recipient: f.bob.device.number!, dataMessage: { attachments: [{ base64Data: data.toString('base64'), filename: 'big.bin' }] } }, 120_000);
          if (res.statusCode !== 0) throw new Error(JSON.stringify(res));
          await f.bob.waitForMessage();
        } else {
          await sendAttachment(f.network, f.bob, f.device, data, { fileName: 'big.bin', contentType: 'application/octet-stream' });
          const [m] = (await receiveAll(c, 1, 120_000)) as { attachments: { base64Data: string }[] }[];
          if (m?.attachments[0]?.base64Data.length !== Math.ceil(SIZE / 3) * 4) throw new Error('the attachment did not arrive whole');
        }
      });
      return { idle, peakAbove: memoryOf(pid).peak - idle, ms };
    } finally {
      c.close();
      await daemon.stop();
    }
  } finally {
    await f.close();
  }
}

const repeats = Number(process.argv[2] ?? 3);
for (const kind of ['receive', 'send'] as const) {
  const readings: Reading[] = [];
  for (let i = 0; i < repeats; i++) readings.push(await transfer(kind));
  const show = (pick: (r: Reading) => number) => `${median(readings.map(pick)).toFixed(1)} (${readings.map((r) => pick(r).toFixed(1)).join(', ')})`;
  console.log(`10 MiB ${kind}: peak above idle ${show((r) => r.peakAbove)} MiB; idle ${show((r) => r.idle)} MiB; ${show((r) => r.ms)} ms`);
}
