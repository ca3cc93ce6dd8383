// `npm run soak`: the crash-safety scenario at full size — 1000 messages, 10 SIGKILLs.
import { after, before, describe, it } from 'node:test';
import { linkedAccount, type LinkedFixture } from '../e2e/harness.js';
import { assertDeliveredOnce, crashScenario } from '../e2e/crashScenario.js';

describe('soak: crash safety at size', () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
  });
  after(async () => {
    await f?.close();
  });

  it('1000 messages from two contacts, 10 SIGKILLs: all, in order per sender, repeats only from the documented window', async () => {
    const perSender = 500;
    const started = Date.now();
    const outcome = await crashScenario(f, perSender, 10);
    const repeats = assertDeliveredOnce(outcome, [f.bob.device.aci, f.carol.device.aci], (si) => Array.from({ length: perSender }, (_, i) => `${si}:${i}`));
    console.log(`soak: ${perSender * 2} messages, 10 kills, ${repeats} repeated by the write/delete window, ${Date.now() - started} ms`);
  });
});
