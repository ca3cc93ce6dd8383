// Each conversation's disappearing-message timer: what received content says about it, and the
// version rule that keeps a late message from undoing a newer change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretContent } from '../../src/messenger/contentInterpreter.js';
import { ConversationTimers } from '../../src/messenger/conversationTimers.js';
import { DataMessageFlags, decodeContent, encodeContent, type Content } from '../../src/proto/index.js';

const SELF = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

function timers(): ConversationTimers {
  const rows = new Map<string, string>();
  return new ConversationTimers({ getSetting: (k) => rows.get(k), setSetting: (k, v) => void rows.set(k, v) });
}

function observed(content: Content, senderAci = BOB) {
  const from = { senderAci, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null };
  return interpretContent(decodeContent(encodeContent(content)), from, { serverTimestamp: 1, clientTimestamp: 1, localAci: SELF }).timer ?? null;
}

test("what arrives tells the conversation's timer: messages and timer changes do, reactions do not", () => {
  assert.deepEqual(observed({ dataMessage: { timestamp: 1, body: 'hi', expireTimer: 60, expireTimerVersion: 2 } }), { conversation: BOB, seconds: 60, version: 2 });
  assert.deepEqual(observed({ dataMessage: { timestamp: 1, flags: DataMessageFlags.EXPIRATION_TIMER_UPDATE, expireTimer: 0 } }), { conversation: BOB, seconds: 0, version: null });
  assert.equal(observed({ dataMessage: { timestamp: 1, reaction: { emoji: '👍', targetSentTimestamp: 5, targetAuthorAci: SELF } } }), null);
  // The owner's transcript of a message to Bob tells Bob's conversation.
  const transcript = observed({ syncMessage: { sent: { timestamp: 2, destinationServiceId: BOB, message: { timestamp: 2, body: 'x', expireTimer: 30, expireTimerVersion: 3 } } } }, SELF);
  assert.deepEqual(transcript, { conversation: BOB, seconds: 30, version: 3 });
});

test('a change counts when its version is not older; this account’s change is the next version', () => {
  const t = timers();
  assert.deepEqual(t.get(BOB), { seconds: 0, version: 1 });
  t.learn({ conversation: BOB, seconds: 60, version: 2 });
  t.learn({ conversation: BOB, seconds: 0, version: 1 });
  assert.deepEqual(t.get(BOB), { seconds: 60, version: 2 }, 'an older version is ignored');
  t.learn({ conversation: BOB, seconds: 120, version: null });
  assert.deepEqual(t.get(BOB), { seconds: 120, version: 2 }, 'an app without versions still sets it');
  assert.deepEqual(t.change(BOB, 3600), { seconds: 3600, version: 3 });
  assert.deepEqual(t.get(BOB), { seconds: 3600, version: 3 });
});

test("the phone's contact list names a contact's timer: with a version as any observation, without one only where none is known", () => {
  const t = timers();
  assert.equal(t.known(BOB), null);
  t.learnSynced(BOB, 300, null);
  assert.deepEqual(t.known(BOB), { seconds: 300, version: 1 }, 'fills in a conversation with no timer known');
  t.learn({ conversation: BOB, seconds: 60, version: 3 });
  t.learnSynced(BOB, 300, null);
  assert.deepEqual(t.get(BOB), { seconds: 60, version: 3 }, 'a versionless list does not undo a change seen since');
  t.learnSynced(BOB, 900, 2);
  assert.deepEqual(t.get(BOB), { seconds: 60, version: 3 }, 'an older version does not either');
  t.learnSynced(BOB, 900, 4);
  assert.deepEqual(t.get(BOB), { seconds: 900, version: 4 });
});
