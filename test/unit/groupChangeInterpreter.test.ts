// A group-update message's change as an entry: each action decrypted with the group's master key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Aci } from '@signalapp/libsignal-client';
import { ClientZkGroupCipher } from '@signalapp/libsignal-client/zkgroup.js';
import { interpretContent } from '../../src/messenger/contentInterpreter.js';
import { decodeContent, encodeContent, encodeGroupAttributeBlob, encodeGroupChange, encodeGroupChangeActions, MemberRole } from '../../src/proto/index.js';
import { secretParamsOf } from '../../src/signal/groupsApi.js';

const SELF = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const CAROL = '00000000-0000-4000-8000-00000000000c';
const DAN = '00000000-0000-4000-8000-00000000000d';
const party = (aci: string) => ({ aci, e164: null });

test('a group change: editor, title, timer, members added, removed, invited, roles', () => {
  const masterKey = randomBytes(32);
  const cipher = new ClientZkGroupCipher(secretParamsOf(masterKey));
  const userId = (aci: string) => cipher.encryptServiceId(Aci.parseFromServiceIdString(aci)).serialize();
  const blob = (value: object) => cipher.encryptBlob(new Uint8Array(encodeGroupAttributeBlob(value)));
  const actions = encodeGroupChangeActions({
    sourceUserId: userId(BOB),
    version: 4,
    modifyTitle: { title: blob({ title: 'New name' }) },
    modifyDisappearingMessageTimer: { timer: blob({ disappearingMessagesDuration: 3600 }) },
    addMembers: [{ added: { userId: userId(CAROL), role: MemberRole.DEFAULT } }],
    deleteMembers: [{ deletedUserId: userId(DAN) }],
    addMembersPendingProfileKey: [{ added: { member: { userId: userId(DAN) } } }],
    modifyMemberRoles: [{ userId: userId(CAROL), role: MemberRole.ADMINISTRATOR }],
  });
  const content = encodeContent({ dataMessage: { timestamp: 50, groupV2: { masterKey, revision: 4, groupChange: encodeGroupChange({ actions, serverSignature: new Uint8Array(64) }) } } });
  const from = { senderAci: BOB, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null };
  const effects = interpretContent(decodeContent(content), from, { serverTimestamp: 1, clientTimestamp: 1, localAci: SELF });
  const value = effects.entry?.value;
  assert.ok(value?.kind === 'groupChange');
  assert.equal(value.groupId, effects.group?.groupId);
  assert.deepEqual(
    { ...value, groupId: null },
    {
      kind: 'groupChange',
      sender: party(BOB),
      timestamp: 50,
      groupId: null,
      sentByThisAccount: false,
      destination: null,
      revision: 4,
      editor: party(BOB),
      title: 'New name',
      description: null,
      expiresInSeconds: 3600,
      membersAdded: [party(CAROL)],
      membersRemoved: [party(DAN)],
      membersInvited: [party(DAN)],
      invitationsRevoked: [],
      membersJoined: [],
      roles: [{ member: party(CAROL), role: 'administrator' }],
    },
  );
});

test('a group update without a change, or without a readable one, names only the revision; a profile key update in a group stays invisible', () => {
  const masterKey = randomBytes(32);
  const from = { senderAci: BOB, senderDevice: 1, senderE164: null, sealed: false, content: new Uint8Array(), groupId: null };
  const meta = { serverTimestamp: 1, clientTimestamp: 1, localAci: SELF };
  // A new group, or a revision the sender did not describe: shown, not silently dropped.
  const bare = interpretContent(decodeContent(encodeContent({ dataMessage: { timestamp: 5, groupV2: { masterKey, revision: 2 } } })), from, meta).entry?.value;
  assert.deepEqual(bare?.kind === 'groupChange' && [bare.revision, bare.editor, bare.membersAdded, bare.title], [2, null, [], null]);
  const profileKeyOnly = interpretContent(decodeContent(encodeContent({ dataMessage: { timestamp: 5, flags: 4, profileKey: randomBytes(32), groupV2: { masterKey, revision: 2 } } })), from, meta);
  assert.equal(profileKeyOnly.entry, null);
  const garbled = interpretContent(decodeContent(encodeContent({ dataMessage: { timestamp: 5, groupV2: { masterKey, revision: 3, groupChange: new Uint8Array([10, 3, 1, 2, 3]) } } })), from, meta);
  const value = garbled.entry?.value;
  assert.deepEqual(value?.kind === 'groupChange' && [value.revision, value.editor, value.membersAdded], [3, null, []]);
});
