// The floor for sending, as the issue defines it: one process doing only libsignal's encrypt and
// the same `PUT /v1/messages` to the mock, on the account's established session with the contact.
// No socket, no JSON protocol, no recipient lookup, no store writes per message, no sync copy to
// the account's own devices. (The daemon must be stopped: this opens the account's store.)
import { CiphertextMessageType, ProtocolAddress, signalEncrypt } from '@signalapp/libsignal-client';
import { createNet } from '../src/signal/net.js';
import { putMessages } from '../src/signal/messagesApi.js';
import { encodeContent } from '../src/proto/index.js';
import { AccountStore } from '../src/store/accountStore.js';
import { padContent } from '../src/util/padding.js';
import type { LinkedFixture } from '../test/support/harness.js';

export async function libsignalSendFloor(f: LinkedFixture, total: number): Promise<number> {
  const store = AccountStore.open({ dataDir: f.dataDir, number: f.number, trustMode: 'always' });
  const account = store.account.getAccount()!;
  const chat = await createNet(f.network.serverConfig).connectAuthenticatedChat(`${account.aci}.${account.deviceId}`, account.password, false, {
    onIncomingMessage: (_envelope, _ts, ack) => ack.send(200),
    onQueueEmpty: () => {},
    onConnectionInterrupted: () => {},
  });
  // One batch that is never committed until the end: after the first read the session lives in
  // memory, as it would in a process without a database.
  const batch = store.protocolBatch('aci');
  const bob = f.bob.device.aci;
  const address = ProtocolAddress.new(bob, 1);
  const local = ProtocolAddress.new(account.aci, account.deviceId);
  try {
    const started = performance.now();
    const received = (async () => {
      for (let i = 0; i < total; i++) await f.bob.waitForMessage();
    })();
    const requests: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const timestamp = Date.now();
      const content = padContent(encodeContent({ dataMessage: { body: `floor${i}`, timestamp } }));
      const message = await signalEncrypt(new Uint8Array(content), address, local, batch.stores.session, batch.stores.identity);
      const registrationId = (await batch.stores.session.getSession(address))!.remoteRegistrationId();
      // Envelope types: 3 starts a session, 1 continues one.
      const type = message.type() === CiphertextMessageType.PreKey ? 3 : 1;
      requests.push(putMessages(chat, bob, [{ type, destinationDeviceId: 1, destinationRegistrationId: registrationId, content: message.serialize() }], { timestamp }));
    }
    await Promise.all(requests);
    await received;
    return (total / (performance.now() - started)) * 1000;
  } finally {
    // The session advanced: keep it, so later sends from the store do not reuse message keys.
    batch.commit();
    await chat.disconnect().catch(() => {});
    store.close();
  }
}
