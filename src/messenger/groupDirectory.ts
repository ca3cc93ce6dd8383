// The groups this account is in: learned from group messages (their master key), kept in the
// store, refreshed from the group server when a newer revision shows up or before sending.
import type { AuthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { GroupAccessError, type GroupsApi } from '../signal/groupsApi.js';
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

  private async fetchAndStore(groupId: string, masterKey: Uint8Array): Promise<void> {
    const known = this.store.groups.getGroup(groupId);
    try {
      const state = await this.api.fetchGroup(await this.chat.get(), masterKey);
      this.store.groups.upsertGroup({
        id: groupId,
        masterKey,
        revision: state.revision,
        title: state.title,
        members: state.members,
        isMember: state.members.includes(this.selfAci),
      });
      if (state.endorsements) this.endorsements.set(groupId, { revision: state.revision, members: state.members, bytes: state.endorsements });
      else this.endorsements.delete(groupId);
    } catch (err) {
      if (err instanceof GroupAccessError && err.status === 403) {
        // Removed or left: keep what we knew, marked as no longer a member.
        this.store.groups.upsertGroup({
          id: groupId,
          masterKey,
          revision: known?.revision ?? 0,
          title: known?.title ?? '',
          members: known?.members ?? [],
          isMember: false,
        });
        return;
      }
      throw err;
    }
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
    const endorsed = this.endorsements.get(groupId);
    const endorsements =
      endorsed && endorsed.revision === group.revision && endorsed.members.join() === group.members.join() ? endorsed.bytes : null;
    return { groupId, masterKey: group.masterKey, revision: group.revision, members: group.members, endorsements };
  }
}
