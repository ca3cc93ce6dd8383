// Issue 3 through a real daemon process and real TCP clients: the seed's protocol, lenient input,
// every status code reachable from bad input, receiving (text, attachment, reaction), sending.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decryptAttachment } from '../../src/signal/attachmentCrypto.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, type Daemon } from '../support/daemon.js';
import { client, type Client } from '../support/lineClient.js';
import { sendAttachment, sendReaction, within } from '../support/contactActions.js';

/** What socat does: write, half-close, read everything until the server closes or goes quiet. */
function socatLike(port: number, input: string | Buffer[], quietMs = 1500): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      s.destroy();
      resolve(out);
    };
    s.on('data', (d) => {
      out += d.toString();
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    s.on('error', reject);
    s.on('connect', async () => {
      if (typeof input === 'string') s.end(input);
      else {
        for (const piece of input) {
          s.write(piece);
          await new Promise((r) => setImmediate(r));
        }
        s.end();
      }
      timer = setTimeout(done, quietMs * 3);
    });
  });
}

const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the socket daemon', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: Client;
  let bobNumber: string;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    bobNumber = f.bob.device.number!;
  });
  after(async () => {
    c?.close();
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('answers the seed example verbatim (socat style, lenient JSON)', async () => {
    const out = await socatLike(daemon.port, "{command:'receive_messages'}\n");
    const [res] = lines(out);
    assert.deepEqual(res, { command: 'receive_messages', statusCode: 0, messages: [] });
  });

  it('takes objects back to back, batches, and values split across many writes', async () => {
    const out = await socatLike(daemon.port, '{"command":"nope","reqId":1}{command:\'nope\',reqId:2,}[{command:"nope",reqId:3},{command:"nope",reqId:4}]');
    assert.deepEqual(lines(out).map((r) => r.reqId), [1, 2, 3, 4]);
    const text = Buffer.from("{command:'receive_messages', reqId:'split', timeout:0}\n");
    const pieces = [...text].map((b) => Buffer.from([b]));
    const [res] = lines(await socatLike(daemon.port, pieces));
    assert.equal(res.reqId, 'split');
    assert.equal(res.statusCode, 0);
  });

  it('gives every status code reachable from bad input, and the connection survives', async () => {
    const cases: [string, number][] = [
      ['{command:"send_message", reqId:1, dataMessage:{message:"x"}}', 5],
      [`{command:"send_message", reqId:2, recipient:"${bobNumber}", groupId:"${Buffer.alloc(32).toString('base64')}", dataMessage:{message:"x"}}`, 5],
      ['{command:"send_message", reqId:3, recipient:"12345", dataMessage:{message:"x"}}', 2],
      [`{command:"send_message", reqId:4, recipient:"${bobNumber}", dataMessage:{attachments:[{base64Data:"@@@"}]}}`, 3],
      [`{command:"send_message", reqId:5, recipient:"${bobNumber}", dataMessage:{}}`, 9],
      [`{command:"send_reaction", reqId:6, recipient:"${bobNumber}", reaction:{emoji:"👍"}}`, 11],
      ['{command:"fly", reqId:7}', 1],
      ['{reqId:8}', 1],
      [`{command:"send_message", reqId:9, groupId:"${Buffer.alloc(32, 7).toString('base64')}", dataMessage:{message:"x"}}`, 6],
      ['{command:"send_message", reqId:10, recipient:"+15550000000", dataMessage:{message:"x"}}', 2],
    ];
    for (const [input, code] of cases) {
      c.write(input + '\n');
      const answer = await c.next();
      assert.equal(answer.statusCode, code, `${input} → ${JSON.stringify(answer)}`);
      assert.equal(typeof answer.errorMessage, 'string');
    }
    c.write('{command: oops\n');
    const bad = await c.next();
    assert.equal(bad.statusCode, 4);
    assert.equal(bad.command, null);
    const ok = await c.request({ command: 'receive_messages', reqId: 42, timeout: 0 });
    assert.deepEqual(ok, { command: 'receive_messages', reqId: 42, statusCode: 0, messages: [] });
  });

  it('sends text and a 5 MiB attachment that reach the contact intact, with a sync transcript', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    const syncSeen = within(f.phone.waitForSyncMessage((e) => e.syncMessage.content?.sent?.message?.body === 'file for you'), 20_000, 'sync');
    const res = await c.request(
      { command: 'send_message', reqId: 's1', recipient: bobNumber, dataMessage: { message: 'file for you', attachments: [{ base64Data: data.toString('base64'), filename: 'blob.bin' }] } },
      60_000,
    );
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    assert.equal(typeof res.timestamp, 'number');
    assert.deepEqual(res.results, [{ recipient: bobNumber, aci: f.bob.device.aci, success: true, unidentified: false }]);
    const msg = await within(f.bob.waitForMessage(), 20_000, 'bob');
    assert.equal(msg.body, 'file for you');
    assert.equal(msg.dataMessage.attachments?.length, 1);
    const pointer = msg.dataMessage.attachments![0]!;
    assert.equal(pointer.fileName, 'blob.bin');
    assert.equal(Number(pointer.size), data.length);
    const blob = readFileSync(join(f.network.cdn3Path, 'attachments', (pointer.attachmentIdentifier as { cdnKey: string }).cdnKey));
    assert.ok(Buffer.from(decryptAttachment(blob, pointer.key!, pointer.digest!, Number(pointer.size))).equals(data), 'the bytes arrive intact');
    await syncSeen;
  });

  it('sends a reaction with the right target', async () => {
    const res = await c.request({ command: 'send_reaction', recipient: bobNumber, reaction: { emoji: '🎉', author: bobNumber, timestamp: 1234567 } });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    const msg = await within(f.bob.waitForMessage(), 20_000, 'bob reaction');
    assert.equal(msg.dataMessage.reaction?.emoji, '🎉');
    assert.equal(Number(msg.dataMessage.reaction?.targetSentTimestamp), 1234567);
    assert.deepEqual(Buffer.from(msg.dataMessage.reaction!.targetAuthorAciBinary!), Buffer.from(f.bob.device.aciBinary));
  });

  it('receives text, an attachment and a reaction with the right fields', async () => {
    await f.introduce(f.carol);
    await f.carol.sendText(f.device, 'hello from carol');
    const picture = randomBytes(70_000);
    await sendAttachment(f.network, f.carol, f.device, picture, { fileName: 'cat.jpg', contentType: 'image/jpeg', body: 'a cat' });
    await sendReaction(f.carol, f.device, '❤️', { aciBinary: f.phone.device.aciBinary, timestamp: 777 });
    const msgs = await receiveAll(c, 3);
    assert.equal(msgs.length, 3);
    const [text, withFile, reaction] = msgs as Record<string, any>[];
    assert.equal(text.body, 'hello from carol');
    assert.equal(text.senderUuid, f.carol.device.aci);
    assert.equal(text.sender, f.carol.device.number);
    assert.equal(withFile.body, 'a cat');
    assert.equal(withFile.attachments.length, 1);
    assert.equal(withFile.attachments[0].filename, 'cat.jpg');
    assert.equal(withFile.attachments[0].contentType, 'image/jpeg');
    assert.equal(withFile.attachments[0].size, picture.length);
    assert.equal(Buffer.from(withFile.attachments[0].base64Data, 'base64').equals(picture), true);
    assert.deepEqual(reaction.reaction, { emoji: '❤️', author: f.number, authorUuid: f.phone.device.aci, timestamp: 777, remove: false });
  });

  it('omits base64Data with ignoreAttachments', async () => {
    await sendAttachment(f.network, f.carol, f.device, randomBytes(1000), { fileName: 'a.bin', contentType: 'application/octet-stream' });
    let res: Record<string, any>;
    do res = await c.request({ command: 'receive_messages', timeout: 5000, ignoreAttachments: true });
    while (res.messages.length === 0);
    assert.equal(res.messages[0].attachments[0].size, 1000);
    assert.equal('base64Data' in res.messages[0].attachments[0], false);
  });

  it('loses nothing when a client disconnects before reading, and never gives one message to two clients', async () => {
    const greedy = await client(daemon.port);
    greedy.socket.pause();
    const waiting = greedy.request({ command: 'receive_messages', timeout: 10_000 }).catch(() => null);
    void waiting;
    await new Promise((r) => setTimeout(r, 300));
    greedy.socket.resetAndDestroy();
    await f.carol.sendText(f.device, 'after the reset');
    const [a, b] = await Promise.all([client(daemon.port), client(daemon.port)]);
    const [ra, rb] = await Promise.all([
      a.request({ command: 'receive_messages', timeout: 5000 }),
      b.request({ command: 'receive_messages', timeout: 2000 }),
    ]);
    const all = [...(ra.messages as Record<string, unknown>[]), ...(rb.messages as Record<string, unknown>[])];
    assert.deepEqual(all.map((m) => m.body), ['after the reset']);
    a.close();
    b.close();
  });

  it('returns 500 queued messages complete and in order', async () => {
    const count = 500;
    for (let i = 0; i < count; i++) await f.carol.sendText(f.device, `n${i}`);
    const msgs = await receiveAll(c, count, 60_000);
    assert.deepEqual(
      msgs.map((m) => m.body),
      Array.from({ length: count }, (_, i) => `n${i}`),
    );
  });

  it('sends to every device of a contact with two devices (the server refuses a send that misses one)', async () => {
    await f.network.addDevice(f.bob);
    const res = await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'both devices' } });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    assert.equal((await within(f.bob.waitForMessage(), 20_000, 'bob')).body, 'both devices');
  });

  it('keeps serving after the server drops its WebSocket; messages sent meanwhile arrive', async () => {
    f.network.disconnect(f.device);
    await f.carol.sendText(f.device, 'sent while dropped');
    const msgs = await receiveAll(c, 1, 30_000);
    assert.equal(msgs[0]?.body, 'sent while dropped');
    const res = await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'still here' } });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
  });

  it('sends with sealed sender once the contact shared its profile key', async () => {
    await f.carol.sendText(f.device, 'here is my profile key', { withProfileKey: true });
    await receiveAll(c, 1);
    const carolNumber = f.carol.device.number!;
    const res = await c.request({ command: 'send_message', recipient: carolNumber, dataMessage: { message: 'sealed to carol' } });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    // unidentified: the unauthenticated send with carol's access key was accepted (the mock
    // checks the key; a refused key would have fallen back to an authenticated send).
    assert.deepEqual(res.results, [{ recipient: carolNumber, aci: f.carol.device.aci, success: true, unidentified: true }]);
    const msg = await within(f.carol.waitForMessage(), 20_000, 'carol');
    assert.equal(msg.body, 'sealed to carol');
  });

  it("blocks sends after a contact's safety number changed, says how to trust it, and trust unblocks", async () => {
    const carolNumber = f.carol.device.number!;
    await f.network.changeIdentityKey(f.carol);
    await f.introduce(f.carol);
    await f.carol.sendText(f.device, 'I reinstalled Signal');
    assert.equal((await receiveAll(c, 1))[0]?.body, 'I reinstalled Signal', 'receiving is never blocked');
    const blocked = await c.request({ command: 'send_message', recipient: carolNumber, dataMessage: { message: 'are you you?' } });
    assert.equal(blocked.statusCode, -1);
    assert.match(String(blocked.errorMessage), new RegExp(`safety number with \\${carolNumber} has changed`));
    assert.match(String(blocked.errorMessage), /command:'trust'/);
    const trusted = await c.request({ command: 'trust', recipient: carolNumber });
    assert.equal(trusted.statusCode, 0, JSON.stringify(trusted));
    assert.match(String(trusted.safetyNumber), /^\d{60}$/);
    const ok = await c.request({ command: 'send_message', recipient: carolNumber, dataMessage: { message: 'welcome back' } });
    assert.equal(ok.statusCode, 0, JSON.stringify(ok));
    assert.equal((await within(f.carol.waitForMessage(), 20_000, 'carol')).body, 'welcome back');
  });

  it('keeps a received message encrypted at rest until a client takes it', async () => {
    const secret = `the eagle lands ${randomBytes(6).toString('hex')}`;
    await f.bob.sendText(f.device, secret); // resolves once the daemon committed and acked it
    // The attachment folder's files too (they are encrypted as well).
    for (const name of readdirSync(f.dataDir, { recursive: true }) as string[]) {
      if (!statSync(join(f.dataDir, name)).isFile()) continue;
      const bytes = readFileSync(join(f.dataDir, name));
      assert.equal(bytes.includes(Buffer.from(secret)), false, `${name} holds the message in plaintext`);
    }
    const [m] = await receiveAll(c, 1);
    assert.equal(m?.body, secret);
  });
});
