// One linked (or registered) account, live: the `Messenger` the front-ends talk to. A facade: the
// wiring is in accountWiring.ts, and each call is handed to the part whose one job it is —
// sending (sendPath.ts), maintenance (accountMaintenance.ts), identities and safety numbers
// (identities.ts), groups (groupEditor.ts), devices and profile (accountDevices.ts, ownProfile.ts).
import { AccountStore, type TrustMode } from '../store/accountStore.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import type { Log } from '../util/log.js';
import type {
  BlockRequest,
  BlockResult,
  ContactFilter,
  ContactSummary,
  MessageRequestResponse,
  ProfileSummary,
  UserStatus,
  DeviceSummary,
  GroupSummary,
  GroupUpdateRequest,
  GroupUpdateResult,
  InboxLease,
  MessageExtras,
  Messenger,
  OutgoingAttachment,
  ReactionRequest,
  ReceiptKind,
  SendResult,
  SendTarget,
} from './api.js';
import { changeOwnProfile, type ProfileChange } from './ownProfile.js';
import { listAccountDevices, removeAccountDevice, unregisterAccount } from './accountDevices.js';
import { wireAccount, type AccountParts } from './accountWiring.js';
import type { ContentEffects } from './contentInterpreter.js';
import { EnvelopeType } from './envelopeDecryptor.js';
import { groupConversation } from './conversationTimers.js';
import type { IdentitySummary } from './identities.js';
import { readContactProfile } from './contactProfiles.js';
import { withSenderDetails } from './senderNames.js';

export type { IdentitySummary } from './identities.js';

export interface OpenOptions {
  dataDir: string;
  number: string;
  serverConfig: ServerConfig;
  trustMode: TrustMode;
  log: Log;
  /** How long attachment downloads ride out network failures (default 2 min). */
  attachmentRetryWindowMs?: number;
  policy?: ReceivePolicy;
}

/** What the account does with what arrives, beyond storing it (daemon options). */
export interface ReceivePolicy {
  /** Stories become entries (`--receive-stories`). */
  receiveStories?: boolean;
  /** Senders get a read receipt once a client has taken their message (`--send-read-receipts`). */
  sendReadReceipts?: boolean;
}

/** At a stop, how long sync copies under way may take to go out (the rest go at the next start). */
const SYNC_COPY_GRACE_MS = 5_000;

export class AccountMessenger implements Messenger {
  readonly store: AccountStore;
  private readonly parts: AccountParts;

  static open(options: OpenOptions): AccountMessenger {
    const store = AccountStore.open({ dataDir: options.dataDir, number: options.number, trustMode: options.trustMode });
    return new AccountMessenger(store, options.serverConfig, options.log, options.attachmentRetryWindowMs, options.policy);
  }

  constructor(
    store: AccountStore,
    private readonly serverConfig: ServerConfig,
    log: Log,
    attachmentRetryWindowMs?: number,
    private readonly policy: ReceivePolicy = {},
  ) {
    this.store = store;
    this.parts = wireAccount({
      store,
      serverConfig,
      log,
      attachmentRetryWindowMs,
      receiveStories: policy.receiveStories,
      afterCommit: (effects, envelopeType) => this.afterCommit(effects, envelopeType),
    });
  }

  get account() {
    return this.parts.account();
  }

  start(): void {
    this.parts.chat.start();
    this.parts.unauthChat.start();
    this.parts.attachments.kick();
    this.parts.outbox.syncCopies.resume();
  }

  async stop(): Promise<void> {
    const { maintenance, groupArrivals, receiver, inbox, chat, unauthChat, attachments, deliveryReceipts, readReceipts, outbox } = this.parts;
    await outbox.syncCopies.close(SYNC_COPY_GRACE_MS);
    maintenance.stop();
    groupArrivals.stop();
    const profileFetches = this.parts.profileNames.stop();
    receiver.stop();
    inbox.stop();
    await chat.stop();
    await unauthChat.stop();
    await receiver.idle();
    await profileFetches;
    // With the connections closed, receipts under way settle at once; none may touch the store after it closes.
    await deliveryReceipts.stop();
    await readReceipts.stop();
    await attachments.stop();
    this.store.close();
  }

  /** Resolves when the server said it has delivered every queued envelope and they were handled. */
  async drained(timeoutMs: number): Promise<void> {
    await this.parts.serverQueueEmpty.wait(timeoutMs);
    await this.parts.receiver.idle();
  }

  // ---- maintenance

  /**
   * The groups in the phone's storage service, fetched from the group server and stored, so a
   * linked device lists them before any group message arrives. Done once per account.
   */
  learnGroupsFromStorage(): Promise<number> {
    return this.parts.maintenance.learnGroupsFromStorage();
  }

  /** Resolves once, after the first connection's key refill and sync request (or the timeout). */
  whenMaintained(timeoutMs: number): Promise<void> {
    return this.parts.maintenance.whenMaintained(timeoutMs);
  }

  /** Asks our other devices (the phone) for its contact list; the answer arrives as a sync message. */
  requestContactSync(): Promise<void> {
    return this.parts.maintenance.requestContactSync();
  }

  waitForContactSync(timeoutMs: number): Promise<boolean> {
    return this.parts.maintenance.waitForContactSync(timeoutMs);
  }

  // ---- receiving

  private afterCommit(effects: ContentEffects | null, envelopeType: number): void {
    const { inbox, maintenance, attachments, groups, groupArrivals, deliveryReceipts } = this.parts;
    inbox.notify();
    deliveryReceipts.stored(effects);
    if (effects?.timer) this.parts.timers.learn(effects.timer);
    // A new session may have used one of our one-time prekeys (sealed envelopes may hide one).
    if (envelopeType === EnvelopeType.PREKEY_BUNDLE || envelopeType === EnvelopeType.UNIDENTIFIED_SENDER) maintenance.sessionStarted();
    if (effects?.entry?.attachments.length) attachments.kick();
    if (effects?.contactSyncBlob) void maintenance.applyContactSync(effects.contactSyncBlob);
    if (effects?.blockedList) this.parts.contacts.applyPhoneList(effects.blockedList);
    if (effects?.sender.profileKey) this.parts.profileNames.want(effects.sender.aci);
    if (effects?.group) {
      groupArrivals.arrived(effects.group.groupId);
      void groups.learn(effects.group.masterKey, effects.group.revision);
    }
  }

  /** Resolves true once this group is known to the account (a message from it was stored), false after `timeoutMs`. */
  waitForGroup(groupId: string, timeoutMs: number): Promise<boolean> {
    return this.parts.groupArrivals.when(groupId, timeoutMs);
  }

  async takeInbox(timeoutMs: number, signal?: AbortSignal): Promise<InboxLease> {
    const lease = await this.parts.inbox.take(timeoutMs, signal);
    if (lease.entries.length === 0) return lease;
    const { contacts, profileNames } = this.parts;
    const named = withSenderDetails(lease, this.account.aci, (aci) => {
      const name = contacts.senderName(aci);
      // Not known yet: fetched now, shown on the sender's next entries.
      if (name === null) profileNames.want(aci);
      return { name, e164: contacts.numberOf(aci) };
    });
    return this.policy.sendReadReceipts ? this.parts.readReceipts.onCommit(named) : named;
  }

  // ---- sending

  async sendMessage(target: SendTarget, text: string | undefined, attachments: OutgoingAttachment[], extras: MessageExtras = {}): Promise<SendResult> {
    const result = await this.parts.sendPath.sendMessage(target, text, attachments, extras);
    // Writing to someone accepts them: their answers are not message requests.
    if (target.recipient) for (const r of result.results) if (r.success && r.aci) this.parts.messageRequests.wroteTo(r.aci);
    return result;
  }

  sendReaction(target: SendTarget, reaction: ReactionRequest): Promise<SendResult> {
    return this.parts.sendPath.sendReaction(target, reaction);
  }

  remoteDelete(target: SendTarget, targetTimestamp: number): Promise<SendResult> {
    return this.parts.sendPath.remoteDelete(target, targetTimestamp);
  }

  sendTyping(target: SendTarget, stop: boolean): Promise<SendResult> {
    return this.parts.sendPath.sendTyping(target, stop);
  }

  sendReceipt(recipient: string, timestamps: number[], kind: ReceiptKind): Promise<SendResult> {
    return this.parts.sendPath.sendReceipt(recipient, timestamps, kind);
  }

  // ---- contacts

  async listContacts(filter: ContactFilter): Promise<ContactSummary[]> {
    return this.parts.contacts.list(filter);
  }

  setBlocked(request: BlockRequest, blocked: boolean): Promise<BlockResult> {
    return this.parts.contacts.setBlocked(request, blocked);
  }

  sendMessageRequestResponse(request: BlockRequest, response: MessageRequestResponse): Promise<{ syncedDevices: number | null }> {
    return this.parts.messageRequests.answer(request, response);
  }

  async getProfile(recipient: string): Promise<ProfileSummary> {
    const { resolver, chat, https } = this.parts;
    return readContactProfile({ chat: await chat.get(), https, serverConfig: this.serverConfig, recipients: this.store.recipients }, await resolver.resolve(recipient));
  }

  getUserStatus(numbers: string[]): Promise<UserStatus[]> {
    return this.parts.directory.status(numbers);
  }

  async updateContact(recipient: string, name: string | null): Promise<ContactSummary> {
    const known = await this.parts.resolver.resolve(recipient);
    this.store.recipients.setLocalName(known.aci, known.e164, name);
    this.parts.messageRequests.wroteTo(known.aci);
    return this.parts.contacts.list({ recipients: [known.aci] })[0]!;
  }

  setExpiration(target: SendTarget, seconds: number): Promise<SendResult> {
    return this.parts.sendPath.setExpiration(target, seconds);
  }

  // ---- identities

  trustIdentity(recipient: string, verified: boolean): Promise<{ aci: string; safetyNumber: string | null }> {
    return this.parts.identities.trust(recipient, verified);
  }

  /** Every contact identity key the account has seen, with how far it is trusted. */
  listIdentities(): IdentitySummary[] {
    return this.parts.identities.list();
  }

  /** The 60-digit number both sides can compare (Signal's version 2, over ACIs). */
  safetyNumber(aci: string): string | null {
    return this.parts.identities.safetyNumber(aci);
  }

  // ---- profile and devices

  /** Sets the account's profile (name, about text, avatar) that contacts see. */
  async updateProfile(change: ProfileChange): Promise<void> {
    const account = this.account;
    const { chat, https } = this.parts;
    await changeOwnProfile(
      { chat: await chat.get(), https, serverConfig: this.serverConfig, aci: account.aci, profileKey: account.profileKey, settings: this.store.account },
      change,
    );
  }

  listDevices(): Promise<DeviceSummary[]> {
    return this.parts.chat.get().then((chat) => listAccountDevices(chat, this.account));
  }

  async removeDevice(deviceId: number): Promise<void> {
    await removeAccountDevice(await this.parts.chat.get(), this.account, deviceId);
  }

  /** Deletes the account (primary) or unlinks this device (linked). The local store stays; see the CLI. */
  async unregister(): Promise<'account deleted' | 'device unlinked'> {
    return unregisterAccount(await this.parts.chat.get(), this.account);
  }

  // ---- groups

  async listGroups(): Promise<GroupSummary[]> {
    const describe = (m: string) => ({ uuid: m, number: m === this.account.aci ? this.account.number : (this.store.recipients.byAci(m)?.e164 ?? null) });
    return this.store.groups.listGroups().map((g) => ({
      groupId: g.id,
      title: g.title,
      members: g.members.map(describe),
      pendingMembers: (g.pendingMembers ?? []).map(describe),
      isMember: g.isMember,
      revision: g.revision,
      isBlocked: this.parts.contacts.isBlockedGroup(g.id),
    }));
  }

  /**
   * Creates a group (no groupId) or changes one: name, members added (invited when their profile
   * key is unknown) and removed. Then tells the members with a group-update message.
   */
  async updateGroup(req: GroupUpdateRequest): Promise<GroupUpdateResult> {
    const outcome = await this.parts.groupEditor.update(req);
    // The group's messages carry its timer from now on (as its members' apps learn from the change).
    if (req.expirationSeconds !== undefined && !outcome.unchanged) {
      this.parts.timers.learn({ conversation: groupConversation(outcome.groupId), seconds: req.expirationSeconds, version: null });
    }
    return this.parts.outbox.announce(outcome);
  }

  /** Leaves the group, making `newAdmins` administrators first when this account is the only one. */
  async quitGroup(groupId: string, newAdmins: string[]): Promise<GroupUpdateResult> {
    return this.parts.outbox.announce(await this.parts.groupEditor.quit(groupId, newAdmins));
  }
}
