// Opening an account: which part talks to which. The store, the two chat connections, the receive
// pipeline and the inbox, attachment downloads, groups, the outbox, and the parts the facade
// (accountMessenger.ts) delegates to. Nothing here runs until `start()` on the facade.
import { ErrorCode, LibSignalErrorBase, PublicKey } from '@signalapp/libsignal-client';
import type { AuthenticatedChatConnection, UnauthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { discoverAci, discoverAcis } from '../signal/contactDiscovery.js';
import { GroupsApi } from '../signal/groupsApi.js';
import { httpsClient, type HttpsClient } from '../signal/https.js';
import { KeptConnection } from '../signal/keptConnection.js';
import { createNet } from '../signal/net.js';
import { contactDiscoveryProtocol, offersContactDiscovery, type ServerConfig } from '../signal/serverConfig.js';
import type { AccountRecord } from '../store/accountRecord.js';
import type { AccountStore } from '../store/accountStore.js';
import type { Log } from '../util/log.js';
import { Mutex } from '../util/mutex.js';
import { AccountMaintenance } from './accountMaintenance.js';
import { AttachmentFetcher, DEFAULT_RETRY } from './attachmentFetcher.js';
import { BlockFilter } from './blockFilter.js';
import { ContactBook } from './contacts.js';
import { ProfileNames } from './profileNames.js';
import { MessageRequests } from './messageRequests.js';
import { UserDirectory } from './userDirectory.js';
import type { ContentEffects } from './contentInterpreter.js';
import { GroupArrivals } from './groupArrivals.js';
import { GroupDirectory } from './groupDirectory.js';
import { GroupEditor } from './groupEditor.js';
import { Identities } from './identities.js';
import { InboxQueue } from './inboxQueue.js';
import { Outbox } from './outbox.js';
import { Receiver } from './receiver.js';
import { ReceiveRecorder } from './receiveRecorder.js';
import { knownRecipient, RecipientResolver } from './recipientResolver.js';
import { DeliveryReceipts } from './deliveryReceipts.js';
import { ReadReceipts } from './readReceipts.js';
import { ConversationTimers } from './conversationTimers.js';
import { SendPath } from './sendPath.js';
import { ServerQueueEmpty } from './serverQueueEmpty.js';

export interface WiringOptions {
  store: AccountStore;
  serverConfig: ServerConfig;
  log: Log;
  /** How long attachment downloads ride out network failures (default 2 min). */
  attachmentRetryWindowMs?: number;
  /** Stories become entries (off by default: bots rarely want them). */
  receiveStories?: boolean;
  /** After each receive commit. */
  afterCommit(effects: ContentEffects | null, envelopeType: number): void;
}

export interface AccountParts {
  account: () => AccountRecord;
  chat: KeptConnection<AuthenticatedChatConnection>;
  unauthChat: KeptConnection<UnauthenticatedChatConnection>;
  https: HttpsClient;
  receiver: Receiver;
  inbox: InboxQueue;
  /** The server said it has delivered everything it had queued for us. */
  serverQueueEmpty: ServerQueueEmpty;
  attachments: AttachmentFetcher;
  groups: GroupDirectory;
  groupArrivals: GroupArrivals;
  groupEditor: GroupEditor;
  outbox: Outbox;
  resolver: RecipientResolver;
  maintenance: AccountMaintenance;
  identities: Identities;
  sendPath: SendPath;
  deliveryReceipts: DeliveryReceipts;
  contacts: ContactBook;
  profileNames: ProfileNames;
  messageRequests: MessageRequests;
  directory: UserDirectory;
  readReceipts: ReadReceipts;
  timers: ConversationTimers;
}

export function wireAccount(options: WiringOptions): AccountParts {
  const { store, serverConfig, log } = options;
  const account = (): AccountRecord => {
    const record = store.account.getAccount();
    if (!record) throw new Error('the account record is missing; link or register again');
    return record;
  };
  const self = account();
  const net = createNet(serverConfig);
  const https = httpsClient(serverConfig);
  // Serialises every use of the protocol stores: the receiver's decryption and the outbox's encryption.
  const protocolLock = new Mutex();
  const serverQueueEmpty = new ServerQueueEmpty();

  // A delete frees space: a receive paused by a full disk tries again at once, and so does a
  // download that found no room for its file.
  const inbox = new InboxQueue(store.inbox, { log, afterDelete: () => (receiver.retryNow(), attachments.kick()) });
  const retry = options.attachmentRetryWindowMs === undefined ? DEFAULT_RETRY : { ...DEFAULT_RETRY, windowMs: options.attachmentRetryWindowMs };
  const attachments = new AttachmentFetcher(store.inbox, serverConfig, https, log, () => inbox.notify(), retry);
  const timers = new ConversationTimers(store.account);
  // Needs the outbox (below) only when the block list changes here, long after wiring.
  const contacts: ContactBook = new ContactBook({ store, selfAci: self.aci, toOwnDevices: (content) => outbox.deliverToOwnDevices(content, Date.now()), timers, log });
  const blockFilter = new BlockFilter(contacts, self.aci, log);
  // Answers need the resolver and the outbox (below), only long after wiring.
  const messageRequests: MessageRequests = new MessageRequests({
    recipients: store.recipients,
    localAci: self.aci,
    isPrimary: self.deviceId === 1,
    resolveAci: async (recipient) => (await resolver.resolve(recipient)).aci,
    setBlocked: (request, blocked) => contacts.setBlocked(request, blocked),
    toOwnDevices: (content) => outbox.deliverToOwnDevices(content, Date.now()),
    log,
  });
  const receiver = new Receiver({
    recorder: new ReceiveRecorder(store, () => ({ aci: account().aci, e164: account().number })),
    openBatch: (kind) => store.protocolBatch(kind),
    protocolLock,
    local: { aci: self.aci, pni: self.pni, e164: self.number, deviceId: self.deviceId },
    trustRoots: serverConfig.serverTrustRoots.map((root) => PublicKey.deserialize(new Uint8Array(root))),
    log,
    screen: (effects) => messageRequests.flag(blockFilter.screen(effects)),
    afterCommit: (effects, envelopeType) => options.afterCommit(effects, envelopeType),
    receiveStories: options.receiveStories ?? false,
  });

  const chat = new KeptConnection<AuthenticatedChatConnection>(
    (onInterrupted, abortSignal) =>
      net.connectAuthenticatedChat(
        `${self.aci}.${self.deviceId}`,
        self.password,
        false,
        {
          onIncomingMessage: (envelope, deliveredTimestamp, ack) => receiver.enqueue(envelope, () => ack.send(200), deliveredTimestamp),
          onQueueEmpty: () => serverQueueEmpty.seen(),
          onConnectionInterrupted: (cause) => onInterrupted(cause),
        },
        { abortSignal },
      ),
    { name: 'chat', log, fatalReason: whyDeviceRefused, onConnected: () => void maintenance.afterConnect() },
  );
  const unauthChat = new KeptConnection<UnauthenticatedChatConnection>(
    (onInterrupted, abortSignal) => net.connectUnauthenticatedChat({ onConnectionInterrupted: (cause) => onInterrupted(cause) }, { abortSignal }),
    { name: 'unauthenticated chat', log },
  );

  const groupArrivals = new GroupArrivals((groupId) => store.groups.getGroup(groupId) !== undefined);
  const groupsApi = new GroupsApi(serverConfig, https, { aci: self.aci, pni: self.pni });
  const groups = new GroupDirectory(store, groupsApi, chat, self.aci, log, (groupId) => groupArrivals.arrived(groupId));
  const outbox = new Outbox({
    store,
    chat,
    unauthChat,
    https,
    protocolLock,
    groups,
    serverPublicParams: serverConfig.zkgroupServerPublicParams,
    account,
    log,
  });
  const maintenance = new AccountMaintenance({ store, account, chat, https, serverConfig, outbox, groups, attachments, contacts, timers, log });
  const resolver = new RecipientResolver({
    byE164: (e164) => knownRecipient(store.recipients.byE164(e164)),
    byAci: (aci) => knownRecipient(store.recipients.byAci(aci)),
    contactSyncSettled: () => maintenance.contactSyncSettled(),
    discover: offersContactDiscovery(serverConfig) ? async (e164) => discoverAci(net, await chat.get(), e164, contactDiscoveryProtocol(serverConfig)) : null,
    remember: (aci, e164) => store.recipients.upsertRecipient({ aci, e164 }),
  });
  const groupEditor = new GroupEditor({
    api: groupsApi,
    directory: groups,
    groups: store.groups,
    chat,
    serverPublicParams: serverConfig.zkgroupServerPublicParams,
    self: () => ({ aci: account().aci, profileKey: account().profileKey }),
    resolve: (member) => resolver.resolve(member),
    log,
  });
  const sendPath = new SendPath({ outbox, groups, resolver, account, timers });
  return {
    account,
    chat,
    unauthChat,
    https,
    receiver,
    inbox,
    serverQueueEmpty,
    attachments,
    groups,
    groupArrivals,
    groupEditor,
    outbox,
    resolver,
    maintenance,
    identities: new Identities({ store, account, resolver }),
    sendPath,
    timers,
    contacts,
    directory: new UserDirectory({
      discover: offersContactDiscovery(serverConfig) ? async (e164s) => discoverAcis(net, await chat.get(), e164s, contactDiscoveryProtocol(serverConfig)) : null,
      remember: (aci, e164) => store.recipients.upsertRecipient({ aci, e164 }),
    }),
    messageRequests,
    profileNames: new ProfileNames({ recipients: store.recipients, chat: () => chat.get(), log }),
    deliveryReceipts: new DeliveryReceipts({ send: (aci, timestamps) => outbox.sendDeliveryReceipt(aci, timestamps), localAci: () => account().aci, log }),
    readReceipts: new ReadReceipts({ send: (aci, timestamps) => sendPath.sendReceipt(aci, timestamps, 'read'), localAci: () => account().aci, log }),
  };
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
