// Keeping the account usable, beside sending and receiving: one-time prekeys refilled on the server
// as contacts use them up, the phone asked for its contact list and the answer applied, and the
// groups in the phone's storage service learned once, so a linked device knows them before any
// group message arrives.
import type { AuthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import type { HttpsClient } from '../signal/https.js';
import type { KeptConnection } from '../signal/keptConnection.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import { readStorageRecords, type StorageContents } from '../signal/storageService.js';
import type { AccountRecord } from '../store/accountRecord.js';
import type { AccountStore } from '../store/accountStore.js';
import type { Log } from '../util/log.js';
import { inMemory, type AttachmentFetcher } from './attachmentFetcher.js';
import type { ContactBook } from './contacts.js';
import type { ConversationTimers } from './conversationTimers.js';
import { parseContactStream } from './contactSync.js';
import { groupIdFromMasterKey } from './groupIds.js';
import type { GroupDirectory } from './groupDirectory.js';
import type { Outbox } from './outbox.js';
import { syncRequestContent, SyncRequestType } from './outgoingContent.js';
import { refillPreKeys } from './preKeyRefill.js';

export interface MaintenanceDeps {
  store: AccountStore;
  account: () => AccountRecord;
  chat: KeptConnection<AuthenticatedChatConnection>;
  https: HttpsClient;
  serverConfig: ServerConfig;
  outbox: Outbox;
  groups: GroupDirectory;
  attachments: AttachmentFetcher;
  contacts: ContactBook;
  /** Each conversation's timer: the phone's contact list names them too. */
  timers: Pick<ConversationTimers, 'learnSynced'>;
  log: Log;
}

/** How long a lookup by number waits for a contact sync under way before asking elsewhere. */
const CONTACT_SYNC_WAIT_MS = 5_000;
/** How long the storage service read waits for the phone's answer to the block list request, which replaces the list. */
const BLOCKED_SYNC_WAIT_MS = 5_000;
/** Several new sessions in a burst cost one refill, not one each. */
const PREKEY_REFILL_DEBOUNCE_MS = 2_000;

export class AccountMaintenance {
  private contactSync: { promise: Promise<void>; resolve: () => void } | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private maintained!: () => void;
  private readonly maintainedPromise = new Promise<void>((resolve) => (this.maintained = resolve));

  constructor(private readonly deps: MaintenanceDeps) {}

  /** After each (re)connection: refill keys, and do what was never done for this account yet. */
  async afterConnect(): Promise<void> {
    const settings = this.deps.store.account;
    let blockListAnswered: Promise<boolean> | null = null;
    try {
      await this.refillAll();
      // The block list first: the phone answers in order, so it is applied before the contact list
      // that linking waits for.
      if (!settings.getSetting('blockedSyncRequested')) {
        const answer = this.deps.contacts.nextPhoneList(BLOCKED_SYNC_WAIT_MS);
        if ((await this.requestBlockedSync()) > 0) blockListAnswered = answer;
      }
      if (!settings.getSetting('contactSyncRequested')) await this.requestContactSync();
    } catch (err) {
      this.deps.log(`maintenance after connect failed: ${describe(err)}`);
    }
    try {
      // The phone's answer replaces the block list; the storage service's blocks are added after it.
      if (blockListAnswered) await blockListAnswered;
      // The storage service's names (nicknames among them) win over the contact list's: read after it.
      await this.contactSyncSettled();
      // Accounts linked before contacts were read from it read it once more (groups are learned again, harmlessly).
      if (!settings.getSetting('storageGroupsRead') || !settings.getSetting('storageContactsRead')) await this.learnGroupsFromStorage();
    } catch (err) {
      this.deps.log(`reading groups from the storage service failed: ${describe(err)}`);
    } finally {
      this.maintained();
    }
  }

  /** Resolves once, after the first connection's key refill and sync request (or the timeout). */
  async whenMaintained(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.maintainedPromise, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** A new session may have used one of our one-time prekeys: refill soon. */
  sessionStarted(): void {
    if (this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      void this.refillAll().catch((err: unknown) => this.deps.log(`prekey refill failed: ${describe(err)}`));
    }, PREKEY_REFILL_DEBOUNCE_MS);
    this.refillTimer.unref();
  }

  stop(): void {
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = null;
  }

  private async refillAll(): Promise<void> {
    const account = this.deps.account();
    for (const kind of ['aci', 'pni'] as const) {
      await refillPreKeys(await this.deps.chat.get(), this.deps.store, kind, kind === 'aci' ? account.aciIdentityKey : account.pniIdentityKey);
    }
  }

  /**
   * The groups in the phone's storage service, fetched from the group server and stored. Done once
   * per account.
   */
  async learnGroupsFromStorage(): Promise<number> {
    const masterKey = this.deps.account().masterKey;
    if (!masterKey) return 0;
    const { chat, https, serverConfig, groups, store, log } = this.deps;
    const contents = await readStorageRecords(await chat.get(), https, serverConfig, masterKey);
    this.applyStorageContacts(contents);
    for (const group of contents.groups) await groups.learn(group.masterKey, 0);
    store.account.setSetting('storageGroupsRead', String(Date.now()));
    store.account.setSetting('storageContactsRead', String(Date.now()));
    if (contents.groups.length) log(`storage service: ${contents.groups.length} group(s) known`);
    if (contents.contacts.length) log(`storage service: ${contents.contacts.length} contact(s) known`);
    return contents.groups.length;
  }

  /** The phone's names for its contacts, their profile names, and whom it blocked (contacts and groups). */
  private applyStorageContacts(contents: StorageContents): void {
    const { store, contacts } = this.deps;
    store.transaction(() => {
      for (const c of contents.contacts) {
        store.recipients.upsertRecipient({ aci: c.aci, e164: c.e164 ?? undefined, profileKey: c.profileKey ?? undefined, name: c.contactName ?? undefined });
        if (c.profileKey && c.profileName) store.recipients.setProfileName(c.aci, c.profileKey, c.profileName);
      }
    });
    const blocked = contents.contacts.filter((c) => c.blocked);
    contacts.addFromPhoneStorage({
      acis: blocked.map((c) => c.aci),
      numbers: blocked.flatMap((c) => (c.e164 ? [c.e164] : [])),
      groupIds: contents.groups.filter((g) => g.blocked).map((g) => groupIdFromMasterKey(g.masterKey)),
    });
  }

  /** Asks our other devices (the phone) for its contact list; the answer arrives as a sync message. */
  async requestContactSync(): Promise<void> {
    if (!this.contactSync) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.contactSync = { promise, resolve };
    }
    try {
      const devices = await this.deps.outbox.deliverToOwnDevices(syncRequestContent(SyncRequestType.CONTACTS), Date.now());
      this.deps.store.account.setSetting('contactSyncRequested', String(Date.now()));
      // A registered account with no other devices has nobody to answer.
      if (devices === 0) this.settleContactSync();
    } catch (err) {
      this.settleContactSync();
      throw err;
    }
  }

  /** True once no contact sync is under way; false when `timeoutMs` passed first. */
  async waitForContactSync(timeoutMs: number): Promise<boolean> {
    if (!this.contactSync) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      this.contactSync.promise.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done;
  }

  /** Asks the phone for its block list; the answer (a Blocked sync message) replaces ours. */
  async requestBlockedSync(): Promise<number> {
    const devices = await this.deps.outbox.deliverToOwnDevices(syncRequestContent(SyncRequestType.BLOCKED), Date.now());
    this.deps.store.account.setSetting('blockedSyncRequested', String(Date.now()));
    return devices;
  }

  /** For lookups by number: the contacts the phone is about to send may hold the answer. */
  async contactSyncSettled(): Promise<void> {
    if (this.contactSync) await this.waitForContactSync(CONTACT_SYNC_WAIT_MS);
  }

  /** The phone's contact list arrived (as an attachment pointer): download it and store the contacts. */
  async applyContactSync(pointer: Uint8Array): Promise<void> {
    const { attachments, store, log } = this.deps;
    try {
      const result = await attachments.fetchOne(pointer, inMemory);
      if (result === null) throw new Error('stopped before the contact list was downloaded');
      if ('error' in result) throw new Error(result.error);
      const contacts = parseContactStream(result);
      store.transaction(() => {
        for (const c of contacts) {
          store.recipients.upsertRecipient({
            aci: c.aci,
            e164: c.e164 ?? undefined,
            profileKey: c.profileKey ?? undefined,
            name: c.name ?? undefined,
            expireTimer: c.expireTimer ?? undefined,
          });
          // Messages to them carry it from now on, as the phone's do.
          if (c.expireTimer !== null) this.deps.timers.learnSynced(c.aci, c.expireTimer, c.expireTimerVersion);
        }
      });
      log(`contact sync: ${contacts.length} contacts`);
    } catch (err) {
      log(`contact sync failed: ${describe(err)}`);
    } finally {
      this.settleContactSync();
    }
  }

  private settleContactSync(): void {
    this.contactSync?.resolve();
    this.contactSync = null;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
