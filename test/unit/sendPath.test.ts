// Issue 14 point 3: text messages and reactions go through one send orchestration: destination
// first (nothing uploaded for an unknown group), then the kind's parts, then the timestamp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aci } from '@signalapp/libsignal-client';
import { SendPath, type SendPathDeps } from '../../src/messenger/sendPath.js';
import { MessengerError } from '../../src/messenger/errors.js';
import type { DataMessage } from '../../src/messenger/outbox.js';
import { ConversationTimers, groupConversation } from '../../src/messenger/conversationTimers.js';
import { DataMessageFlags } from '../../src/proto/index.js';

const SELF = { aci: '11111111-1111-4111-8111-111111111111', number: '+15550000001', profileKey: new Uint8Array(32).fill(7) };
const BOB = { aci: '22222222-2222-4222-8222-222222222222', e164: '+15550000002', profileKey: null };
const GROUP = { groupId: 'R3JvdXA=', masterKey: new Uint8Array(32).fill(9), revision: 4, members: [SELF.aci, BOB.aci], endorsements: null };

function fakes() {
  const steps: string[] = [];
  const sent: { to: string; message: DataMessage; timestamp: number }[] = [];
  const rows = new Map<string, string>();
  const timers = new ConversationTimers({ getSetting: (k) => rows.get(k), setSetting: (k, v) => void rows.set(k, v) });
  timers.learn({ conversation: BOB.aci, seconds: 600, version: 2 });
  timers.learn({ conversation: groupConversation(GROUP.groupId), seconds: 60, version: null });
  const deps = {
    account: () => SELF,
    timers,
    groups: {
      forSend: async (groupId: string) => {
        steps.push(`group ${groupId}`);
        if (groupId !== GROUP.groupId) throw new MessengerError('GROUP_NOT_FOUND', 'unknown group');
        return GROUP;
      },
    },
    resolver: {
      resolve: async (who: string) => {
        steps.push(`resolve ${who}`);
        return BOB;
      },
    },
    outbox: {
      uploadAttachments: async (attachments: unknown[]) => {
        steps.push(`upload ${attachments.length}`);
        return attachments.map(() => ({ cdnKey: 'k' }));
      },
      sendDataMessage: async (recipient: typeof BOB, label: string, message: DataMessage, timestamp: number) => {
        sent.push({ to: `${label} ${recipient.aci}`, message, timestamp });
        return { timestamp, results: [] };
      },
      sendGroupDataMessage: async (group: typeof GROUP, message: DataMessage, timestamp: number) => {
        sent.push({ to: `group ${group.groupId}`, message, timestamp });
        return { timestamp, results: [] };
      },
    },
  } as unknown as SendPathDeps;
  return { path: new SendPath(deps), steps, sent };
}

test('a text message to a number: resolved first, then uploaded, one timestamp for message and result', async () => {
  const { path, steps, sent } = fakes();
  const result = await path.sendMessage({ recipient: BOB.e164 }, 'hi', [{ data: Buffer.from('x') }]);
  assert.deepEqual(steps, [`resolve ${BOB.e164}`, 'upload 1']);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].to, `${BOB.e164} ${BOB.aci}`);
  assert.equal(sent[0].message.body, 'hi');
  assert.equal(sent[0].message.attachments?.length, 1);
  assert.deepEqual(sent[0].message.profileKey, SELF.profileKey);
  assert.equal(sent[0].message.groupV2, undefined);
  assert.equal(sent[0].message.timestamp, result.timestamp);
  assert.equal(sent[0].timestamp, result.timestamp);
  // The conversation's disappearing-message timer and its version go with it.
  assert.deepEqual([sent[0].message.expireTimer, sent[0].message.expireTimerVersion], [600, 2]);
});

test('a reaction in a group: the same path, with the group context and the author as ACI', async () => {
  const { path, steps, sent } = fakes();
  await path.sendReaction({ groupId: GROUP.groupId }, { emoji: '👍', author: SELF.number, remove: false, timestamp: 1234 });
  assert.deepEqual(steps, [`group ${GROUP.groupId}`], 'reacting to our own message needs no lookup');
  const { message } = sent[0];
  assert.equal(sent[0].to, `group ${GROUP.groupId}`);
  assert.deepEqual(message.groupV2, { masterKey: GROUP.masterKey, revision: GROUP.revision });
  assert.equal(message.body, undefined);
  assert.equal(message.reaction?.emoji, '👍');
  assert.deepEqual(message.reaction?.targetAuthorAciBinary, Aci.fromUuid(SELF.aci).getServiceIdBinary());
  assert.equal(message.reaction?.targetSentTimestamp, 1234);
  assert.equal(message.expireTimer, undefined, 'a reaction carries no timer');
});

test("a group message carries the group's timer, without a version; a timer change is flagged and versioned", async () => {
  const { path, sent } = fakes();
  await path.sendMessage({ groupId: GROUP.groupId }, 'hi all', []);
  assert.deepEqual([sent[0].message.expireTimer, sent[0].message.expireTimerVersion], [60, undefined]);
  await path.setExpiration({ recipient: BOB.e164 }, 0);
  assert.deepEqual([sent[1].message.flags, sent[1].message.expireTimer, sent[1].message.expireTimerVersion], [DataMessageFlags.EXPIRATION_TIMER_UPDATE, 0, 3]);
  await assert.rejects(path.setExpiration({ groupId: GROUP.groupId }, 60), /update_group's expiration/);
});

test('an unknown group fails before anything is uploaded or sent', async () => {
  const { path, steps, sent } = fakes();
  await assert.rejects(path.sendMessage({ groupId: 'bm9wZQ==' }, 'hi', [{ data: Buffer.from('x') }]), { kind: 'GROUP_NOT_FOUND' });
  await assert.rejects(path.sendReaction({ groupId: 'bm9wZQ==' }, { emoji: '👍', author: BOB.e164, remove: false, timestamp: 1 }), { kind: 'GROUP_NOT_FOUND' });
  assert.deepEqual(steps, ['group bm9wZQ==', 'group bm9wZQ==']);
  assert.equal(sent.length, 0);
});
