// `npm run soak`: the crash-safety scenario at full size — 1000 messages, 10 SIGKILLs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { crashScenario } from '../e2e/crashScenario.js';
import { freshSeed, Random, seedFrom } from '../support/random.js';

// A new seed each run, to explore; printed, so SIGSOCK_CRASH_SEED replays a failing one.
const SEED = seedFrom('SIGSOCK_CRASH_SEED', freshSeed(), 'soak: crash safety');

describe(`soak: crash safety at size (seed ${SEED})`, () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
  });
  after(async () => {
    await f?.close();
  });

  it('1000 messages from two contacts, 10 SIGKILLs: each exactly once, in order per sender', async () => {
    const perSender = 500;
    const started = Date.now();
    const received = await crashScenario(f, perSender, 10, Random.seeded(SEED));
    [...received.values()].forEach((bodies, si) => assert.deepEqual(bodies, Array.from({ length: perSender }, (_, i) => `${si}:${i}`)));
    console.log(`soak: ${perSender * 2} messages, 10 kills, ${Date.now() - started} ms`);
  });
});
