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
    ];
    for (const [entry, expected] of cases) assert.equal(wire(entry), expected, entry.kind);
  });

  it('prints a human line for each kind', () => {
    const line = (entry: InboxEntry) => formatEntry(entry, { json: false, ignoreAttachments: false });
    assert.equal(line({ kind: 'edit', ...PLAIN_MESSAGE, ...at, body: 'new', reaction: null, attachments: [], targetTimestamp: 9 }), '10 +15550002: (edit of 9) new\n');
    assert.equal(line({ kind: 'remoteDelete', ...at, sender: SELF, sentByThisAccount: true, destination: BOB, targetTimestamp: 9 }), '10 +15550001 to +15550002: deleted 9\n');
    assert.equal(line({ kind: 'receipt', sender: BOB, timestamp: 10, receipt: 'read', targetTimestamps: [7] }), '10 +15550002: read receipt for 7\n');
    assert.equal(line({ kind: 'unsupported', sender: BOB, timestamp: 10, contentKind: 'sticker' }), '10 +15550002: [sticker: not supported by sigsock]\n');
  });
});
