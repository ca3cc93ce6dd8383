// The content interpreter over each kind of Content: what becomes which entry, what stays invisible
// because it is handled, and that content it does not know becomes an `unsupported` entry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Aci } from '@signalapp/libsignal-client';
import { interpretContent, type EntryValue } from '../../src/messenger/contentInterpreter.js';
import { BodyRangeStyle, DataMessageFlags, decodeContent, encodeContent, ReceiptType, TypingAction, type Content } from '../../src/proto/index.js';

const SELF = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const CAROL = '00000000-0000-4000-8000-00000000000c';
const META = { serverTimestamp: 900, clientTimestamp: 800, localAci: SELF };
const bin = (aci: string) => Aci.parseFromServiceIdString(aci).getServiceIdBinary();

/** Through the wire format, so the .proto's field numbers are part of what is tested. */
function interpret(content: Content, senderAci = BOB): EntryValue | null {
  const from = { senderAci, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null };
  return interpretContent(decodeContent(encodeContent(content)), from, META).entry?.value ?? null;
}

const bob = { aci: BOB, e164: null };
const plain = { sentByThisAccount: false, destination: null, groupId: null };
/** The parts a message without a sticker, previews, view-once or contacts has. */
const none = { sticker: null, previews: [], viewOnce: false, sharedContacts: [] };

describe('content interpreter', () => {
  it('a message with a quote, mentions, styles and a timer', () => {
    const entry = interpret({
      dataMessage: {
        timestamp: 10,
        body: '@ look',
        expireTimer: 3600,
        quote: { id: 5, authorAciBinary: bin(SELF), text: 'the question' },
        bodyRanges: [
          { start: 0, length: 1, mentionAciBinary: bin(CAROL) },
          { start: 2, length: 4, style: BodyRangeStyle.BOLD },
        ],
      },
    });
    assert.deepEqual(entry, {
      kind: 'message',
      sender: bob,
      timestamp: 10,
      ...plain,
      body: '@ look',
      reaction: null,
      quote: { targetTimestamp: 5, targetAuthor: { aci: SELF, e164: null }, text: 'the question' },
      mentions: [{ mentioned: { aci: CAROL, e164: null }, start: 0, length: 1 }],
      textStyles: [{ style: 'bold', start: 2, length: 4 }],
      expiresInSeconds: 3600,
      ...none,
    });
  });

  it('an edit, a remote delete and a timer change', () => {
    const edit = interpret({ editMessage: { targetSentTimestamp: 10, dataMessage: { timestamp: 11, body: 'fixed' } } });
    assert.equal(edit?.kind, 'edit');
    assert.deepEqual(edit && { ...edit }, { kind: 'edit', sender: bob, timestamp: 11, ...plain, targetTimestamp: 10, body: 'fixed', reaction: null, quote: null, mentions: [], textStyles: [], expiresInSeconds: 0, ...none });
    assert.deepEqual(interpret({ dataMessage: { timestamp: 12, delete: { targetSentTimestamp: 10 } } }), { kind: 'remoteDelete', sender: bob, timestamp: 12, ...plain, targetTimestamp: 10 });
    assert.deepEqual(interpret({ dataMessage: { timestamp: 13, flags: DataMessageFlags.EXPIRATION_TIMER_UPDATE, expireTimer: 60 } }), {
      kind: 'timerChange',
      sender: bob,
      timestamp: 13,
      ...plain,
      expiresInSeconds: 60,
    });
  });

  it('receipts and typing', () => {
    assert.deepEqual(interpret({ receiptMessage: { type: ReceiptType.READ, timestamp: [10, 11] } }), { kind: 'receipt', sender: bob, timestamp: 800, receipt: 'read', targetTimestamps: [10, 11] });
    assert.deepEqual(interpret({ receiptMessage: { timestamp: [10] } }), { kind: 'receipt', sender: bob, timestamp: 800, receipt: 'delivery', targetTimestamps: [10] });
    const groupId = new Uint8Array(32).fill(7);
    assert.deepEqual(interpret({ typingMessage: { timestamp: 14, action: TypingAction.STOPPED, groupId } }), {
      kind: 'typing',
      sender: bob,
      timestamp: 14,
      action: 'stopped',
      groupId: Buffer.from(groupId).toString('base64'),
    });
  });

  it('a sync transcript of what the account sent: to a contact, to itself, an edit', () => {
    const toBob = interpret({ syncMessage: { sent: { timestamp: 20, destinationServiceIdBinary: bin(BOB), destinationE164: '+15550001', message: { timestamp: 20, body: 'hi bob' } } } }, SELF);
    assert.equal(toBob?.kind, 'message');
    assert.deepEqual(toBob && { sender: toBob.sender, sentByThisAccount: 'sentByThisAccount' in toBob && toBob.sentByThisAccount, destination: 'destination' in toBob && toBob.destination }, {
      sender: { aci: SELF, e164: null },
      sentByThisAccount: true,
      destination: { aci: BOB, e164: '+15550001' },
    });
    const note = interpret({ syncMessage: { sent: { timestamp: 21, destinationServiceIdBinary: bin(SELF), message: { timestamp: 21, body: 'note' } } } }, SELF);
    assert.deepEqual(note && 'destination' in note && note.destination, { aci: SELF, e164: null });
    const edit = interpret({ syncMessage: { sent: { timestamp: 22, destinationServiceIdBinary: bin(BOB), editMessage: { targetSentTimestamp: 20, dataMessage: { timestamp: 22, body: 'hi, bob' } } } } }, SELF);
    assert.equal(edit?.kind, 'edit');
    assert.equal(edit && 'sentByThisAccount' in edit && edit.sentByThisAccount, true);
  });

  it('keeps handled control messages invisible', () => {
    assert.equal(interpret({ dataMessage: { timestamp: 1, flags: DataMessageFlags.END_SESSION } }), null);
    assert.equal(interpret({ dataMessage: { timestamp: 1, flags: DataMessageFlags.PROFILE_KEY_UPDATE, profileKey: new Uint8Array(32) } }), null);
    assert.equal(interpret({ nullMessage: { padding: new Uint8Array(3) } }), null);
    assert.equal(interpret({ syncMessage: { configuration: { readReceipts: true } } }, SELF), null);
    assert.equal(interpret({ syncMessage: { sent: { timestamp: 2, isRecipientUpdate: true, message: { timestamp: 2, body: 'again' } } } }, SELF), null);
  });

  it('names what it does not interpret, including content it does not know', () => {
    const kinds = [
      interpret({ callMessage: {} }),
      interpret({ dataMessage: { timestamp: 3, giftBadge: new Uint8Array([10, 0]) } }),
      interpret({ dataMessage: { timestamp: 3, payment: { activation: { type: 0 } } } }),
      interpret({ syncMessage: { sent: { timestamp: 5 } } }, BOB),
      // A Content whose only field is one sigsock's schema does not declare (field 99).
      interpretContent(decodeContent(new Uint8Array([0x9a, 0x06, 0x00])), { senderAci: BOB, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null }, META).entry?.value,
    ].map((e) => (e?.kind === 'unsupported' ? e.contentKind : e?.kind));
    assert.deepEqual(kinds, ['callMessage', 'giftBadge', 'paymentActivation', 'syncMessage', 'unknown']);
  });

  it('a sticker, link previews, view-once and a shared contact: images become attachments the parts point to', () => {
    const pointer = (cdnKey: string) => ({ cdnKey, cdnNumber: 3, key: new Uint8Array(64), digest: new Uint8Array(32), size: 9, contentType: 'image/webp', fileName: cdnKey });
    const effects = interpretContent(
      decodeContent(
        encodeContent({
          dataMessage: {
            timestamp: 20,
            body: 'look https://x.example',
            attachments: [pointer('photo')],
            isViewOnce: true,
            sticker: { packId: new Uint8Array([0xab, 0xcd]), packKey: new Uint8Array([1, 2]), stickerId: 7, emoji: '🐱', data: pointer('sticker') },
            preview: [{ url: 'https://x.example', title: 'X', description: 'about x', date: 1000, image: pointer('preview') }, { url: 'https://y.example' }],
            contact: [{ name: { givenName: 'Ada', familyName: 'Lovelace' }, number: [{ value: '+15550003', type: 2 }], email: [{ value: 'ada@example.org', type: 4, label: 'old' }], address: [{ type: 2, city: 'London' }], organization: 'Analytical' }],
          },
        }),
      ),
      { senderAci: BOB, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null },
      META,
    );
    assert.deepEqual(effects.entry?.attachments.map((a) => a.filename), ['photo', 'sticker', 'preview']);
    const value = effects.entry?.value;
    assert.ok(value?.kind === 'message');
    assert.equal(value.viewOnce, true);
    assert.deepEqual(value.sticker, { packId: 'abcd', packKey: '0102', stickerId: 7, emoji: '🐱', image: 1 });
    assert.deepEqual(value.previews, [
      { url: 'https://x.example', title: 'X', description: 'about x', date: 1000, image: 2 },
      { url: 'https://y.example', title: null, description: null, date: null, image: null },
    ]);
    const nobody = { prefix: null, suffix: null, middle: null, nickname: null };
    const noAddress = { label: null, street: null, pobox: null, neighborhood: null, region: null, postcode: null, country: null };
    assert.deepEqual(value.sharedContacts, [
      {
        name: { given: 'Ada', family: 'Lovelace', ...nobody },
        phone: [{ value: '+15550003', type: 'MOBILE', label: null }],
        email: [{ value: 'ada@example.org', type: 'CUSTOM', label: 'old' }],
        address: [{ type: 'WORK', city: 'London', ...noAddress }],
        organization: 'Analytical',
      },
    ]);
    // A sticker alone (no body) is a message, not an unsupported entry.
    const sticker = interpret({ dataMessage: { timestamp: 21, sticker: { packId: new Uint8Array([1]), packKey: new Uint8Array([2]), stickerId: 0 } } });
    assert.equal(sticker?.kind, 'message');
  });

  it('read and viewed syncs from the owner\'s other devices', () => {
    assert.deepEqual(interpret({ syncMessage: { read: [{ timestamp: 4, senderAciBinary: bin(BOB) }, { timestamp: 5, senderAci: CAROL }] } }, SELF), {
      kind: 'readSync',
      sender: { aci: SELF, e164: null },
      timestamp: 800,
      receipt: 'read',
      messages: [
        { author: bob, timestamp: 4 },
        { author: { aci: CAROL, e164: null }, timestamp: 5 },
      ],
    });
    const viewed = interpret({ syncMessage: { viewed: [{ timestamp: 6, senderAciBinary: bin(BOB) }] } }, SELF);
    assert.equal(viewed?.kind === 'readSync' && viewed.receipt, 'viewed');
  });

  it('calls: offer, answer, busy and hangup with exact 64-bit ids; ICE and opaque signalling stay invisible', () => {
    const call = { kind: 'call', sender: bob, timestamp: 800, media: null, hangup: null };
    assert.deepEqual(interpret({ callMessage: { offer: { id: '18446744073709551615', type: 1, opaque: new Uint8Array(3) } } }), { ...call, event: 'offer', callId: '18446744073709551615', media: 'video' });
    assert.deepEqual(interpret({ callMessage: { answer: { id: '2' } } }), { ...call, event: 'answer', callId: '2' });
    assert.deepEqual(interpret({ callMessage: { busy: { id: '3' } } }), { ...call, event: 'busy', callId: '3' });
    assert.deepEqual(interpret({ callMessage: { hangup: { id: '4', type: 2, deviceId: 1 } } }), { ...call, event: 'hangup', callId: '4', hangup: 'declined' });
    assert.equal(interpret({ callMessage: { iceUpdate: [{ id: '4', opaque: new Uint8Array(2) }] } }), null);
    assert.equal(interpret({ callMessage: { opaque: new Uint8Array(2) } }), null);
  });

  it('a payment notification', () => {
    assert.deepEqual(interpret({ dataMessage: { timestamp: 30, payment: { notification: { note: 'lunch', mobileCoin: { receipt: new Uint8Array([1, 2]) } } } } }), {
      kind: 'payment',
      sender: bob,
      timestamp: 30,
      ...plain,
      note: 'lunch',
      receipt: 'AQI=',
    });
  });

  it('stories only when asked for', () => {
    const from = { senderAci: BOB, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null };
    const content = decodeContent(encodeContent({ storyMessage: { textAttachment: { text: 'hello' }, allowsReplies: true } }));
    assert.equal(interpretContent(content, from, META).entry, null);
    assert.deepEqual(interpretContent(content, from, { ...META, receiveStories: true }).entry, {
      value: { kind: 'story', sender: bob, timestamp: 800, groupId: null, text: 'hello', allowsReplies: true },
      attachments: [],
    });
  });
});
