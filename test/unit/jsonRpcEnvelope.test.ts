// JSON-RPC's `receive` notifications for every inbox entry kind, in signal-cli's shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeReceived } from '../../src/jsonrpc/envelope.js';
import type { InboxEntry } from '../../src/messenger/inboxEntry.js';
import { PLAIN_MESSAGE } from '../support/fakeEngine.js';

const ACCOUNT = '+15005550100';
const BOB = { aci: 'b0b00000-0000-4000-8000-000000000001', e164: '+15005550101' };
const SELF = { aci: 'a1b2c3d4-0000-4000-8000-00000000abcd', e164: ACCOUNT };
const origin = { sender: BOB, timestamp: 1700000000000, groupId: null, sentByThisAccount: false, destination: null };
const encode = (entry: InboxEntry) => encodeReceived(entry, { account: ACCOUNT, attachments: null }) as { envelope: Record<string, any>; account: string };

test('a message with a quote, a mention and a style: dataMessage as signal-cli writes it', () => {
  const { envelope, account } = encode({
    kind: 'message',
    ...origin,
    ...PLAIN_MESSAGE,
    body: 'hi @x',
    attachments: [],
    reaction: null,
    quote: { targetTimestamp: 1699999999000, targetAuthor: { aci: SELF.aci, e164: ACCOUNT }, text: 'earlier' },
    mentions: [{ mentioned: SELF, start: 3, length: 1 }],
    textStyles: [{ style: 'bold', start: 0, length: 2 }],
    expiresInSeconds: 3600,
  });
  assert.equal(account, ACCOUNT);
  assert.equal(envelope.sourceUuid, BOB.aci);
  assert.equal(envelope.sourceName, null, 'no name known');
  const named = encode({ kind: 'typing', sender: { ...BOB, name: 'Bob B' }, timestamp: 1, action: 'started', groupId: null });
  assert.equal(named.envelope.sourceName, 'Bob B');
  assert.deepEqual(envelope.dataMessage.quote, { id: 1699999999000, author: ACCOUNT, authorNumber: ACCOUNT, authorUuid: SELF.aci, text: 'earlier', attachments: [] });
  assert.deepEqual(envelope.dataMessage.mentions, [{ name: ACCOUNT, number: ACCOUNT, uuid: SELF.aci, start: 3, length: 1 }]);
  assert.deepEqual(envelope.dataMessage.textStyles, [{ style: 'BOLD', start: 0, length: 2 }]);
  assert.equal(envelope.dataMessage.expiresInSeconds, 3600);
});

test("what the account sent from its phone comes as syncMessage.sentMessage with the destination", () => {
  const { envelope } = encode({ kind: 'message', ...origin, ...PLAIN_MESSAGE, sender: SELF, sentByThisAccount: true, destination: SELF, body: 'note to self', attachments: [], reaction: null });
  assert.equal(envelope.dataMessage, undefined);
  assert.equal(envelope.syncMessage.sentMessage.destinationUuid, SELF.aci);
  assert.equal(envelope.syncMessage.sentMessage.message, 'note to self');
});

test('edits, deletes, timer changes, receipts, typing and unsupported content', () => {
  const edit = encode({ kind: 'edit', ...origin, ...PLAIN_MESSAGE, body: 'fixed', attachments: [], reaction: null, targetTimestamp: 5 }).envelope;
  assert.equal(edit.editMessage.targetSentTimestamp, 5);
  assert.equal(edit.editMessage.dataMessage.message, 'fixed');
  assert.deepEqual(encode({ kind: 'remoteDelete', ...origin, targetTimestamp: 6 }).envelope.dataMessage.remoteDelete, { timestamp: 6 });
  const timer = encode({ kind: 'timerChange', ...origin, expiresInSeconds: 60 }).envelope.dataMessage;
  assert.equal(timer.isExpirationUpdate, true);
  assert.equal(timer.expiresInSeconds, 60);
  const receipt = encode({ kind: 'receipt', sender: BOB, timestamp: 7, receipt: 'read', targetTimestamps: [1, 2] }).envelope.receiptMessage;
  assert.deepEqual(receipt, { when: 7, isDelivery: false, isRead: true, isViewed: false, timestamps: [1, 2] });
  assert.deepEqual(encode({ kind: 'typing', sender: BOB, timestamp: 8, action: 'started', groupId: 'g' }).envelope.typingMessage, { action: 'STARTED', timestamp: 8, groupId: 'g' });
  assert.deepEqual(encode({ kind: 'unsupported', sender: BOB, timestamp: 9, contentKind: 'callMessage' }).envelope.unsupportedMessage, { contentKind: 'callMessage' });
});

test("sourceDevice, serverReceivedTimestamp and serverDeliveredTimestamp from the entry's delivery; left out for entries stored without it", () => {
  const delivery = { senderDevice: 2, serverReceivedTimestamp: 1700000000100, serverDeliveredTimestamp: 1700000000200 };
  const { envelope } = encode({ kind: 'message', ...origin, ...PLAIN_MESSAGE, delivery, body: 'hi', attachments: [], reaction: null });
  assert.deepEqual(Object.keys(envelope).slice(0, 8), ['source', 'sourceNumber', 'sourceUuid', 'sourceName', 'sourceDevice', 'timestamp', 'serverReceivedTimestamp', 'serverDeliveredTimestamp']);
  assert.equal(envelope.sourceDevice, 2);
  assert.equal(envelope.serverReceivedTimestamp, 1700000000100);
  assert.equal(envelope.serverDeliveredTimestamp, 1700000000200);
  const receipt = encode({ kind: 'receipt', sender: BOB, timestamp: 1, receipt: 'read', targetTimestamps: [1], delivery }).envelope;
  assert.equal(receipt.sourceDevice, 2);
  const old = encode({ kind: 'message', ...origin, ...PLAIN_MESSAGE, body: 'hi', attachments: [], reaction: null }).envelope;
  assert.equal(old.sourceDevice, null);
  assert.equal('serverReceivedTimestamp' in old, false);
});

test("stickers, previews, view-once, shared contacts, read syncs, calls, payments and stories in signal-cli's shapes", () => {
  const image = { content: null, filename: 'i.png', contentType: 'image/png', size: 1, error: null };
  const card = {
    name: { given: 'Ada', family: 'Lovelace', prefix: null, suffix: null, middle: null, nickname: null },
    phone: [{ value: '+15550003', type: 'MOBILE' as const, label: null }],
    email: [],
    address: [],
    organization: null,
  };
  const data = encode({
    kind: 'message',
    ...origin,
    ...PLAIN_MESSAGE,
    body: 'https://x.example',
    attachments: [],
    reaction: null,
    viewOnce: true,
    sticker: { packId: 'aa', packKey: 'bb', stickerId: 3, emoji: null, image },
    previews: [{ url: 'https://x.example', title: 'X', description: null, date: null, image: null }],
    sharedContacts: [card],
  }).envelope.dataMessage;
  assert.equal(data.viewOnce, true);
  assert.deepEqual(data.sticker, { packId: 'aa', stickerId: 3, attachment: { contentType: 'image/png', filename: 'i.png', size: 1 } });
  assert.deepEqual(data.previews, [{ url: 'https://x.example', title: 'X', description: null, image: null }]);
  assert.deepEqual(data.contacts[0].name.display, 'Ada Lovelace');
  assert.deepEqual(data.contacts[0].phone, card.phone);

  const read = encode({ kind: 'readSync', sender: SELF, timestamp: 7, receipt: 'viewed', messages: [{ author: BOB, timestamp: 3 }] }).envelope;
  assert.deepEqual(read.syncMessage, { viewedMessages: [{ sender: BOB.e164, senderNumber: BOB.e164, senderUuid: BOB.aci, timestamp: 3 }] });
  const call = encode({ kind: 'call', sender: BOB, timestamp: 8, event: 'offer', callId: '99', media: 'audio', hangup: null }).envelope;
  assert.deepEqual(call.callMessage, { offerMessage: { id: '99', type: 'AUDIO_CALL' } });
  assert.deepEqual(encode({ kind: 'payment', ...origin, note: 'n', receipt: 'AQ==' }).envelope.dataMessage.payment, { note: 'n', receipt: 'AQ==' });
  const story = encode({ kind: 'story', sender: BOB, timestamp: 9, groupId: null, text: 'hi', allowsReplies: false, attachments: [] }).envelope;
  assert.deepEqual(story.storyMessage, { allowsReplies: false, textAttachment: { text: 'hi' } });
});
