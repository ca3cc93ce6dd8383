// One linked (or registered) account, live: its store, its connections to Signal, the receive
// pipeline, and what it sends (handed to the Outbox). This is the `Messenger` the socket layer talks to.
import { Aci, ErrorCode, Fingerprint, LibSignalErrorBase, PrivateKey, PublicKey } from '@signalapp/libsignal-client';
import type { AuthenticatedChatConnection, Net, UnauthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { httpsClient, type HttpsClient } from '../signal/https.js';
import { KeptConnection } from '../signal/keptConnection.js';
import { readStorageGroupMasterKeys } from '../signal/storageService.js';
import { discoverAci } from '../signal/contactDiscovery.js';
import { createNet } from '../signal/net.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import { AccountStore, type TrustMode } from '../store/accountStore.js';
import type { Log } from '../util/log.js';
import { Mutex } from '../util/mutex.js';
import type {
  DeviceSummary,
  GroupSummary,
  GroupUpdateRequest,
  GroupUpdateResult,
  InboxLease,
  Messenger,
  OutgoingAttachment,
  ReactionRequest,
  SendResult,
  SendTarget,
} from './api.js';
import { changeOwnProfile, type ProfileChange } from './ownProfile.js';
import { listAccountDevices, removeAccountDevice, unregisterAccount } from './accountDevices.js';
import { AttachmentFetcher, DEFAULT_RETRY } from './attachmentFetcher.js';
import { parseContactStream } from './contactSync.js';
import type { ContentEffects } from './contentInterpreter.js';
import { GroupDirectory } from './groupDirectory.js';
import { GroupEditor } from './groupEditor.js';
import { GroupsApi } from '../signal/groupsApi.js';
import { MessengerError } from './errors.js';
import { InboxQueue } from './inboxQueue.js';
import { buildDataMessage, syncRequestContent, SyncRequestType } from './outgoingContent.js';
import { refillPreKeys } from './preKeyRefill.js';
import { Receiver } from './receiver.js';
import { ReceiveRecorder } from './receiveRecorder.js';
import { EnvelopeType } from './envelopeDecryptor.js';
import { Outbox } from './outbox.js';
import { knownRecipient, RecipientResolver } from './recipientResolver.js';

export interface IdentitySummary {
  number: string | null;
  uuid: string;
  /** `untrusted`: the key changed and sends are blocked until `trust`. */
  trust: 'untrusted' | 'trusted' | 'verified';
  safetyNumber: string | null;
}

export interface OpenOptions {
  dataDir: string;
  number: string;
  serverConfig: ServerConfig;
  trustMode: TrustMode;
  log: Log;
  /** How long attachment downloads ride out network failures (default 2 min). */
  attachmentRetryWindowMs?: number;
}

const CONTACT_SYNC_WAIT_MS = 5_000;
const PREKEY_REFILL_DEBOUNCE_MS = 2_000;

export class AccountMessenger implements Messenger {
  readonly store: AccountStore;
  private readonly net: Net;
  private readonly https: HttpsClient;
  private readonly serverConfig: ServerConfig;
  private readonly protocolLock = new Mutex();
  private readonly chat: KeptConnection<AuthenticatedChatConnection>;
  private readonly unauthChat: KeptConnection<UnauthenticatedChatConnection>;
  private readonly receiver: Receiver;
  private readonly inbox: InboxQueue;
  private readonly attachments: AttachmentFetcher;
  private readonly resolver: RecipientResolver;
  private readonly groups: GroupDirectory;
  private readonly outbox: Outbox;
  private readonly groupEditor: GroupEditor;
  private contactSync: { promise: Promise<void>; resolve: () => void } | null = null;
  private queueEmptyWaiters: (() => void)[] = [];
  private queueEmptySeen = false;
  private refillTimer: NodeJS.Timeout | null = null;
  private maintained!: () => void;
  private readonly maintainedPromise = new Promise<void>((resolve) => (this.maintained = resolve));

  static open(options: OpenOptions): AccountMessenger {
    const store = AccountStore.open({ dataDir: options.dataDir, number: options.number, trustMode: options.trustMode });
    return new AccountMessenger(store, options.serverConfig, options.log, options.attachmentRetryWindowMs);
  }

  constructor(
    store: AccountStore,
    serverConfig: ServerConfig,
    private readonly log: Log,
    attachmentRetryWindowMs?: number,
  ) {
    this.store = store;
    const account = this.account;
    this.net = createNet(serverConfig);
    this.https = httpsClient(serverConfig);
    this.serverConfig = serverConfig;
    // A delete frees space: a receive paused by a full disk tries again at once.
    this.inbox = new InboxQueue(store.inbox, { log, afterDelete: () => this.receiver.retryNow() });
    const retry = attachmentRetryWindowMs === undefined ? DEFAULT_RETRY : { ...DEFAULT_RETRY, windowMs: attachmentRetryWindowMs };
    this.attachments = new AttachmentFetcher(store.inbox, serverConfig, this.https, log, () => this.inbox.notify(), retry);
    const trustRoots = serverConfig.serverTrustRoots.map((root) => PublicKey.deserialize(new Uint8Array(root)));
    this.receiver = new Receiver({
      recorder: new ReceiveRecorder(store, () => ({ aci: this.account.aci, e164: this.account.number })),
      openBatch: (kind) => store.protocolBatch(kind),
      protocolLock: this.protocolLock,
      local: { aci: account.aci, pni: account.pni, e164: account.number, deviceId: account.deviceId },
      trustRoots,
      log,
      afterCommit: (effects, envelopeType) => this.afterCommit(effects, envelopeType),
    });
    this.chat = new KeptConnection(
      (onInterrupted, abortSignal) =>
        this.net.connectAuthenticatedChat(
          `${account.aci}.${account.deviceId}`,
          account.password,
          false,
          {
            onIncomingMessage: (envelope, _ts, ack) => this.receiver.enqueue(envelope, () => ack.send(200)),
            onQueueEmpty: () => this.onQueueEmpty(),
            onConnectionInterrupted: (cause) => onInterrupted(cause),
          },
          { abortSignal },
        ),
      {
        name: 'chat',
        log,
        fatalReason: whyDeviceRefused,
        onConnected: () => void this.afterConnect(),
      },
    );
    this.unauthChat = new KeptConnection(
      (onInterrupted, abortSignal) => this.net.connectUnauthenticatedChat({ onConnectionInterrupted: (cause) => onInterrupted(cause) }, { abortSignal }),
      { name: 'unauthenticated chat', log },
    );
    const groupsApi = new GroupsApi(serverConfig, this.https, { aci: account.aci, pni: account.pni });
    this.groups = new GroupDirectory(store, groupsApi, this.chat, account.aci, log);
    this.outbox = new Outbox({
      store,
      chat: this.chat,
      unauthChat: this.unauthChat,
      https: this.https,
      protocolLock: this.protocolLock,
      groups: this.groups,
      serverPublicParams: serverConfig.zkgroupServerPublicParams,
      account: () => this.account,
      log,
    });
    this.groupEditor = new GroupEditor({
      api: groupsApi,
      directory: this.groups,
      groups: store.groups,
      chat: this.chat,
      serverPublicParams: serverConfig.zkgroupServerPublicParams,
      self: () => ({ aci: this.account.aci, profileKey: this.account.profileKey }),
      resolve: (member) => this.resolver.resolve(member),
      log,
    });
    this.resolver = new RecipientResolver({
      byE164: (e164) => knownRecipient(store.recipients.byE164(e164)),
      byAci: (aci) => knownRecipient(store.recipients.byAci(aci)),
      contactSyncSettled: () => this.contactSyncSettled(),
      // The local (mock) servers run no discovery enclave.
      discover: serverConfig.kind === 'local' ? null : async (e164) => discoverAci(this.net, await this.chat.get(), e164),
      remember: (aci, e164) => store.recipients.upsertRecipient({ aci, e164 }),
    });
  }

  get account() {
    const account = this.store.account.getAccount();
    if (!account) throw new Error('the account record is missing; link or register again');
    return account;
  }

  start(): void {
    this.chat.start();
    this.unauthChat.start();
    this.attachments.kick();
  }

  async stop(): Promise<void> {
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.receiver.stop();
    this.inbox.stop();
    await this.chat.stop();
    await this.unauthChat.stop();
    await this.receiver.idle();
    await this.attachments.stop();
    this.store.close();
  }

  /** Resolves when the server said it has delivered every queued envelope and they were handled. */
  async drained(timeoutMs: number): Promise<void> {
    if (!this.queueEmptySeen) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.queueEmptyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.receiver.idle();
  }

  private onQueueEmpty(): void {
    this.queueEmptySeen = true;
    for (const wake of this.queueEmptyWaiters.splice(0)) wake();
  }

  private async afterConnect(): Promise<void> {
    try {
      await this.refillAll();
      if (!this.store.account.getSetting('contactSyncRequested')) await this.requestContactSync();
    } catch (err) {
      this.log(`maintenance after connect failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      if (!this.store.account.getSetting('storageGroupsRead')) await this.learnGroupsFromStorage();
    } catch (err) {
      this.log(`reading groups from the storage service failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.maintained();
    }
  }

  /**
   * The groups in the phone's storage service, fetched from the group server and stored, so a
   * linked device lists them before any group message arrives. Done once per account.
   */
  async learnGroupsFromStorage(): Promise<number> {
    const masterKey = this.account.masterKey;
    if (!masterKey) return 0;
    const groupKeys = await readStorageGroupMasterKeys(await this.chat.get(), this.https, this.serverConfig, masterKey);
    for (const groupKey of groupKeys) await this.groups.learn(groupKey, 0);
    this.store.account.setSetting('storageGroupsRead', String(Date.now()));
    if (groupKeys.length) this.log(`storage service: ${groupKeys.length} group(s) known`);
    return groupKeys.length;
  }

  private scheduleRefill(): void {
    if (this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      void this.refillAll().catch((err: unknown) => this.log(`prekey refill failed: ${err instanceof Error ? err.message : String(err)}`));
    }, PREKEY_REFILL_DEBOUNCE_MS);
    this.refillTimer.unref();
  }

  private async refillAll(): Promise<void> {
    const account = this.account;
    for (const kind of ['aci', 'pni'] as const) {
      await refillPreKeys(await this.chat.get(), this.store, kind, kind === 'aci' ? account.aciIdentityKey : account.pniIdentityKey);
    }
  }

  /** Resolves once, after the first connection's key refill and sync request (or the timeout). */
  async whenMaintained(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.maintainedPromise, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Asks our other devices (the phone) for its contact list; the answer arrives as a sync message. */
  async requestContactSync(): Promise<void> {
    if (!this.contactSync) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.contactSync = { promise, resolve };
    }
    try {
      const devices = await this.outbox.deliverToOwnDevices(syncRequestContent(SyncRequestType.CONTACTS), Date.now());
      this.store.account.setSetting('contactSyncRequested', String(Date.now()));
      // A registered account with no other devices has nobody to answer.
      if (devices === 0) this.settleContactSync();
    } catch (err) {
      this.settleContactSync();
      throw err;
    }
  }

  private settleContactSync(): void {
    this.contactSync?.resolve();
    this.contactSync = null;
  }

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

  private async contactSyncSettled(): Promise<void> {
    if (this.contactSync) await this.waitForContactSync(CONTACT_SYNC_WAIT_MS);
  }

  private afterCommit(effects: ContentEffects | null, envelopeType: number): void {
    this.inbox.notify();
    // A new session may have used one of our one-time prekeys (sealed envelopes may hide one).
    if (envelopeType === EnvelopeType.PREKEY_BUNDLE || envelopeType === EnvelopeType.UNIDENTIFIED_SENDER) this.scheduleRefill();
    if (effects?.entry?.attachments.length) this.attachments.kick();
    if (effects?.contactSyncBlob) void this.applyContactSync(effects.contactSyncBlob);
    if (effects?.group) void this.groups.learn(effects.group.masterKey, effects.group.revision);
  }

  private async applyContactSync(pointer: Uint8Array): Promise<void> {
    try {
      const result = await this.attachments.fetchOne(pointer);
      if (result === null) throw new Error('stopped before the contact list was downloaded');
      if ('error' in result) throw new Error(result.error);
      const contacts = parseContactStream(result);
      this.store.transaction(() => {
        for (const c of contacts) {
          this.store.recipients.upsertRecipient({ aci: c.aci, e164: c.e164 ?? undefined, profileKey: c.profileKey ?? undefined, name: c.name ?? undefined });
        }
      });
      this.log(`contact sync: ${contacts.length} contacts`);
    } catch (err) {
      this.log(`contact sync failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.settleContactSync();
    }
  }

  /** For the sandbox: resolves once a message from this group has been received (or the timeout). */
  async waitForGroup(groupId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.store.groups.getGroup(groupId)) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  }

  // ---- Messenger: receiving

  takeInbox(timeoutMs: number, signal?: AbortSignal): Promise<InboxLease> {
    return this.inbox.take(timeoutMs, signal);
  }

  // ---- Messenger: sending

  async sendMessage(target: SendTarget, text: string | undefined, attachments: OutgoingAttachment[]): Promise<SendResult> {
    const group = target.groupId ? await this.groups.forSend(target.groupId) : null;
    const recipient = group ? null : await this.resolver.resolve(target.recipient!);
    const pointers = await this.outbox.uploadAttachments(attachments);
    const timestamp = Date.now();
    const message = buildDataMessage({
      timestamp,
      body: text,
      attachments: pointers,
      profileKey: this.account.profileKey,
      groupV2: group ? { masterKey: group.masterKey, revision: group.revision } : undefined,
    });
    return group ? this.outbox.sendGroupDataMessage(group, message, timestamp) : this.outbox.sendDataMessage(recipient!, target.recipient!, message, timestamp);
  }

  async sendReaction(target: SendTarget, reaction: ReactionRequest): Promise<SendResult> {
    const group = target.groupId ? await this.groups.forSend(target.groupId) : null;
    const recipient = group ? null : await this.resolver.resolve(target.recipient!);
    const author = reaction.author === this.account.number ? { aci: this.account.aci } : await this.resolver.resolve(reaction.author);
    const timestamp = Date.now();
    const message = buildDataMessage({
      timestamp,
      reaction: {
        emoji: reaction.emoji,
        remove: reaction.remove,
        targetAuthorAciBinary: Aci.fromUuid(author.aci).getServiceIdBinary(),
        targetSentTimestamp: reaction.timestamp,
      },
      profileKey: this.account.profileKey,
      groupV2: group ? { masterKey: group.masterKey, revision: group.revision } : undefined,
    });
    return group ? this.outbox.sendGroupDataMessage(group, message, timestamp) : this.outbox.sendDataMessage(recipient!, target.recipient!, message, timestamp);
  }

  async trustIdentity(recipient: string, verified: boolean): Promise<{ aci: string; safetyNumber: string | null }> {
    const known = await this.resolver.resolve(recipient);
    if (!this.store.trustIdentity(known.aci, verified)) {
      throw new MessengerError('INVALID_NUMBER', `no safety number is known for ${recipient} yet: nothing was exchanged with them`);
    }
    return { aci: known.aci, safetyNumber: this.safetyNumber(known.aci) };
  }

  /** Sets the account's profile (name, about text, avatar) that contacts see. */
  async updateProfile(change: ProfileChange): Promise<void> {
    const account = this.account;
    await changeOwnProfile(
      { chat: await this.chat.get(), https: this.https, serverConfig: this.serverConfig, aci: account.aci, profileKey: account.profileKey, settings: this.store.account },
      change,
    );
  }

  listDevices(): Promise<DeviceSummary[]> {
    return this.chat.get().then((chat) => listAccountDevices(chat, this.account));
  }

  async removeDevice(deviceId: number): Promise<void> {
    await removeAccountDevice(await this.chat.get(), this.account, deviceId);
  }

  /** Deletes the account (primary) or unlinks this device (linked). The local store stays; see the CLI. */
  async unregister(): Promise<'account deleted' | 'device unlinked'> {
    return unregisterAccount(await this.chat.get(), this.account);
  }

  /** Every contact identity key the account has seen, with how far it is trusted. */
  listIdentities(): IdentitySummary[] {
    return this.store.listIdentities().map((i) => ({
      number: this.store.recipients.byAci(i.address)?.e164 ?? null,
      uuid: i.address,
      trust: i.trust,
      safetyNumber: this.safetyNumberWith(i.address, i.publicKey),
    }));
  }

  /** The 60-digit number both sides can compare (Signal's version 2, over ACIs). */
  safetyNumber(aci: string): string | null {
    const theirs = this.store.listIdentities().find((i) => i.address === aci);
    return theirs ? this.safetyNumberWith(aci, theirs.publicKey) : null;
  }

  private safetyNumberWith(aci: string, theirKey: Uint8Array): string {
    const account = this.account;
    const ours = PrivateKey.deserialize(new Uint8Array(account.aciIdentityKey)).getPublicKey();
    return Fingerprint.new(
      5200,
      2,
      Aci.fromUuid(account.aci).getServiceIdBinary(),
      ours,
      Aci.fromUuid(aci).getServiceIdBinary(),
      PublicKey.deserialize(new Uint8Array(theirKey)),
    )
      .displayableFingerprint()
      .toString();
  }

  async listGroups(): Promise<GroupSummary[]> {
    const describe = (m: string) => ({ uuid: m, number: m === this.account.aci ? this.account.number : (this.store.recipients.byAci(m)?.e164 ?? null) });
    return this.store.groups.listGroups().map((g) => ({
      groupId: g.id,
      title: g.title,
      members: g.members.map(describe),
      pendingMembers: (g.pendingMembers ?? []).map(describe),
      isMember: g.isMember,
      revision: g.revision,
    }));
  }

  /**
   * Creates a group (no groupId) or changes one: name, members added (invited when their profile
   * key is unknown) and removed. Then tells the members with a group-update message.
   */
  async updateGroup(req: GroupUpdateRequest): Promise<GroupUpdateResult> {
    return this.outbox.announce(await this.groupEditor.update(req));
  }

  /** Leaves the group, making `newAdmins` administrators first when this account is the only one. */
  async quitGroup(groupId: string, newAdmins: string[]): Promise<GroupUpdateResult> {
    return this.outbox.announce(await this.groupEditor.quit(groupId, newAdmins));
  }

}

/**
 * Why the server refused this device for good (unlinked, account deleted, client too old), for the
 * log and for every send that follows; null when retrying may help. Judged by libsignal's error
 * codes, not by the text, which may mention anything.
 */
function whyDeviceRefused(err: Error): string | null {
  if (!(err instanceof LibSignalErrorBase)) return null;
  switch (err.code) {
    case ErrorCode.DeviceDelinked:
    case ErrorCode.RequestUnauthorized:
      return 'this device is no longer part of the account (unlinked from the phone, or the account was deleted or registered again elsewhere): link again with `sigsock link`, or register the number again';
    case ErrorCode.AppExpired:
      return 'Signal refuses this version of sigsock as too old: update it';
    default:
      return null;
  }
}
