// The recorder over a real account store: one transaction holds the envelope id, what the envelope
// taught about its sender, and the entry with the phone numbers the account knows; a transaction
// that fails leaves none of them.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentEffects, EntryValue } from '../../src/messenger/contentInterpreter.js';
import { PLAIN_MESSAGE } from '../support/fakeEngine.js';
import { ReceiveRecorder } from '../../src/messenger/receiveRecorder.js';
import { AccountStore } from '../../src/store/accountStore.js';

const SELF = { aci: '00000000-0000-4000-8000-00000000000a', e164: '+4915100000000' };
const SENDER = '00000000-0000-4000-8000-00000000000b';

function effects(overrides: Partial<ContentEffects> = {}): ContentEffects {
  return {
    entry: {
      value: {
        ...PLAIN_MESSAGE,
        kind: 'message',
        sender: { aci: SENDER, e164: null },
        timestamp: 5,
        groupId: null,
        body: 'thanks',
        reaction: { emoji: '👍', targetAuthor: { aci: SELF.aci, e164: null }, targetTimestamp: 4, remove: false },
      },
      attachments: [],
    },
    sender: { aci: SENDER, e164: null, profileKey: null },
    learned: [],
    contactSyncBlob: null,
    senderKeyDistribution: null,
    group: null,
    ...overrides,
  };
}

describe('receive recorder', () => {
  let dir: string;
  let store: AccountStore;
  let recorder: ReceiveRecorder;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sigsock-recorder-')), 'data');
    store = AccountStore.create({ dataDir: dir, number: SELF.e164, trustMode: 'on-first-use' });
    recorder = new ReceiveRecorder(store, () => SELF);
  });
  afterEach(() => {
    store.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('commits the envelope id and the entry, with the numbers the account knows', () => {
    store.recipients.upsertRecipient({ aci: SENDER, e164: '+4915100000001' });
    recorder.commit(store.protocolBatch('aci'), 'env-1', { kind: 'interpreted', effects: effects() });
    assert.ok(recorder.hasSeen('env-1'));
    const [row] = store.inbox.readyEntries(10, new Set());
    assert.deepEqual(row.entry, {
      kind: 'message',
      sender: { aci: SENDER, e164: '+4915100000001' },
      timestamp: 5,
      groupId: null,
      body: 'thanks',
      reaction: { emoji: '👍', targetAuthor: { aci: SELF.aci, e164: SELF.e164 }, targetTimestamp: 4, remove: false },
      ...PLAIN_MESSAGE,
    });
  });

  it("fills in the numbers of a quote's author, mentioned accounts and a transcript's destination; keeps other kinds as they are", () => {
    const CAROL = '00000000-0000-4000-8000-00000000000c';
    store.recipients.upsertRecipient({ aci: SENDER, e164: '+4915100000001' });
    store.recipients.upsertRecipient({ aci: CAROL, e164: '+4915100000002' });
    const own: EntryValue = {
      kind: 'edit',
      ...PLAIN_MESSAGE,
      sender: { aci: SELF.aci, e164: null },
      timestamp: 7,
      groupId: null,
      body: 'fixed',
      reaction: null,
      targetTimestamp: 6,
      sentByThisAccount: true,
      destination: { aci: SENDER, e164: null },
      quote: { targetTimestamp: 3, targetAuthor: { aci: SELF.aci, e164: null }, text: 'q' },
      mentions: [{ mentioned: { aci: CAROL, e164: null }, start: 0, length: 1 }],
    };
    const typing = { kind: 'typing', sender: { aci: SENDER, e164: null }, timestamp: 8, action: 'started', groupId: null } as const;
    recorder.commit(store.protocolBatch('aci'), 'env-1', { kind: 'interpreted', effects: effects({ entry: { value: own, attachments: [] } }) });
    recorder.commit(store.protocolBatch('aci'), 'env-2', { kind: 'interpreted', effects: effects({ entry: { value: typing, attachments: [] } }) });
    assert.deepEqual(
      store.inbox.readyEntries(10, new Set()).map((r) => r.entry),
      [
        {
          ...own,
          sender: SELF,
          destination: { aci: SENDER, e164: '+4915100000001' },
          quote: { targetTimestamp: 3, targetAuthor: SELF, text: 'q' },
          mentions: [{ mentioned: { aci: CAROL, e164: '+4915100000002' }, start: 0, length: 1 }],
        },
        { ...typing, sender: { aci: SENDER, e164: '+4915100000001' } },
      ],
    );
  });

  it('queues a failure as its entry and a duplicate as its id alone', () => {
    const failure = { kind: 'failure', failure: 'undecryptable', senderServiceId: SENDER, reason: 'could not decrypt' } as const;
    recorder.commit(store.protocolBatch('aci'), 'env-1', { kind: 'failed', failure });
    recorder.commit(store.protocolBatch('aci'), 'env-2', { kind: 'duplicate' });
    assert.ok(recorder.hasSeen('env-1') && recorder.hasSeen('env-2'));
    assert.deepEqual(
      store.inbox.readyEntries(10, new Set()).map((r) => r.entry),
      [failure],
    );
  });

  it('leaves nothing behind when the transaction fails: neither id, nor sender, nor entry', () => {
    const failing = {
      commit: (also?: () => void) =>
        store.transaction(() => {
          also?.();
          throw new Error('the ratchet state did not commit');
        }),
    };
    assert.throws(() => recorder.commit(failing, 'env-1', { kind: 'interpreted', effects: effects({ sender: { aci: SENDER, e164: '+4915100000001', profileKey: null } }) }));
    assert.equal(recorder.hasSeen('env-1'), false);
    assert.equal(store.recipients.byAci(SENDER), undefined);
    assert.equal(store.inbox.count(), 0);
  });
});
