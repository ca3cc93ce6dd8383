// Typing indicators go without the urgent flag (no push notification wakes the recipient's phone),
// 1:1 and in a group alike, as Signal apps send them (docs/protocol.md, Recipients and sending).
// The mock server does not report a request's urgent flag, so this looks at what the outbox hands
// to its two delivery paths: the group sender and the 1:1 send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, type OutboxOptions } from '../../src/messenger/outbox.js';
import type { SendableGroup } from '../../src/messenger/groupDirectory.js';

const SELF = '11111111-1111-4111-8111-111111111111';
const BOB = { aci: '22222222-2222-4222-8222-222222222222', e164: '+15550000002', profileKey: null };
const GROUP = { groupId: 'R3JvdXA=', masterKey: new Uint8Array(32), revision: 1, members: [SELF, BOB.aci], endorsements: null } as unknown as SendableGroup;

function outbox() {
  const urgency: [string, boolean | undefined][] = [];
  const box = new Outbox({ store: {}, account: () => ({ aci: SELF }), log: () => {} } as unknown as OutboxOptions);
  const success = (aci: string) => ({ recipient: aci, aci, success: true, unidentified: true });
  Object.assign(box, {
    groupSender: {
      send: async (_group: unknown, members: string[], _content: unknown, _timestamp: number, urgent?: boolean) => {
        urgency.push(['group', urgent]);
        return members.map(success);
      },
    },
    sendToRecipient: async (recipient: typeof BOB, _label: string, _content: unknown, _timestamp: number, urgent?: boolean) => {
      urgency.push(['1:1', urgent]);
      return success(recipient.aci);
    },
  });
  return { box, urgency };
}

test('typing goes without the urgent flag, 1:1 and in a group, started and stopped', async () => {
  const { box, urgency } = outbox();
  await box.sendTyping({ recipient: BOB, label: BOB.e164 }, false, 10);
  await box.sendTyping({ recipient: BOB, label: BOB.e164 }, true, 11);
  const inGroup = await box.sendTyping({ group: GROUP }, false, 12);
  await box.sendTyping({ group: GROUP }, true, 13);
  assert.deepEqual(urgency, [
    ['1:1', false],
    ['1:1', false],
    ['group', false],
    ['group', false],
  ]);
  assert.deepEqual(inGroup.results.map((r) => r.aci), [BOB.aci], 'the group send goes to the other members');
});
