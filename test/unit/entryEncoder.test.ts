// The seed protocol's shape of each entry kind, key order included (clients compare lines byte for
// byte): a plain message is written as before, newer keys come after `attachments`. And the human
// line `sigsock receive` prints for each kind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatEntry } from '../../src/cli/entryFormat.js';
import type { InboxEntry } from '../../src/messenger/inboxEntry.js';
import { encodeEntry } from '../../src/socket/entryEncoder.js';
import { PLAIN_MESSAGE } from '../support/fakeEngine.js';

const BOB = { aci: '00000000-0000-4000-8000-00000000000b', e164: '+15550002' };
const SELF = { aci: '00000000-0000-4000-8000-00000000000a', e164: '+15550001' };
const at = { sender: BOB, timestamp: 10, groupId: null, sentByThisAccount: false, destination: null };
const wire = (entry: InboxEntry) => JSON.stringify(encodeEntry(entry, { attachmentData: true }));
const head = `"timestamp":10,"sender":"+15550002","senderUuid":"${BOB.aci}"`;

const image = (filename: string) => ({ content: null, filename, contentType: 'image/png', size: 1, error: null });
const CARD = {
  name: { given: 'Ada', family: 'Lovelace', prefix: null, suffix: null, middle: null, nickname: null },
  phone: [{ value: '+15550003', type: 'MOBILE' as const, label: null }],
  email: [],
  address: [],
  organization: null,
};

describe('entry encoder', () => {
  it('writes a plain message as the seed did', () => {
    assert.equal(wire({ kind: 'message', ...PLAIN_MESSAGE, ...at, body: 'hi', reaction: null, attachments: [] }), `{${head},"body":"hi","attachments":[]}`);
  });

  it("writes the sender's name, when known, right after the seed keys", () => {
    const named = { ...at, sender: { ...BOB, name: 'Bob B' } };
    assert.equal(wire({ kind: 'message', ...PLAIN_MESSAGE, ...named, body: 'hi', reaction: null, attachments: [] }), `{${head},"body":"hi","attachments":[],"senderName":"Bob B"}`);
    assert.equal(wire({ kind: 'typing', sender: named.sender, timestamp: 10, action: 'started', groupId: null }).includes('"senderName":"Bob B"'), true);
    const request = { kind: 'message' as const, ...PLAIN_MESSAGE, ...named, body: 'hi', reaction: null, attachments: [], messageRequest: true as const };
    assert.equal(wire(request), `{${head},"body":"hi","attachments":[],"senderName":"Bob B","messageRequest":true}`);
    assert.equal(formatEntry(request, { json: false, ignoreAttachments: false }), `10 +15550002 (Bob B): [message request] hi\n`);
  });

  it('writes each newer part and kind after the seed keys', () => {
    const cases: [InboxEntry, string][] = [
      [
        {
          kind: 'message',
          ...PLAIN_MESSAGE,
          ...at,
          body: '@ b',
          reaction: null,
          attachments: [],
          quote: { targetTimestamp: 5, targetAuthor: SELF, text: 'q' },
          mentions: [{ mentioned: SELF, start: 0, length: 1 }],
          textStyles: [{ style: 'italic', start: 2, length: 1 }],
          expiresInSeconds: 60,
        },
        `{${head},"body":"@ b","attachments":[],"quote":{"id":5,"author":"+15550001","authorUuid":"${SELF.aci}","text":"q"},"mentions":[{"number":"+15550001","uuid":"${SELF.aci}","start":0,"length":1}],"textStyles":[{"style":"ITALIC","start":2,"length":1}],"expiresInSeconds":60}`,
      ],
      [
        { kind: 'message', ...PLAIN_MESSAGE, ...at, sender: SELF, sentByThisAccount: true, destination: BOB, body: 'to bob', reaction: null, attachments: [] },
        `{"timestamp":10,"sender":"+15550001","senderUuid":"${SELF.aci}","body":"to bob","attachments":[],"sentByThisAccount":true,"destination":"+15550002","destinationUuid":"${BOB.aci}"}`,
      ],
      [{ kind: 'edit', ...PLAIN_MESSAGE, ...at, body: 'new', reaction: null, attachments: [], targetTimestamp: 9 }, `{${head},"body":"new","attachments":[],"editMessage":{"targetSentTimestamp":9}}`],
      [{ kind: 'remoteDelete', ...at, targetTimestamp: 9 }, `{${head},"body":null,"attachments":[],"remoteDelete":{"timestamp":9}}`],
      [{ kind: 'timerChange', ...at, expiresInSeconds: 0 }, `{${head},"body":null,"attachments":[],"expiresInSeconds":0,"isExpirationUpdate":true}`],
      [{ kind: 'receipt', sender: BOB, timestamp: 10, receipt: 'viewed', targetTimestamps: [7, 8] }, `{${head},"body":null,"attachments":[],"receiptMessage":{"type":"VIEWED","timestamps":[7,8]}}`],
      [{ kind: 'typing', sender: BOB, timestamp: 10, action: 'started', groupId: 'Zw==' }, `{${head},"body":null,"groupId":"Zw==","attachments":[],"typingMessage":{"action":"STARTED"}}`],
      [{ kind: 'unsupported', sender: BOB, timestamp: 10, contentKind: 'callMessage' }, `{${head},"body":null,"attachments":[],"unsupported":{"contentKind":"callMessage"}}`],
      [
        {
          kind: 'message',
          ...PLAIN_MESSAGE,
          ...at,
          body: 'see https://x.example',
          reaction: null,
          attachments: [image('photo.jpg')],
          viewOnce: true,
          previews: [{ url: 'https://x.example', title: 'X', description: null, date: 5, image: image('x.png') }],
        },
        `{${head},"body":"see https://x.example","attachments":[{"filename":"photo.jpg","contentType":"image/png","size":1}],"viewOnce":true,"previews":[{"url":"https://x.example","title":"X","description":null,"date":5,"image":{"filename":"x.png","contentType":"image/png","size":1}}]}`,
      ],
      [
        { kind: 'message', ...PLAIN_MESSAGE, ...at, body: null, reaction: null, attachments: [], sticker: { packId: 'aa', packKey: 'bb', stickerId: 3, emoji: '🐱', image: image('s.webp') } },
        `{${head},"body":null,"attachments":[],"sticker":{"packId":"aa","packKey":"bb","stickerId":3,"emoji":"🐱","attachment":{"filename":"s.webp","contentType":"image/png","size":1}}}`,
      ],
      [
        { kind: 'message', ...PLAIN_MESSAGE, ...at, body: null, reaction: null, attachments: [], sharedContacts: [CARD] },
        `{${head},"body":null,"attachments":[],"contacts":[${JSON.stringify(CARD)}]}`,
      ],
      [
        { kind: 'readSync', sender: SELF, timestamp: 10, receipt: 'read', messages: [{ author: BOB, timestamp: 7 }] },
        `{"timestamp":10,"sender":"+15550001","senderUuid":"${SELF.aci}","body":null,"attachments":[],"readMessages":[{"sender":"+15550002","senderUuid":"${BOB.aci}","timestamp":7}]}`,
      ],
      [
        { kind: 'readSync', sender: SELF, timestamp: 10, receipt: 'viewed', messages: [{ author: BOB, timestamp: 7 }] },
        `{"timestamp":10,"sender":"+15550001","senderUuid":"${SELF.aci}","body":null,"attachments":[],"viewedMessages":[{"sender":"+15550002","senderUuid":"${BOB.aci}","timestamp":7}]}`,
      ],
      [
        { kind: 'call', sender: BOB, timestamp: 10, event: 'offer', callId: '18446744073709551615', media: 'video', hangup: null },
        `{${head},"body":null,"attachments":[],"callMessage":{"offerMessage":{"id":"18446744073709551615","type":"VIDEO_CALL"}}}`,
      ],
      [
        { kind: 'call', sender: BOB, timestamp: 10, event: 'hangup', callId: '1', media: null, hangup: 'declined' },
        `{${head},"body":null,"attachments":[],"callMessage":{"hangupMessage":{"id":"1","type":"DECLINED"}}}`,
      ],
      [{ kind: 'payment', ...at, note: 'for lunch', receipt: 'AQI=' }, `{${head},"body":null,"attachments":[],"payment":{"note":"for lunch","receipt":"AQI="}}`],
      [
        { kind: 'story', sender: BOB, timestamp: 10, groupId: null, text: 'hello', allowsReplies: true, attachments: [] },
        `{${head},"body":null,"attachments":[],"storyMessage":{"allowsReplies":true,"text":"hello"}}`,
      ],
    ];
    for (const [entry, expected] of cases) assert.equal(wire(entry), expected, entry.kind);
  });

  it('prints a human line for each kind', () => {
    const line = (entry: InboxEntry) => formatEntry(entry, { json: false, ignoreAttachments: false });
    assert.equal(line({ kind: 'edit', ...PLAIN_MESSAGE, ...at, body: 'new', reaction: null, attachments: [], targetTimestamp: 9 }), '10 +15550002: (edit of 9) new\n');
    assert.equal(line({ kind: 'remoteDelete', ...at, sender: SELF, sentByThisAccount: true, destination: BOB, targetTimestamp: 9 }), '10 +15550001 to +15550002: deleted 9\n');
    assert.equal(line({ kind: 'receipt', sender: BOB, timestamp: 10, receipt: 'read', targetTimestamps: [7] }), '10 +15550002: read receipt for 7\n');
    assert.equal(line({ kind: 'unsupported', sender: BOB, timestamp: 10, contentKind: 'giftBadge' }), '10 +15550002: [giftBadge: not supported by sigsock]\n');
    assert.equal(line({ kind: 'call', sender: BOB, timestamp: 10, event: 'offer', callId: '1', media: 'audio', hangup: null }), '10 +15550002: call offer (audio)\n');
    assert.equal(line({ kind: 'readSync', sender: SELF, timestamp: 10, receipt: 'read', messages: [{ author: BOB, timestamp: 7 }] }), '10 +15550001: read on another device: 7\n');
  });
});
