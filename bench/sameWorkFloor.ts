// The same-work floor: a process of its own that serves the bench's slice of the socket protocol
// (send_message to one recipient, receive_messages, any other command answered empty) and does the
// daemon's protocol work for it — for a send, the recipient's message encrypted (sealed where the
// daemon seals: when we hold the recipient's profile key) and PUT, then the sync copy to our own
// devices encrypted and PUT, through the daemon's own deliver(); for a receive, decrypt and ack —
// but without the store: sessions are read once and then live in memory (one batch, written back
// only at exit so the account stays in step with its contacts). The daemon's figure divided by
// this one is what our storage and plumbing cost.
//
// Usage: node dist/bench/sameWorkFloor.js DATA_DIR NUMBER SERVER_FILE
// Prints `listening on PORT` and, once the chat connection is up, `chat: connected` on stderr;
// exits on SIGTERM after writing the sessions back. (The daemon must be stopped: this opens the
// account's store.)
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { Aci, PublicKey, SenderCertificate } from '@signalapp/libsignal-client';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import type { AuthenticatedChatConnection, UnauthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { decodeContent, decodeEnvelope } from '../src/proto/index.js';
import { deliver, type DeliveryEnvironment } from '../src/messenger/deliverer.js';
import { decryptEnvelope } from '../src/messenger/envelopeDecryptor.js';
import { buildDataMessage, dataMessageContent, sentTranscriptContent } from '../src/messenger/outgoingContent.js';
import { serviceIdFromBinary } from '../src/messenger/serviceIds.js';
import { createNet } from '../src/signal/net.js';
import { getSenderCertificate } from '../src/signal/messagesApi.js';
import { loadServerConfig } from '../src/signal/serverConfig.js';
import { AccountStore } from '../src/store/accountStore.js';
import type { KeptConnection } from '../src/signal/keptConnection.js';
import { SendCommits } from '../src/messenger/sendCommits.js';
import { Mutex } from '../src/util/mutex.js';

const [dataDir, number, serverFile] = process.argv.slice(2) as [string, string, string];
const config = loadServerConfig(serverFile);
const store = AccountStore.open({ dataDir, number, trustMode: 'always' });
const account = store.account.getAccount()!;
const batch = store.protocolBatch('aci');
// deliver() commits after each encrypt: here that is a no-op, the ratchets stay in memory.
const inMemory = Object.assign(Object.create(batch) as typeof batch, { commit: () => {}, discard: () => {} });
const trustRoots = config.serverTrustRoots.map((root) => PublicKey.deserialize(new Uint8Array(root)));
const local = { serviceId: account.aci, e164: account.number, deviceId: account.deviceId };
const net = createNet(config);

interface Received {
  source: string | null;
  timestamp: number;
  body: string | undefined;
}
const inbox: Received[] = [];
const waiting: (() => void)[] = [];
let decryptChain = Promise.resolve();

const chat = await net.connectAuthenticatedChat(`${account.aci}.${account.deviceId}`, account.password, false, {
  onIncomingMessage: (bytes, _ts, ack) => {
    // In arrival order, as the ratchet requires; acked once decrypted.
    decryptChain = decryptChain.then(async () => {
      const env = decodeEnvelope(bytes);
      const source = env.sourceServiceIdBinary?.length ? serviceIdFromBinary(env.sourceServiceIdBinary) : (env.sourceServiceId ?? null);
      try {
        const decrypted = await decryptEnvelope(
          { type: env.type ?? 0, sourceServiceId: source, sourceDevice: env.sourceDevice ?? 1, content: env.content!, serverTimestamp: env.serverTimestamp ?? 0 },
          local,
          inMemory.stores,
          trustRoots,
        );
        const content = decodeContent(decrypted.content);
        if (content.dataMessage) inbox.push({ source: decrypted.senderAci, timestamp: Number(env.clientTimestamp ?? 0), body: content.dataMessage.body ?? undefined });
      } catch (err) {
        process.stderr.write(`floor: decrypt failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
      ack.send(200);
      for (const wake of waiting.splice(0)) wake();
    });
  },
  onQueueEmpty: () => {},
  onConnectionInterrupted: () => {},
});
// Logged as the daemon logs it (ISO time first): the bench reads the time from the line.
process.stderr.write(`${new Date().toISOString()} chat: connected\n`);
const unauthChat = await net.connectUnauthenticatedChat({ onConnectionInterrupted: () => {} });

/** Always the one connection: the floor has no reconnects to manage. */
const kept = <C extends AuthenticatedChatConnection | UnauthenticatedChatConnection>(conn: C) => ({ get: () => Promise.resolve(conn) }) as unknown as KeptConnection<C>;
let certificate: SenderCertificate | null = null;
const protocolLock = new Mutex();
const env: DeliveryEnvironment = {
  chat: kept(chat),
  unauthChat: kept(unauthChat),
  protocolLock,
  // The daemon's grouping of concurrent encryptions, over the batch whose commit does nothing.
  sendCommits: new SendCommits(protocolLock, () => inMemory),
  openBatch: () => inMemory,
  sessionDeviceIds: (serviceId) => store.sessionDeviceIds('aci', serviceId),
  localAci: account.aci,
  localDeviceId: account.deviceId,
  senderCertificate: async () => (certificate ??= SenderCertificate.deserialize(new Uint8Array(await getSenderCertificate(chat)))),
  noteUntrustedIdentity: () => {},
};

const recipients = new Map<string, ReturnType<typeof store.recipients.byAci>>();
/** Looked up in the store once, then from memory. */
function recipientOf(label: string) {
  if (!recipients.has(label)) recipients.set(label, label.startsWith('+') ? store.recipients.byE164(label) : store.recipients.byAci(label));
  return recipients.get(label);
}

/**
 * The daemon's 1:1 send: the recipient's message, answered once the server accepted it; the sync
 * copy follows, as the daemon sends it (the floor keeps no record of it: it has no store).
 */
async function send(recipient: string, text: string): Promise<object> {
  const known = recipientOf(recipient);
  if (!known) return { statusCode: -1, errorMessage: `unknown recipient ${recipient}` };
  const timestamp = Date.now();
  const message = buildDataMessage({ body: text, timestamp, profileKey: account.profileKey });
  const accessKey = known.profileKey ? new ProfileKey(new Uint8Array(known.profileKey)).deriveAccessKey() : null;
  const outcome = await deliver(env, { serviceId: known.aci, label: recipient, content: dataMessageContent(message), timestamp, accessKey, urgent: true });
  const destination = { serviceIdBinary: Aci.fromUuid(known.aci).getServiceIdBinary(), e164: known.e164 ?? null };
  void deliver(env, {
    serviceId: account.aci,
    label: 'own devices',
    content: sentTranscriptContent(message, undefined, timestamp, destination, [{ ...destination, unidentified: outcome.unidentified }]),
    timestamp,
    accessKey: null,
    excludeDeviceId: account.deviceId,
    urgent: false,
  }).catch((err: unknown) => process.stderr.write(`floor: sync copy failed: ${err instanceof Error ? err.message : String(err)}\n`));
  return { statusCode: 0, timestamp, results: [{ recipient, success: true, unidentified: outcome.unidentified }] };
}

async function receive(timeoutMs: number): Promise<object> {
  if (inbox.length === 0 && timeoutMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return { statusCode: 0, messages: inbox.splice(0, 100) };
}

async function answer(line: string): Promise<object> {
  const req = JSON.parse(line) as { command?: string; recipient?: string; dataMessage?: { message?: string }; timeout?: number };
  if (req.command === 'send_message') return { command: req.command, ...(await send(req.recipient!, req.dataMessage?.message ?? '')) };
  if (req.command === 'receive_messages') return { command: req.command, ...(await receive(req.timeout ?? 1000)) };
  return { command: req.command, statusCode: 0 };
}

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  // Answers in request order, as the daemon's connection does.
  let order = Promise.resolve();
  createInterface({ input: socket }).on('line', (line) => {
    const answered = answer(line).catch((err: unknown) => ({ statusCode: -1, errorMessage: err instanceof Error ? err.message : String(err) }));
    order = order.then(async () => {
      const text = JSON.stringify(await answered) + '\n';
      if (!socket.destroyed) socket.write(text);
    });
  });
}

const server = createServer(serve).listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening on tcp://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});

process.once('SIGTERM', () => {
  void (async () => {
    server.close();
    await decryptChain;
    // The ratchets advanced: write them back, so the daemon does not reuse message keys.
    batch.commit();
    await chat.disconnect().catch(() => {});
    await unauthChat.disconnect().catch(() => {});
    store.close();
    process.exit(0);
  })();
});
