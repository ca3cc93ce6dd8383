// The floor for receiving, as the issue defines it: one process that only decrypts. A contact
// sends a burst one message after another (the mock resolves each send once the receiver acked
// it, as in the daemon's figure); this process decodes each envelope, decrypts it with libsignal
// on the in-memory session and acks at once: no inbox, no commit, no content parsing.
// (The daemon must be stopped: this opens the account's store.)
import { PublicKey } from '@signalapp/libsignal-client';
import { decodeEnvelope } from '../src/proto/index.js';
import { decryptEnvelope } from '../src/messenger/envelopeDecryptor.js';
import { serviceIdFromBinary } from '../src/messenger/serviceIds.js';
import { createNet } from '../src/signal/net.js';
import { AccountStore } from '../src/store/accountStore.js';
import type { LinkedFixture } from '../test/support/harness.js';

export async function libsignalReceiveFloor(f: LinkedFixture, total: number): Promise<number> {
  const store = AccountStore.open({ dataDir: f.dataDir, number: f.number, trustMode: 'always' });
  const account = store.account.getAccount()!;
  const trustRoots = f.network.serverConfig.serverTrustRoots.map((root) => PublicKey.deserialize(new Uint8Array(root)));
  const batch = store.protocolBatch('aci');
  const local = { serviceId: account.aci, e164: account.number, deviceId: account.deviceId };
  let decrypted = 0;
  let failures = 0;
  // Decrypt in arrival order, as the ratchet requires.
  let chain = Promise.resolve();
  const chat = await createNet(f.network.serverConfig).connectAuthenticatedChat(`${account.aci}.${account.deviceId}`, account.password, false, {
    onIncomingMessage: (bytes, _ts, ack) => {
      chain = chain.then(async () => {
        const env = decodeEnvelope(bytes);
        const source = env.sourceServiceIdBinary?.length ? serviceIdFromBinary(env.sourceServiceIdBinary) : (env.sourceServiceId ?? null);
        try {
          await decryptEnvelope(
            { type: env.type ?? 0, sourceServiceId: source, sourceDevice: env.sourceDevice ?? 1, content: env.content!, serverTimestamp: env.serverTimestamp ?? 0 },
            local,
            batch.stores,
            trustRoots,
          );
          decrypted++;
        } catch {
          failures++;
        }
        ack.send(200);
      });
    },
    onQueueEmpty: () => {},
    onConnectionInterrupted: () => {},
  });
  try {
    const started = performance.now();
    for (let i = 0; i < total; i++) await f.bob.sendText(f.device, `floor${i}`);
    await chain;
    const ms = performance.now() - started;
    if (failures > 0 || decrypted < total) throw new Error(`receive floor: ${decrypted} of ${total} decrypted, ${failures} failed`);
    return (total / ms) * 1000;
  } finally {
    // The session advanced: keep it, so the account stays in step with the contact.
    batch.commit();
    await chat.disconnect().catch(() => {});
    store.close();
  }
}
