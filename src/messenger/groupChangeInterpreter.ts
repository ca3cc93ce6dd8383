// Who changed what in a group, from the signed change a group-update message carries
// (groupV2.groupChange): its actions decrypted with the group's master key. Pure computation, no I/O.
// The change's server signature is not checked here: the entry tells a client what the message
// says; the group's state that sigsock keeps (list_groups) comes from the group server itself.
import { ClientZkGroupCipher, UuidCiphertext } from '@signalapp/libsignal-client/zkgroup.js';
import { decodeGroupAttributeBlob, decodeGroupChange, decodeGroupChangeActions, MemberRole, type GroupChangeActions } from '../proto/index.js';
import { secretParamsOf } from '../signal/groupsApi.js';
import type { GroupChangeDetails, Party } from './inboxEntry.js';

const NO_CHANGES: Omit<GroupChangeDetails, 'revision'> = {
  editor: null,
  title: null,
  description: null,
  expiresInSeconds: null,
  membersAdded: [],
  membersRemoved: [],
  membersInvited: [],
  invitationsRevoked: [],
  membersJoined: [],
  roles: [],
};

/** The details of the change to `revision`; none but the revision when the message carries no change or it cannot be read. */
export function interpretGroupChange(masterKey: Uint8Array, revision: number, signedChange: Uint8Array | undefined): GroupChangeDetails {
  if (!signedChange?.length) return { ...NO_CHANGES, revision };
  try {
    const actionsBytes = decodeGroupChange(signedChange).actions;
    if (!actionsBytes?.length) return { ...NO_CHANGES, revision };
    return changeDetails(new ClientZkGroupCipher(secretParamsOf(masterKey)), decodeGroupChangeActions(actionsBytes), revision);
  } catch {
    return { ...NO_CHANGES, revision };
  }
}

function changeDetails(cipher: ClientZkGroupCipher, actions: GroupChangeActions, revision: number): GroupChangeDetails {
  const party = (userId: Uint8Array | undefined): Party[] => {
    if (!userId?.length) return [];
    try {
      return [{ aci: cipher.decryptServiceId(new UuidCiphertext(new Uint8Array(userId))).getServiceIdString(), e164: null }];
    } catch {
      return [];
    }
  };
  const blob = (bytes: Uint8Array | undefined) => (bytes?.length ? decodeGroupAttributeBlob(cipher.decryptBlob(new Uint8Array(bytes))) : null);
  const title = actions.modifyTitle ? (blob(actions.modifyTitle.title)?.title ?? '') : null;
  const description = actions.modifyDescription ? (blob(actions.modifyDescription.description)?.descriptionText ?? '') : null;
  const timer = actions.modifyDisappearingMessageTimer ? (blob(actions.modifyDisappearingMessageTimer.timer)?.disappearingMessagesDuration ?? 0) : null;
  return {
    revision: actions.version ?? revision,
    editor: party(actions.sourceUserId)[0] ?? null,
    title,
    description,
    expiresInSeconds: timer,
    membersAdded: (actions.addMembers ?? []).flatMap((a) => party(a.added?.userId)),
    membersRemoved: (actions.deleteMembers ?? []).flatMap((d) => party(d.deletedUserId)),
    membersInvited: (actions.addMembersPendingProfileKey ?? []).flatMap((a) => party(a.added?.member?.userId)),
    invitationsRevoked: (actions.deleteMembersPendingProfileKey ?? []).flatMap((d) => party(d.deletedUserId)),
    membersJoined: (actions.promoteMembersPendingProfileKey ?? []).flatMap((p) => party(p.userId)),
    roles: (actions.modifyMemberRoles ?? []).flatMap((r) => party(r.userId).map((member) => ({ member, role: r.role === MemberRole.ADMINISTRATOR ? ('administrator' as const) : ('member' as const) }))),
  };
}
