// The people and groups this account knows, as its owner sees them: names (the phone's, this
// device's, the contact's own profile name), disappearing timers, and the block list. The block
// list is kept in memory too, because the receive path asks about every envelope.
import type { AccountStore } from '../store/accountStore.js';
import type { Recipient } from '../store/recipients.js';
import type { Log } from '../util/log.js';
import type { BlockRequest, BlockResult, ContactFilter, ContactSummary } from './api.js';
import type { ConversationTimers } from './conversationTimers.js';
import { blockedListContent, type BlockedEntries } from './blockedListSync.js';
import { isUuid } from './serviceIds.js';

export interface ContactBookDeps {
  store: Pick<AccountStore, 'recipients' | 'blockList' | 'transaction'>;
  /** This account's own ACI: it is no contact of itself. */
  selfAci: string;
  /** The conversations' timers learned from messages (and the phone's contact list); absent: the contact list's only. */
  timers?: Pick<ConversationTimers, 'known'>;
  /** Sends a sync message to this account's other devices; resolves with how many got it. */
  toOwnDevices(content: Uint8Array): Promise<number>;
  log: Log;
}

/** What the receive path needs to know about a sender or a group. */
export interface BlockedSenders {
  isBlockedAccount(aci: string, e164: string | null): boolean;
  isBlockedGroup(groupId: string): boolean;
}

export class ContactBook implements BlockedSenders {
  private acis = new Set<string>();
  private numbers = new Set<string>();
  private groupIds = new Set<string>();
  private phoneListWaiters: (() => void)[] = [];

  constructor(private readonly deps: ContactBookDeps) {
    this.reload();
  }

  list(filter: ContactFilter = {}): ContactSummary[] {
    const wanted = filter.recipients?.length ? new Set(filter.recipients) : null;
    const listed = this.deps.store.recipients
      .all()
      .filter((r) => r.aci !== this.deps.selfAci)
      .filter((r) => !wanted || wanted.has(r.aci) || (r.e164 !== null && wanted.has(r.e164)))
      .map((r) => this.summary(r));
    // A number blocked by the phone, whose ACI the account never learned, is a contact too.
    const known = new Set(listed.map((c) => c.number).filter((n) => n !== null));
    for (const number of this.numbers) {
      if (known.has(number) || (wanted && !wanted.has(number))) continue;
      listed.push({ number, uuid: null, name: null, contactName: null, profileName: null, profile: null, isBlocked: true, messageExpirationTime: 0 });
    }
    return filter.blocked === undefined ? listed : listed.filter((c) => c.isBlocked === filter.blocked);
  }

  /** The name a received entry shows for its sender: the owner's name for them, else their profile name. */
  senderName(aci: string): string | null {
    const r = this.deps.store.recipients.byAci(aci);
    return r ? (r.localName ?? r.name ?? displayProfileName(r.profileName)) : null;
  }

  /** The sender's phone number, when the account knows it by now. */
  numberOf(aci: string): string | null {
    return this.deps.store.recipients.byAci(aci)?.e164 ?? null;
  }

  isBlockedAccount(aci: string, e164: string | null): boolean {
    if (this.acis.has(aci)) return true;
    if (this.numbers.size === 0) return false;
    const number = e164 ?? this.deps.store.recipients.byAci(aci)?.e164 ?? null;
    return number !== null && this.numbers.has(number);
  }

  isBlockedGroup(groupId: string): boolean {
    return this.groupIds.has(groupId);
  }

  /**
   * Blocks or unblocks at once (the next envelope is judged by the new list), then tells this
   * account's other devices, as Signal apps do. A number is kept as a number too, so a sender
   * whose ACI is learned later is still recognised.
   */
  async setBlocked(request: BlockRequest, blocked: boolean): Promise<BlockResult> {
    const { store } = this.deps;
    store.transaction(() => {
      for (const recipient of request.recipients) {
        const kind = isUuid(recipient) ? 'aci' : 'e164';
        const id = kind === 'aci' ? recipient.toLowerCase() : recipient;
        const known = kind === 'aci' ? store.recipients.byAci(id) : store.recipients.byE164(id);
        const apply = (k: 'aci' | 'e164', value: string) => (blocked ? store.blockList.add(k, value) : store.blockList.remove(k, value));
        apply(kind, id);
        // The same person by their other name: unblocking by number also lifts a block by ACI.
        if (known) apply('aci', known.aci);
        if (known?.e164) apply('e164', known.e164);
      }
      for (const groupId of request.groupIds) {
        if (blocked) store.blockList.add('group', groupId);
        else store.blockList.remove('group', groupId);
      }
    });
    const list = this.reload();
    let syncedDevices: number | null;
    try {
      syncedDevices = await this.deps.toOwnDevices(blockedListContent(list));
    } catch (err) {
      syncedDevices = null;
      this.deps.log(`block list: telling this account's other devices failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { blocked: list, syncedDevices };
  }

  /** The phone's block list (a sync message): it replaces ours whole, as in Signal's apps. */
  applyPhoneList(list: BlockedEntries): void {
    this.deps.store.blockList.replace(list);
    this.reload();
    this.deps.log(`block list from the phone: ${list.acis.length + list.numbers.length} account(s), ${list.groupIds.length} group(s)`);
    for (const waiter of this.phoneListWaiters.splice(0)) waiter();
  }

  /** Blocks the phone's storage service records name: added to the list, which they do not replace. */
  addFromPhoneStorage(list: BlockedEntries): void {
    this.deps.store.transaction(() => {
      for (const aci of list.acis) this.deps.store.blockList.add('aci', aci);
      for (const e164 of list.numbers) this.deps.store.blockList.add('e164', e164);
      for (const groupId of list.groupIds) this.deps.store.blockList.add('group', groupId);
    });
    this.reload();
  }

  /** Resolves true when the phone's next block list was applied, false after `timeoutMs`. */
  nextPhoneList(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.phoneListWaiters = this.phoneListWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.phoneListWaiters.push(done);
    });
  }

  private reload(): BlockedEntries {
    const list = this.deps.store.blockList.all();
    this.acis = new Set(list.acis);
    this.numbers = new Set(list.numbers);
    this.groupIds = new Set(list.groupIds);
    return list;
  }

  private summary(r: Recipient): ContactSummary {
    return {
      number: r.e164,
      uuid: r.aci,
      name: r.localName ?? r.name,
      contactName: r.name,
      profileName: displayProfileName(r.profileName),
      profile: r.profileName === null ? null : splitProfileName(r.profileName),
      isBlocked: this.isBlockedAccount(r.aci, r.e164),
      messageExpirationTime: this.deps.timers?.known(r.aci)?.seconds ?? r.expireTimer ?? 0,
    };
  }
}

/** A profile name as stored: given name, NUL, family name (as Signal encrypts it). */
function splitProfileName(stored: string): { givenName: string | null; familyName: string | null } {
  const [given, family] = stored.split('\0');
  return { givenName: given || null, familyName: family || null };
}

function displayProfileName(stored: string | null): string | null {
  if (stored === null) return null;
  const { givenName, familyName } = splitProfileName(stored);
  return [givenName, familyName].filter(Boolean).join(' ') || null;
}
