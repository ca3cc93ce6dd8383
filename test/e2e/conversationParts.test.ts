// Issue 15 (receiving, continued): stickers, link previews, view-once and shared contacts as parts of
// a message, with their images downloaded as attachments; the owner's read and viewed syncs; calls,
// payments and stories as entries a client can ignore; read receipts once a client took a message.
// Mock contacts send each Content; the test reads the entry through the real daemon's socket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anyContent, dataMessage, uploadedPointer, within } from '../support/contactActions.js';
import { receiveAll, startDaemon, type Daemon } from '../support/daemon.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { client, type LineClient } from '../support/lineClient.js';
import { groupIdFromMasterKey } from '../../src/messenger/groupIds.js';

const READ = 1;

describe('conversation parts (issue 15)', { timeout: 120_000 }, () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: LineClient;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f, ['--receive-stories', '--send-read-receipts']);
    c = await client(daemon.port);
    await f.introduce(f.bob);
  });
  after(async () => {
    c?.close();
    await daemon?.stop();
    await f?.close();
  });

  const sendFromBob = (content: Record<string, unknown>) => f.bob.sendRaw(f.device, anyContent(content));

  it('a sticker and link previews with their images, a view-once photo, a shared contact', async () => {
    const stickerImage = Buffer.from('sticker image bytes');
    const previewImage = Buffer.from('preview image bytes');
    const photo = Buffer.from('photo bytes');
    const packId = Buffer.alloc(16, 0xab);
    const packKey = Buffer.alloc(32, 0xcd);
    await sendFromBob({
      dataMessage: dataMessage({
        sticker: { packId, packKey, stickerId: 7, emoji: '🐱', data: await uploadedPointer(f.network, stickerImage, { fileName: 'sticker.webp', contentType: 'image/webp' }) },
      }),
    });
    await sendFromBob({
      dataMessage: dataMessage({
        body: 'read https://example.org/a',
        preview: [{ url: 'https://example.org/a', title: 'A page', description: 'about a', date: 1700000000000n, image: await uploadedPointer(f.network, previewImage, { fileName: 'a.png', contentType: 'image/png' }) }],
      }),
    });
    await sendFromBob({ dataMessage: dataMessage({ isViewOnce: true, attachments: [await uploadedPointer(f.network, photo, { fileName: 'once.jpg', contentType: 'image/jpeg' })] }) });
    await sendFromBob({
      dataMessage: dataMessage({
        contact: [{ name: { givenName: 'Ada', familyName: 'Lovelace' }, number: [{ value: '+15550003', type: 2 }], email: [], address: [], organization: 'Analytical Engines' }],
      }),
    });
    const [sticker, preview, once, card] = (await receiveAll(c, 4)) as Record<string, any>[];
    assert.deepEqual(sticker.attachments, []);
    assert.deepEqual({ ...sticker.sticker, attachment: null }, { packId: 'ab'.repeat(16), packKey: 'cd'.repeat(32), stickerId: 7, emoji: '🐱', attachment: null });
    assert.deepEqual(Buffer.from(sticker.sticker.attachment.base64Data, 'base64'), stickerImage);
    assert.equal(sticker.sticker.attachment.contentType, 'image/webp');

    assert.equal(preview.body, 'read https://example.org/a');
    assert.deepEqual(preview.attachments, []);
    const [p] = preview.previews;
    assert.deepEqual([p.url, p.title, p.description, p.date], ['https://example.org/a', 'A page', 'about a', 1700000000000]);
    assert.deepEqual(Buffer.from(p.image.base64Data, 'base64'), previewImage);

    assert.equal(once.viewOnce, true);
    assert.deepEqual(Buffer.from(once.attachments[0].base64Data, 'base64'), photo);

    assert.deepEqual(card.contacts, [
      {
        name: { given: 'Ada', family: 'Lovelace', prefix: null, suffix: null, middle: null, nickname: null },
        phone: [{ value: '+15550003', type: 'MOBILE', label: null }],
        email: [],
        address: [],
        organization: 'Analytical Engines',
      },
    ]);
  });

  it('a group update that carries no change (Bob adds us to a new group) is an entry naming its revision', async () => {
    const group = await f.bob.createGroup({ title: "Bob's new group", members: [f.bob, f.phone] });
    await sendFromBob({ dataMessage: dataMessage({ groupV2: group.toContext() }) });
    const [update] = (await receiveAll(c, 1)) as Record<string, any>[];
    assert.equal(update.groupId, groupIdFromMasterKey(group.masterKey));
    assert.equal(update.senderUuid, f.bob.device.aci);
    assert.equal(update.groupChange?.revision, group.revision, JSON.stringify(update));
    assert.equal(update.groupChange.editor ?? null, null, 'who changed what is not known');
  });

  it("the owner's read and viewed syncs, calls, a payment and a story", async () => {
    const ref = { timestamp: 1234n, senderAci: null, senderAciBinary: Buffer.from(f.bob.device.aciBinary) };
    const sync = (fields: Record<string, unknown>) => anyContent({ syncMessage: { content: null, read: null, viewed: null, stickerPackOperation: null, padding: null, ...fields } });
    await f.phone.sendRaw(f.device, sync({ read: [ref] }));
    await f.phone.sendRaw(f.device, sync({ viewed: [ref] }));
    await sendFromBob({ callMessage: { offer: { id: 18446744073709551615n, type: 1, opaque: Buffer.alloc(4) } } });
    await sendFromBob({ callMessage: { iceUpdate: [{ id: 18446744073709551615n, opaque: Buffer.alloc(4) }] } });
    await sendFromBob({ callMessage: { hangup: { id: 18446744073709551615n, type: 2, deviceId: 1 } } });
    await sendFromBob({ dataMessage: dataMessage({ payment: { Item: { notification: { Transaction: { mobileCoin: { receipt: Buffer.from([1, 2, 3]) } }, note: 'for lunch' } } } }) });
    await sendFromBob({ storyMessage: { attachment: { textAttachment: { text: 'my story' } }, allowsReplies: true } });
    const [read, viewed, offer, hangup, payment, story] = (await receiveAll(c, 6)) as Record<string, any>[];
    const message = { sender: f.bob.device.number, senderUuid: f.bob.device.aci, timestamp: 1234 };
    assert.deepEqual([read.senderUuid, read.readMessages], [f.phone.device.aci, [message]]);
    assert.deepEqual(viewed.viewedMessages, [message]);
    assert.deepEqual([offer.senderUuid, offer.callMessage], [f.bob.device.aci, { offerMessage: { id: '18446744073709551615', type: 'VIDEO_CALL' } }]);
    assert.deepEqual(hangup.callMessage, { hangupMessage: { id: '18446744073709551615', type: 'DECLINED' } });
    assert.deepEqual(payment.payment, { note: 'for lunch', receipt: 'AQID' });
    assert.deepEqual([story.senderUuid, story.storyMessage], [f.bob.device.aci, { allowsReplies: true, text: 'my story' }]);
  });

  it('with --send-read-receipts, a message taken by a client is read', async () => {
    const message = dataMessage({ body: 'read me' });
    await sendFromBob({ dataMessage: message });
    const [entry] = await receiveAll(c, 1);
    assert.equal(entry?.body, 'read me');
    for (;;) {
      const { receiptMessage } = await within(f.bob.waitForReceipt(), 20_000, 'the read receipt');
      if (receiptMessage.type === READ && receiptMessage.timestamp?.map(Number).includes(Number(message.timestamp))) break;
    }
  });

  it("without --receive-stories (and with signal-cli's --ignore-stories) a story is dropped", async () => {
    for (const args of [[], ['--ignore-stories']]) {
      c.close();
      await daemon.stop();
      daemon = await startDaemon(f, args);
      c = await client(daemon.port);
      await sendFromBob({ storyMessage: { attachment: { textAttachment: { text: 'unseen' } }, allowsReplies: false } });
      await sendFromBob({ dataMessage: dataMessage({ body: `after the story ${args.join(' ')}` }) });
      const [next] = await receiveAll(c, 1);
      assert.equal(next?.body, `after the story ${args.join(' ')}`);
    }
  });
});
