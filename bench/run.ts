// `npm run bench` (quick, for development) or `npm run bench -- --full`: sigsock against its
// floors on this machine, on the local mock server. Every comparison runs the daemon and its floor
// as processes of their own, interleaved, and takes the median of the per-round ratios. Prints a
// table and writes bench/results.json. See docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { linkedAccount } from '../test/support/harness.js';
import { figures } from './report.js';
import { protocol } from './scenarios/protocol.js';
import { receiving } from './scenarios/receiving.js';
import { attachmentMemory, memoryUnderTraffic } from './scenarios/memory.js';
import { groupSend, queueScaling, sessionScaling } from './scenarios/scaling.js';
import { sending } from './scenarios/sending.js';
import { startup } from './scenarios/startup.js';

const full = process.argv.includes('--full') && !process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');

/** What each mode runs: quick keeps a development run near two minutes, full is the figures of record. */
const SIZES = full
  ? { rounds: 5, settleMs: 10_000, cheapRequests: 30_000, sequentialSends: 100, pipelinedSends: 800, backlog: 1000, traffic: 10_000, laterMs: 30_000, sessions: 10_000, queued: 100_000, group: 100 }
  : { rounds: 3, settleMs: 3_000, cheapRequests: 10_000, sequentialSends: 30, pipelinedSends: 200, backlog: 300, traffic: 1_000, laterMs: 10_000, sessions: 1_000, queued: 10_000, group: 20 };

async function main(): Promise<void> {
  console.log(`sigsock benchmark (${full ? 'full' : 'quick'}), node ${process.version}; ratios are medians of ${SIZES.rounds} interleaved rounds\n`);
  const f = await linkedAccount();
  const started = performance.now();
  const want = (name: string) => !only || only.includes(name);
  try {
    await f.introduce(f.bob);
    if (want('startup')) await startup(f, SIZES.rounds, SIZES.settleMs);
    if (want('protocol')) await protocol(f, SIZES.rounds, SIZES.cheapRequests);
    if (want('send')) await sending(f, SIZES.rounds, SIZES.sequentialSends, SIZES.pipelinedSends);
    if (want('receive')) await receiving(f, full ? 3 : 2, SIZES.backlog);
    if (want('attachments')) await attachmentMemory(f, SIZES.settleMs);
    if (want('memory')) await memoryUnderTraffic(f, SIZES.settleMs, SIZES.traffic, SIZES.laterMs);
    if (want('group')) await groupSend(f, SIZES.group, 3);
    if (want('sessions')) await sessionScaling(f, SIZES.sessions, SIZES.sequentialSends, SIZES.rounds);
    if (want('queue')) await queueScaling(f, SIZES.queued, 3);
    console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s`);
    writeFileSync(
      new URL('../../bench/results.json', import.meta.url),
      JSON.stringify({ date: new Date().toISOString(), mode: full ? 'full' : 'quick', node: process.version, sizes: SIZES, figures }, null, 2) + '\n',
    );
  } finally {
    await f.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
