// The groups this account is in: learned from group messages (their master key), kept in the
// store, refreshed from the group server when a newer revision shows up or before sending.
import type { AuthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { GroupAccessError, type GroupState, type GroupsApi } from '../signal/groupsApi.js';
import type { KeptConnection } from '../signal/keptConnection.js';
import type { AccountStore } from '../store/accountStore.js';
import type { Log } from '../util/log.js';
import { MessengerError } from './errors.js';
import { groupIdFromMasterKey } from './groupIds.js';

export interface SendableGroup {
  groupId: string;
  masterKey: Uint8Array;
  revision: number;
  members: string[];
  /** The group server's send endorsements for exactly `members`, from the latest fetch (null: none). */
  endorsements: Uint8Array | null;
}

export class GroupDirectory {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Endorsements expire (daily) and change with membership: kept in memory with what they cover. */
  private readonly endorsements = new Map<string, { revision: number; members: string[]; bytes: Uint8Array }>();

  constructor(
    private readonly store: AccountStore,
    private readonly api: GroupsApi,
    private readonly chat: KeptConnection<AuthenticatedChatConnection>,
    private readonly selfAci: string,
    private readonly log: Log,
    /** Told after every group it stores (see groupArrivals.ts). */
    private readonly stored: (groupId: string) => void = () => {},
  ) {}

  /** A group message arrived: make sure we know this group at (at least) this revision. */
  learn(masterKey: Uint8Array, revision: number): Promise<void> {
    const groupId = groupIdFromMasterKey(masterKey);
    const known = this.store.groups.getGroup(groupId);
    if (known && known.revision >= revision) return Promise.resolve();
    return this.refresh(groupId, masterKey).catch((err: unknown) => {
      this.log(`group refresh failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  refresh(groupId: string, masterKey: Uint8Array): Promise<void> {
    const running = this.inFlight.get(groupId);
    if (running) return running;
    const work = this.fetchAndStore(groupId, masterKey).finally(() => this.inFlight.delete(groupId));
    this.inFlight.set(groupId, work);
    return work;
  }

  /** The group's current state from the server, stored; GroupAccessError when we may not read it. */
  async fetchFresh(groupId: string, masterKey: Uint8Array): Promise<GroupState> {
    const state = await this.api.fetchGroup(await this.chat.get(), masterKey);
    this.remember(groupId, masterKey, state);
    return state;
  }

  /** Stores a state the server just told us (after a fetch, a create or a change). */
  remember(groupId: string, masterKey: Uint8Array, state: GroupState): void {
    this.store.groups.upsertGroup({
      id: groupId,
      masterKey,
      revision: state.revision,
      title: state.title,
      members: state.members,
      isMember: state.members.includes(this.selfAci),
      pendingMembers: state.pendingMembers,
    });
    if (state.endorsements) this.endorsements.set(groupId, { revision: state.revision, members: state.members, bytes: state.endorsements });
    else this.endorsements.delete(groupId);
    this.stored(groupId);
  }

  /** We are no longer in the group (left, removed, or the server refuses us): keep what we knew. */
  markNotMember(groupId: string, masterKey: Uint8Array, revision?: number): void {
    const known = this.store.groups.getGroup(groupId);
    this.store.groups.upsertGroup({
      id: groupId,
      masterKey,
      revision: Math.max(revision ?? 0, known?.revision ?? 0),
      title: known?.title ?? '',
      members: (known?.members ?? []).filter((m) => m !== this.selfAci),
      isMember: false,
      pendingMembers: (known?.pendingMembers ?? []).filter((m) => m !== this.selfAci),
    });
    this.endorsements.delete(groupId);
    this.stored(groupId);
  }

  private async fetchAndStore(groupId: string, masterKey: Uint8Array): Promise<void> {
    try {
      await this.fetchFresh(groupId, masterKey);
    } catch (err) {
      if (err instanceof GroupAccessError && err.status === 403) {
        // Removed or left: keep what we knew, marked as no longer a member.
        this.markNotMember(groupId, masterKey);
        return;
      }
      throw err;
    }
  }

  /** The endorsements from the latest fetch, when they cover exactly this revision and member list. */
  endorsementsFor(groupId: string, revision: number, members: string[]): Uint8Array | null {
    const endorsed = this.endorsements.get(groupId);
    return endorsed && endorsed.revision === revision && endorsed.members.join() === members.join() ? endorsed.bytes : null;
  }

  async forSend(groupId: string): Promise<SendableGroup> {
    const known = this.store.groups.getGroup(groupId);
    if (!known) throw new MessengerError('GROUP_NOT_FOUND', `group ${groupId} is not known to this account (no message from it has arrived yet)`);
    try {
      await this.refresh(groupId, known.masterKey);
    } catch (err) {
      this.log(`group refresh before send failed, using the stored member list: ${err instanceof Error ? err.message : String(err)}`);
    }
    const group = this.store.groups.getGroup(groupId)!;
    if (!group.isMember) throw new MessengerError('NOT_A_GROUP_MEMBER', `this account is not a member of group ${groupId} (it left or was removed)`);
    const endorsements = this.endorsementsFor(groupId, group.revision, group.members);
    return { groupId, masterKey: group.masterKey, revision: group.revision, members: group.members, endorsements };
  }
}
