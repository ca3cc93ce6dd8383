// Issue 15, sending to Signal apps (the mock's contacts and the owner's phone): what a contact's app
// receives for a quote with mentions and styles, an edit, a group remote delete and a read receipt,
// and the copy the owner's phone gets of each (sent transcripts; a read sync for the receipt).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, type Daemon } from '../support/daemon.js';
import { client, type Answer, type Client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';
import { ReceiptType } from '../../src/proto/index.js';

describe('sending quotes, mentions, styles, edits, deletes, typing and receipts to Signal apps', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: Client;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
    c = await client(daemon.port);
  });
  after(async () => {
    c?.close();
    const code = await daemon?.stop();
    await f?.close();
    assert.equal(code, 0);
  });

  const request = async (req: Answer): Promise<Answer> => {
    const res = await c.request(req);
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    return res;
  };
  /** Bob's next receipt of `type` naming `timestamp`; others before it (delivery receipts for his earlier messages) are passed over. */
  const nextReceipt = async (type: number, timestamp: number) => {
    for (;;) {
      const { receiptMessage } = await f.bob.waitForReceipt();
      if (receiptMessage.type === type && receiptMessage.timestamp?.map(Number).includes(timestamp)) return receiptMessage;
    }
  };
  const phoneSync = (predicate: (sync: any) => boolean, what: string) => within(f.phone.waitForSyncMessage((e) => predicate(e.syncMessage.content)), 20_000, what);

  it("a reply with a quote, a mention and a style reaches Bob's app so, and the phone gets its transcript", async () => {
    const bob = f.bob.device;
    const transcript = phoneSync((s) => s?.sent?.message?.body === 'Hi @ look', 'the transcript');
    const sent = await request({
      command: 'send_message',
      recipient: bob.number,
      dataMessage: {
        message: 'Hi @ look',
        quote: { timestamp: 1700000000001, author: bob.aci, text: 'question?' },
        mentions: [{ recipient: bob.aci, start: 3, length: 1 }],
        textStyles: [{ style: 'italic', start: 5, length: 4 }],
      },
    });
    const got = await within(f.bob.waitForMessage(), 20_000, 'Bob to get the reply');
    assert.equal(got.body, 'Hi @ look');
    assert.equal(Number(got.dataMessage.quote?.id), 1700000000001);
    assert.deepEqual(Buffer.from(got.dataMessage.quote!.authorAciBinary!), Buffer.from(bob.aciBinary));
    assert.equal(got.dataMessage.quote?.text, 'question?');
    const ranges = got.dataMessage.bodyRanges ?? [];
    assert.equal(ranges.length, 2, JSON.stringify(ranges));
    assert.deepEqual([ranges[0].start, ranges[0].length], [3, 1]);
    assert.deepEqual(Buffer.from(ranges[0].associatedValue?.mentionAciBinary ?? []), Buffer.from(bob.aciBinary));
    assert.deepEqual([ranges[1].start, ranges[1].length, ranges[1].associatedValue?.style], [5, 4, 2 /* ITALIC */]);
    const sync = (await transcript).syncMessage.content!.sent!;
    assert.equal(Number(sync.timestamp), sent.timestamp);
    assert.equal(Number(sync.message?.quote?.id), 1700000000001);
  });

  it("an edit reaches Bob's app as an EditMessage naming the first message, and the phone gets an edit transcript", async () => {
    const first = await request({ command: 'send_message', recipient: f.bob.device.number, dataMessage: { message: 'typo' } });
    await within(f.bob.waitForMessage(), 20_000, 'Bob to get the first message');
    const transcript = phoneSync((s) => s?.sent?.editMessage != null, 'the edit transcript');
    const edit = await request({ command: 'send_message', recipient: f.bob.device.number, dataMessage: { message: 'fixed', editTimestamp: first.timestamp } });
    const got = await within(f.bob.waitForEditMessage(), 20_000, 'Bob to get the edit');
    assert.equal(Number(got.editMessage.targetSentTimestamp), first.timestamp);
    assert.equal(got.editMessage.dataMessage?.body, 'fixed');
    assert.equal(Number(got.editMessage.dataMessage?.timestamp), edit.timestamp);
    const sync = (await transcript).syncMessage.content!.sent!;
    assert.equal(Number(sync.timestamp), edit.timestamp);
    assert.equal(Number(sync.editMessage?.targetSentTimestamp), first.timestamp);
    assert.equal(sync.editMessage?.dataMessage?.body, 'fixed');
  });

  it('a remote delete and typing in a group reach its members; the phone gets the delete transcript', async () => {
    const group = await f.phone.createGroup({ title: 'Deletes', members: [f.phone, f.bob, f.carol] });
    // The account learns of the group from its first message, as in groups.test.ts.
    await f.introduce(f.bob);
    await f.bob.sendText(f.device, 'welcome', { group });
    assert.equal((await receiveAll(c, 1))[0]?.groupId, group.id);
    const first = await request({ command: 'send_message', groupId: group.id, dataMessage: { message: 'oops, wrong group' } });
    for (const contact of [f.bob, f.carol]) await within(contact.waitForMessage(), 20_000, 'a member to get the message');
    const transcript = phoneSync((s) => s?.sent?.message?.delete != null, 'the delete transcript');
    const deletion = await request({ command: 'remote_delete', groupId: group.id, targetTimestamp: first.timestamp });
    for (const contact of [f.bob, f.carol]) {
      const got = await within(contact.waitForMessage(), 20_000, 'a member to get the delete');
      assert.equal(Number(got.dataMessage.delete?.targetSentTimestamp), first.timestamp);
      assert.equal(Number(got.dataMessage.timestamp), deletion.timestamp);
      assert.ok(got.dataMessage.groupV2?.masterKey && Buffer.from(got.dataMessage.groupV2.masterKey).equals(group.masterKey), 'in the group');
    }
    assert.equal(Number((await transcript).syncMessage.content!.sent!.message!.delete!.targetSentTimestamp), first.timestamp);

    // The mock's apps do not surface typing; the server took it for both members (sigsock↔sigsock
    // typing is checked in sandboxConversation.test.ts).
    const typing = await request({ command: 'send_typing', groupId: group.id });
    assert.deepEqual((typing.results as { success: boolean }[]).map((r) => r.success), [true, true]);
  });

  it("Bob's app gets a delivery receipt for each message of his that the account stored", async () => {
    const [delivery] = await Promise.all([
      within(nextReceipt(ReceiptType.DELIVERY, 1700000000021), 20_000, 'the delivery receipt'),
      f.bob.sendText(f.device, 'did you get this?', { timestamp: 1700000000021 }),
    ]);
    assert.deepEqual(delivery.timestamp?.map(Number), [1700000000021]);
    assert.equal((await receiveAll(c, 1))[0]?.body, 'did you get this?');
  });

  it("a read receipt reaches Bob's app for the right timestamps, and the phone gets a read sync", async () => {
    const readSync = within(f.phone.waitForSyncMessage((e) => (e.syncMessage.read?.length ?? 0) > 0), 20_000, 'the read sync');
    await request({ command: 'send_receipt', recipient: f.bob.device.aci, targetTimestamps: [1700000000011, 1700000000012] });
    const got = { receiptMessage: await within(nextReceipt(ReceiptType.READ, 1700000000011), 20_000, 'Bob to get the receipt') };
    assert.deepEqual(got.receiptMessage.timestamp?.map(Number), [1700000000011, 1700000000012]);
    const read = (await readSync).syncMessage.read!;
    assert.deepEqual(read.map((r) => Number(r.timestamp)), [1700000000011, 1700000000012]);
    assert.deepEqual(Buffer.from(read[0].senderAciBinary!), Buffer.from(f.bob.device.aciBinary));
  });

  it('refuses malformed extras and receipt or delete arguments, naming the field', async () => {
    const bad = async (dataMessage: Answer, field: RegExp) => {
      const res = await c.request({ command: 'send_message', recipient: f.bob.device.aci, dataMessage });
      assert.notEqual(res.statusCode, 0, JSON.stringify(res));
      assert.match(String(res.errorMessage), field);
    };
    await bad({ message: 'hi', mentions: [{ recipient: f.bob.device.aci, start: 1, length: 5 }] }, /dataMessage\.mentions\[0\].*ends past the message text/);
    await bad({ message: 'hi', textStyles: [{ style: 'BLINK', start: 0, length: 1 }] }, /dataMessage\.textStyles\[0\]\.style must be one of BOLD/);
    await bad({ message: 'hi', quote: { timestamp: 'yesterday', author: f.bob.device.aci } }, /dataMessage\.quote\.timestamp/);
    await bad({ message: 'hi', editTimestamp: -1 }, /dataMessage\.editTimestamp/);
    const receipt = await c.request({ command: 'send_receipt', recipient: f.bob.device.aci, targetTimestamps: [], type: 'read' });
    assert.match(String(receipt.errorMessage), /targetTimestamps names no message/);
    const receiptType = await c.request({ command: 'send_receipt', recipient: f.bob.device.aci, targetTimestamps: [1], type: 'delivery' });
    assert.match(String(receiptType.errorMessage), /type must be read or viewed/);
    const del = await c.request({ command: 'remote_delete', recipient: f.bob.device.aci });
    assert.match(String(del.errorMessage), /targetTimestamp must be the positive integer/);
  });
});
