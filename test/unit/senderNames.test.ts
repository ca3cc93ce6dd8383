// The senders of the entries a client takes: named as the owner knows them, and given the phone
// number the account learned after the entry was stored (a hello that arrived before the phone's
// contact list came with no number; by the time a client takes it, the number is known).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InboxEntry } from '../../src/messenger/inboxEntry.js';
import type { InboxLease } from '../../src/messenger/api.js';
import { withSenderDetails, type SenderDetails } from '../../src/messenger/senderNames.js';
import { PLAIN_MESSAGE } from '../support/fakeEngine.js';

const SELF = '00000000-0000-4000-8000-00000000000a';
const GREETER = '00000000-0000-4000-8000-00000000000b';
const STRANGER = '00000000-0000-4000-8000-00000000000c';

const message = (aci: string, e164: string | null): InboxEntry => ({
  kind: 'message',
  ...PLAIN_MESSAGE,
  sender: { aci, e164 },
  timestamp: 10,
  groupId: null,
  body: 'hi',
  attachments: [],
  reaction: null,
});
const lease = (entries: InboxEntry[]): InboxLease => ({ entries, commit: () => {}, release: () => {} });
const senders = (l: InboxLease) => l.entries.map((e) => ('sender' in e ? e.sender : null));

describe('sender details on taken entries', () => {
  const known: Record<string, SenderDetails> = {
    [GREETER]: { name: 'Greeter', e164: '+15550002' },
    [STRANGER]: { name: null, e164: null },
    [SELF]: { name: 'Me', e164: '+15550001' },
  };
  const lookups: string[] = [];
  const detailsOf = (aci: string) => {
    lookups.push(aci);
    return known[aci]!;
  };

  it('fills a number learned after the entry was stored, and the name', () => {
    lookups.length = 0;
    const taken = withSenderDetails(lease([message(GREETER, null), message(GREETER, null)]), SELF, detailsOf);
    assert.deepEqual(senders(taken), [
      { aci: GREETER, e164: '+15550002', name: 'Greeter' },
      { aci: GREETER, e164: '+15550002', name: 'Greeter' },
    ]);
    assert.deepEqual(lookups, [GREETER], 'one lookup per sender and lease');
  });

  it('keeps the number the entry came with, and leaves unknown senders and this account as they are', () => {
    const taken = withSenderDetails(lease([message(GREETER, '+15559999'), message(STRANGER, null), message(SELF, null)]), SELF, detailsOf);
    assert.deepEqual(senders(taken), [{ aci: GREETER, e164: '+15559999', name: 'Greeter' }, { aci: STRANGER, e164: null }, { aci: SELF, e164: null }]);
  });
});
