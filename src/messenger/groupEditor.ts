// Changes to groups made by this account: create a group, rename it, add and remove members,
// leave it. Each is one signed change on the group server (Groups v2); the caller then tells the
// members with a group-update message (groupV2 {masterKey, revision, groupChange}) so their
// clients apply it, as Signal's apps do.
//
// Adding someone: with their profile key (they shared it with a message to us) we get a profile key
// credential from the server and add them as a full member, with a zero-knowledge presentation of
// it. Without it the server cannot check that the profile key in the group is theirs, so they are
// invited instead (a pending member) and become a member when they accept in their app — which is
// what Signal's own apps do for contacts whose profile key they lack.
import { ServiceId } from '@signalapp/libsignal-client';
import type { AuthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import {
  ClientZkGroupCipher,
  ClientZkProfileOperations,
  GroupSecretParams,
  ServerPublicParams,
  type ExpiringProfileKeyCredential,
} from '@signalapp/libsignal-client/zkgroup.js';
import {
  AccessRequired,
  encodeGroupAttributeBlob,
  MemberRole,
  type Group,
  type GroupChangeActions,
} from '../proto/index.js';
import { GroupAccessError, GroupConflictError, secretParamsOf, type GroupState, type GroupsApi } from '../signal/groupsApi.js';
import type { KeptConnection } from '../signal/keptConnection.js';
import { fetchProfileKeyCredential } from '../signal/profileApi.js';
import type { Groups } from '../store/groups.js';
import type { Log } from '../util/log.js';
import type { GroupUpdateRequest } from './api.js';
import { MessengerError } from './errors.js';
import type { GroupDirectory } from './groupDirectory.js';
import { groupIdFromMasterKey } from './groupIds.js';
import type { KnownRecipient } from './recipientResolver.js';

export interface GroupChangeOutcome {
  groupId: string;
  masterKey: Uint8Array;
  /** The group after the change, as the server has it. */
  state: GroupState;
  created: boolean;
  /** Nothing needed changing (the title and members were already as asked). */
  unchanged: boolean;
  /** The server-signed change (null for a new group: revision 0 has none). */
  groupChange: Uint8Array | null;
  /** Who gets the group-update message besides the full members: invitees and removed members. */
  alsoNotify: string[];
  /** Members (as given) added as full members, invited (pending), and removed. */
  added: string[];
  invited: string[];
  removed: string[];
  /** What was asked for but is not so after the change (the server did not apply it). */
  notApplied: string[];
}

export interface GroupEditorDeps {
  api: GroupsApi;
  directory: GroupDirectory;
  groups: Groups;
  chat: KeptConnection<AuthenticatedChatConnection>;
  serverPublicParams: Uint8Array;
  self(): { aci: string; profileKey: Uint8Array | null };
  resolve(member: string): Promise<KnownRecipient>;
  log: Log;
}

const CONFLICT_RETRIES = 3;

interface Target {
  label: string;
  recipient: KnownRecipient;
}

export class GroupEditor {
  constructor(private readonly deps: GroupEditorDeps) {}

  async update(req: GroupUpdateRequest): Promise<GroupChangeOutcome> {
    return req.groupId === undefined ? this.create(req) : this.modify(req.groupId, req);
  }

  private async create(req: GroupUpdateRequest): Promise<GroupChangeOutcome> {
    const title = req.title?.trim();
    if (!title) throw new MessengerError('UNKNOWN', 'a new group needs a name');
    if (req.removeMembers?.length) throw new MessengerError('UNKNOWN', 'a new group has no members to remove');
    const self = this.deps.self();
    const targets = (await this.resolveAll(req.addMembers ?? [])).filter((t) => t.recipient.aci !== self.aci);
    const secretParams = GroupSecretParams.generate();
    const masterKey = secretParams.getMasterKey().serialize();
    const cipher = new ClientZkGroupCipher(secretParams);
    const ownCredential = await this.credential(self.aci, self.profileKey);
    if (!ownCredential) {
      throw new MessengerError('UNKNOWN', "the server issued no profile key credential for this account (its profile key is not known here); link again so the phone sends it");
    }
    const group: Group = {
      publicKey: secretParams.getPublicParams().serialize(),
      title: cipher.encryptBlob(new Uint8Array(encodeGroupAttributeBlob({ title }))),
      // Signal's defaults for a new group: members may edit the title and add people, no invite link.
      accessControl: { attributes: AccessRequired.MEMBER, members: AccessRequired.MEMBER, addFromInviteLink: AccessRequired.UNSATISFIABLE },
      version: 0,
      members: [{ role: MemberRole.ADMINISTRATOR, presentation: this.presentation(secretParams, ownCredential) }],
      membersPendingProfileKey: [],
    };
    const added: string[] = [];
    const invited: string[] = [];
    const ownUserId = this.userId(cipher, self.aci);
    for (const t of targets) {
      const credential = await this.credential(t.recipient.aci, t.recipient.profileKey);
      if (credential) {
        group.members!.push({ role: MemberRole.DEFAULT, presentation: this.presentation(secretParams, credential) });
        added.push(t.label);
      } else {
        group.membersPendingProfileKey!.push({
          member: { userId: this.userId(cipher, t.recipient.aci), role: MemberRole.DEFAULT },
          addedByUserId: ownUserId,
          timestamp: Date.now(),
        });
        invited.push(t.label);
      }
    }
    const state = await this.deps.api.createGroup(await this.deps.chat.get(), secretParams, group);
    const groupId = groupIdFromMasterKey(masterKey);
    this.deps.directory.remember(groupId, masterKey, state);
    const notApplied = [
      ...missing(added, targets, state.members, 'not added as a member'),
      ...missing(invited, targets, state.pendingMembers, 'not invited'),
    ];
    return {
      groupId,
      masterKey,
      state,
      created: true,
      unchanged: false,
      groupChange: null,
      alsoNotify: state.pendingMembers,
      added,
      invited,
      removed: [],
      notApplied,
    };
  }

  private async modify(groupId: string, req: GroupUpdateRequest): Promise<GroupChangeOutcome> {
    const masterKey = this.knownGroup(groupId).masterKey;
    const self = this.deps.self();
    const toAdd = await this.resolveAll(req.addMembers ?? []);
    const toRemove = await this.resolveAll(req.removeMembers ?? []);
    for (const t of toRemove) {
      if (t.recipient.aci === self.aci) throw new MessengerError('UNKNOWN', 'to remove this account from the group, use quitGroup');
    }
    const credentials = new Map<string, ExpiringProfileKeyCredential | null>();
    const title = req.title?.trim();
    if (req.title !== undefined && !title) throw new MessengerError('UNKNOWN', 'the group name must not be empty');

    for (let attempt = 1; ; attempt++) {
      const before = await this.freshState(groupId, masterKey);
      const secretParams = secretParamsOf(masterKey);
      const cipher = new ClientZkGroupCipher(secretParams);
      const actions: GroupChangeActions = { version: before.revision + 1 };
      const added: string[] = [];
      const invited: string[] = [];
      const removed: string[] = [];
      const removedAcis: string[] = [];
      if (title !== undefined && title !== before.title) {
        actions.modifyTitle = { title: cipher.encryptBlob(new Uint8Array(encodeGroupAttributeBlob({ title }))) };
      }
      if (req.expirationSeconds !== undefined) {
        // The group state sigsock keeps has no timer to compare with: the change is always made.
        actions.modifyDisappearingMessageTimer = { timer: cipher.encryptBlob(new Uint8Array(encodeGroupAttributeBlob({ disappearingMessagesDuration: req.expirationSeconds }))) };
      }
      for (const t of toAdd) {
        const aci = t.recipient.aci;
        if (before.members.includes(aci) || before.pendingMembers.includes(aci)) continue;
        if (!credentials.has(aci)) credentials.set(aci, await this.credential(aci, t.recipient.profileKey));
        const credential = credentials.get(aci);
        if (credential) {
          (actions.addMembers ??= []).push({ added: { role: MemberRole.DEFAULT, presentation: this.presentation(secretParams, credential) } });
          added.push(t.label);
        } else {
          (actions.addMembersPendingProfileKey ??= []).push({ added: { member: { userId: this.userId(cipher, aci), role: MemberRole.DEFAULT } } });
          invited.push(t.label);
        }
      }
      for (const t of toRemove) {
        const aci = t.recipient.aci;
        if (before.members.includes(aci)) {
          (actions.deleteMembers ??= []).push({ deletedUserId: this.userId(cipher, aci) });
        } else if (before.pendingMembers.includes(aci)) {
          (actions.deleteMembersPendingProfileKey ??= []).push({ deletedUserId: this.userId(cipher, aci) });
        } else {
          continue;
        }
        removed.push(t.label);
        removedAcis.push(aci);
      }
      if (Object.keys(actions).length === 1) {
        return { groupId, masterKey, state: before, created: false, unchanged: true, groupChange: null, alsoNotify: [], added, invited, removed, notApplied: [] };
      }
      let change;
      try {
        change = await this.deps.api.modifyGroup(await this.deps.chat.get(), masterKey, actions);
      } catch (err) {
        if (err instanceof GroupConflictError && attempt < CONFLICT_RETRIES) {
          this.deps.log('group change: the group changed meanwhile; fetching it again');
          continue;
        }
        throw toMessengerError(err, groupId, true);
      }
      const after = await this.freshState(groupId, masterKey);
      const notApplied = [
        ...(actions.modifyTitle && after.title !== title ? ['the new name'] : []),
        ...missing(added, toAdd, after.members, 'not added as a member'),
        ...missing(invited, toAdd, after.pendingMembers, 'not invited'),
        ...toRemove
          .filter((t) => removed.includes(t.label) && (after.members.includes(t.recipient.aci) || after.pendingMembers.includes(t.recipient.aci)))
          .map((t) => `${t.label} (not removed)`),
      ];
      return {
        groupId,
        masterKey,
        state: after,
        created: false,
        unchanged: false,
        groupChange: change.groupChange,
        alsoNotify: [...after.pendingMembers, ...removedAcis],
        added,
        invited,
        removed,
        notApplied,
      };
    }
  }

  /**
   * Leaves the group (or declines an invitation). If this account is the group's only
   * administrator and others remain, `newAdmins` (members) become administrators in the same
   * change, as Signal's apps ask for; without them it refuses.
   */
  async quit(groupId: string, newAdmins: string[]): Promise<GroupChangeOutcome> {
    const masterKey = this.knownGroup(groupId).masterKey;
    const self = this.deps.self();
    const admins = await this.resolveAll(newAdmins);
    for (let attempt = 1; ; attempt++) {
      const before = await this.freshState(groupId, masterKey);
      const cipher = new ClientZkGroupCipher(secretParamsOf(masterKey));
      const ownUserId = this.userId(cipher, self.aci);
      const actions: GroupChangeActions = { version: before.revision + 1 };
      if (before.members.includes(self.aci)) {
        const others = before.members.filter((m) => m !== self.aci);
        const otherAdmins = before.admins.filter((m) => m !== self.aci);
        for (const a of admins) {
          if (!others.includes(a.recipient.aci)) throw new MessengerError('UNKNOWN', `${a.label} is not a member of the group, so cannot become its administrator`);
          if (!otherAdmins.includes(a.recipient.aci)) {
            (actions.modifyMemberRoles ??= []).push({ userId: this.userId(cipher, a.recipient.aci), role: MemberRole.ADMINISTRATOR });
          }
        }
        if (before.admins.includes(self.aci) && otherAdmins.length === 0 && others.length > 0 && admins.length === 0) {
          throw new MessengerError('UNKNOWN', 'this account is the group\'s only administrator: name a new one among the members (quitGroup --admin MEMBER)');
        }
        actions.deleteMembers = [{ deletedUserId: ownUserId }];
      } else if (before.pendingMembers.includes(self.aci)) {
        actions.deleteMembersPendingProfileKey = [{ deletedUserId: ownUserId }];
      } else {
        this.deps.directory.markNotMember(groupId, masterKey, before.revision);
        throw new MessengerError('NOT_A_GROUP_MEMBER', `this account is not a member of group ${groupId}`);
      }
      let change;
      try {
        change = await this.deps.api.modifyGroup(await this.deps.chat.get(), masterKey, actions);
      } catch (err) {
        if (err instanceof GroupConflictError && attempt < CONFLICT_RETRIES) continue;
        throw toMessengerError(err, groupId, true);
      }
      const revision = before.revision + 1;
      this.deps.directory.markNotMember(groupId, masterKey, revision);
      // The others learn it from our update message; the member list is what it was minus us.
      const state: GroupState = {
        ...before,
        revision,
        members: before.members.filter((m) => m !== self.aci),
        admins: [...new Set([...before.admins.filter((m) => m !== self.aci), ...admins.map((a) => a.recipient.aci)])],
        pendingMembers: before.pendingMembers.filter((m) => m !== self.aci),
        endorsements: null,
      };
      return {
        groupId,
        masterKey,
        state,
        created: false,
        unchanged: false,
        groupChange: change.groupChange,
        alsoNotify: state.pendingMembers,
        added: [],
        invited: [],
        removed: [],
        notApplied: [],
      };
    }
  }

  private knownGroup(groupId: string) {
    const known = this.deps.groups.getGroup(groupId);
    if (!known) throw new MessengerError('GROUP_NOT_FOUND', `group ${groupId} is not known to this account`);
    return known;
  }

  private async freshState(groupId: string, masterKey: Uint8Array): Promise<GroupState> {
    try {
      const state = await this.deps.directory.fetchFresh(groupId, masterKey);
      const self = this.deps.self().aci;
      if (!state.members.includes(self) && !state.pendingMembers.includes(self)) {
        throw new MessengerError('NOT_A_GROUP_MEMBER', `this account is not a member of group ${groupId} (it left or was removed)`);
      }
      return state;
    } catch (err) {
      if (err instanceof GroupAccessError && err.status === 403) {
        this.deps.directory.markNotMember(groupId, masterKey);
      }
      throw toMessengerError(err, groupId);
    }
  }

  private async resolveAll(members: string[]): Promise<Target[]> {
    const out: Target[] = [];
    for (const label of members) {
      const recipient = await this.deps.resolve(label);
      if (!out.some((t) => t.recipient.aci === recipient.aci)) out.push({ label, recipient });
    }
    return out;
  }

  private async credential(aci: string, profileKey: Uint8Array | null): Promise<ExpiringProfileKeyCredential | null> {
    if (!profileKey) return null;
    try {
      return await fetchProfileKeyCredential(await this.deps.chat.get(), this.deps.serverPublicParams, aci, profileKey);
    } catch (err) {
      throw new MessengerError('NETWORK', `fetching a profile key credential failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  private presentation(secretParams: GroupSecretParams, credential: ExpiringProfileKeyCredential): Uint8Array {
    const ops = new ClientZkProfileOperations(new ServerPublicParams(new Uint8Array(this.deps.serverPublicParams)));
    return ops.createExpiringProfileKeyCredentialPresentation(secretParams, credential).serialize();
  }

  private userId(cipher: ClientZkGroupCipher, serviceId: string): Uint8Array {
    return cipher.encryptServiceId(ServiceId.parseFromServiceIdString(serviceId)).serialize();
  }
}

/** Labels among `asked` whose service id is not in `present`, with why. */
function missing(asked: string[], targets: Target[], present: string[], why: string): string[] {
  return targets.filter((t) => asked.includes(t.label) && !present.includes(t.recipient.aci)).map((t) => `${t.label} (${why})`);
}

/** `changing`: the error answers our change (a 403 there means "not allowed", not "not a member"). */
function toMessengerError(err: unknown, groupId: string, changing = false): Error {
  if (err instanceof MessengerError) return err;
  if (err instanceof GroupAccessError) {
    if (err.status === 403 && !changing) return new MessengerError('NOT_A_GROUP_MEMBER', `group ${groupId}: ${err.message}`, { cause: err });
    if (err.status === 404) return new MessengerError('GROUP_NOT_FOUND', `group ${groupId}: ${err.message}`, { cause: err });
    return new MessengerError('UNKNOWN', `group ${groupId}: ${err.message}`, { cause: err });
  }
  if (err instanceof GroupConflictError) return new MessengerError('UNKNOWN', `group ${groupId}: ${err.message}; try again`, { cause: err });
  return new MessengerError('NETWORK', `group ${groupId}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
