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
    });
  });

  it('an edit, a remote delete and a timer change', () => {
    const edit = interpret({ editMessage: { targetSentTimestamp: 10, dataMessage: { timestamp: 11, body: 'fixed' } } });
    assert.equal(edit?.kind, 'edit');
    assert.deepEqual(edit && { ...edit }, { kind: 'edit', sender: bob, timestamp: 11, ...plain, targetTimestamp: 10, body: 'fixed', reaction: null, quote: null, mentions: [], textStyles: [], expiresInSeconds: 0 });
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
      interpret({ callMessage: new Uint8Array([10, 0]) }),
      interpret({ dataMessage: { timestamp: 3, sticker: new Uint8Array([10, 0]) } }),
      interpret({ syncMessage: { read: [{ timestamp: 4, senderAciBinary: bin(BOB) }] } }, SELF),
      interpret({ syncMessage: { sent: { timestamp: 5 } } }, BOB),
      // A Content whose only field is one sigsock's schema does not declare (field 99).
      interpretContent(decodeContent(new Uint8Array([0x9a, 0x06, 0x00])), { senderAci: BOB, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null }, META).entry?.value,
    ].map((e) => (e?.kind === 'unsupported' ? e.contentKind : e?.kind));
    assert.deepEqual(kinds, ['callMessage', 'sticker', 'readSync', 'syncMessage', 'unknown']);
  });
});
