// Everything that leaves the account: data messages 1:1 and to groups (sender keys, see
// groupSender.ts), group-update announcements, the sync copy of each to the account's own devices,
// and the attachment uploads that come first. Each recipient's devices are reached by deliver().
import { Aci, SenderCertificate } from '@signalapp/libsignal-client';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import { ErrorCode, LibSignalErrorBase } from '@signalapp/libsignal-client';
import type { AuthenticatedChatConnection, UnauthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { AttachmentEncryption } from '../signal/attachmentCrypto.js';
import { uploadBlob } from '../signal/cdn.js';
import type { HttpsClient } from '../signal/https.js';
import type { KeptConnection } from '../signal/keptConnection.js';
import { getSenderCertificate, UnregisteredRecipientError } from '../signal/messagesApi.js';
import { HttpError } from '../signal/chatHttp.js';
import { ConnectionUnavailableError } from '../signal/keptConnection.js';
import type { AccountRecord } from '../store/accountRecord.js';
import type { AccountStore } from '../store/accountStore.js';
import { DiskFullError } from '../store/diskFull.js';
import type { AttachmentPointer } from '../proto/index.js';
import type { Log } from '../util/log.js';
import type { Mutex } from '../util/mutex.js';
import type { GroupUpdateResult, OutgoingAttachment, RecipientResult, SendResult } from './api.js';
import { MAX_ATTACHMENT_BYTES } from './attachmentFetcher.js';
import { deliver, type DeliveryEnvironment } from './deliverer.js';
import { MessengerError } from './errors.js';
import type { GroupDirectory, SendableGroup } from './groupDirectory.js';
import type { GroupChangeOutcome } from './groupEditor.js';
import { GroupSender } from './groupSender.js';
import { buildDataMessage, dataMessageContent, readSyncContent, receiptContent, sentTranscriptContent, typingContent } from './outgoingContent.js';
import { knownRecipient, type KnownRecipient } from './recipientResolver.js';
import { SendCommits } from './sendCommits.js';
import { SyncCopies } from './syncCopies.js';
import type { PendingSyncCopy } from '../store/pendingSync.js';

export type DataMessage = ReturnType<typeof buildDataMessage>;

const SENDER_CERTIFICATE_MARGIN_MS = 60 * 60 * 1000;

export interface OutboxOptions {
  store: AccountStore;
  chat: KeptConnection<AuthenticatedChatConnection>;
  unauthChat: KeptConnection<UnauthenticatedChatConnection>;
  https: HttpsClient;
  /** Serialises every use of the protocol stores (shared with the receiver). */
  protocolLock: Mutex;
  groups: GroupDirectory;
  serverPublicParams: Uint8Array;
  account: () => AccountRecord;
  log: Log;
}

export class Outbox {
  private readonly store: AccountStore;
  private readonly chat: KeptConnection<AuthenticatedChatConnection>;
  private readonly unauthChat: KeptConnection<UnauthenticatedChatConnection>;
  private readonly https: HttpsClient;
  private readonly protocolLock: Mutex;
  private readonly groups: GroupDirectory;
  private readonly log: Log;
  private readonly groupSender: GroupSender;
  private senderCert: SenderCertificate | null = null;
  /** Sync copies go out after the answer, durably (syncCopies.ts). */
  readonly syncCopies: SyncCopies;
  private readonly sendCommits: SendCommits;

  constructor(private readonly options: OutboxOptions) {
    this.store = options.store;
    this.chat = options.chat;
    this.unauthChat = options.unauthChat;
    this.https = options.https;
    this.protocolLock = options.protocolLock;
    this.groups = options.groups;
    this.log = options.log;
    this.groupSender = new GroupSender({
      delivery: () => this.deliveryEnvironment(),
      groups: this.store.groups,
      serverPublicParams: options.serverPublicParams,
      sendOneToOne: (aci, content, timestamp, urgent) => this.sendToAci(aci, content, timestamp, urgent),
      numberOf: (aci) => this.store.recipients.byAci(aci)?.e164 ?? null,
      log: this.log,
    });
    this.sendCommits = new SendCommits(this.protocolLock, () => this.store.protocolBatch('aci'));
    this.syncCopies = new SyncCopies({
      pending: this.store.pendingSync,
      transaction: (fn) => this.store.transaction(fn),
      deliver: (content, timestamp, alsoCommit) => this.deliverToOwnDevices(content, timestamp, alsoCommit),
      log: this.log,
    });
  }

  private get account(): AccountRecord {
    return this.options.account();
  }

  /**
   * The group-update message: a data message with only `groupV2 {masterKey, revision,
   * groupChange}`, to the full members (sender keys, as any group message), and 1:1 to the
   * invitees and to members just removed (so their apps learn it); a transcript to our devices.
   */
  async announce(outcome: GroupChangeOutcome): Promise<GroupUpdateResult> {
    const result: GroupUpdateResult = {
      groupId: outcome.groupId,
      revision: outcome.state.revision,
      created: outcome.created,
      unchanged: outcome.unchanged,
      added: outcome.added,
      invited: outcome.invited,
      removed: outcome.removed,
      notApplied: outcome.notApplied,
      results: [],
    };
    if (outcome.unchanged) return result;
    const self = this.account.aci;
    const timestamp = Date.now();
    const message = buildDataMessage({
      timestamp,
      profileKey: this.account.profileKey,
      groupV2: { masterKey: outcome.masterKey, revision: outcome.state.revision, groupChange: outcome.groupChange ?? undefined },
    });
    const content = dataMessageContent(message);
    const sendable: SendableGroup = {
      groupId: outcome.groupId,
      masterKey: outcome.masterKey,
      revision: outcome.state.revision,
      members: outcome.state.members,
      endorsements: outcome.state.members.includes(self) ? this.groups.endorsementsFor(outcome.groupId, outcome.state.revision, outcome.state.members) : null,
    };
    const isAci = (m: string) => m !== self && !m.startsWith('PNI:');
    const members = outcome.state.members.filter(isAci);
    const extra = [...new Set(outcome.alsoNotify.filter((m) => isAci(m) && !members.includes(m)))];
    const [memberResults, extraResults] = await Promise.all([
      this.groupSender.send(sendable, members, content, timestamp),
      Promise.all(extra.map((aci) => this.sendToAci(aci, content, timestamp))),
    ]);
    const results = [...memberResults, ...extraResults];
    for (const r of results) if (!r.success) this.log(`group update: not delivered to a member: ${r.error ?? 'unknown error'}`);
    await this.syncGroupTranscript(message, undefined, timestamp, results.filter((r) => r.success));
    result.timestamp = timestamp;
    result.results = results.map(({ fatal: _fatal, ...plain }) => plain);
    return result;
  }

  /** With `editTarget`, the message is sent as an edit of this account's message sent at that timestamp (transcript too). */
  async sendDataMessage(
    recipient: KnownRecipient,
    label: string,
    message: DataMessage,
    timestamp: number,
    editTarget?: number,
  ): Promise<SendResult> {
    const destination = { serviceIdBinary: Aci.fromUuid(recipient.aci).getServiceIdBinary(), e164: recipient.e164 };
    // The transcript is recorded in the commit of the message's own ratchet step: no commit of its own before the answer.
    // Each attempt (after a device-list correction) records the copy again and drops the one before.
    const recorded: PendingSyncCopy[] = [];
    const recordTranscript = (sealed: boolean) => {
      for (const earlier of recorded) this.syncCopies.forgetInTransaction(earlier);
      recorded.push(this.syncCopies.recordInTransaction(timestamp, sentTranscriptContent(message, editTarget, timestamp, destination, [{ ...destination, unidentified: sealed }])));
    };
    const result = await this.sendToRecipient(recipient, label, dataMessageContent(message, editTarget), timestamp, true, recordTranscript);
    // The message went out after the last attempt's commit held, so the last copy is the one on disk.
    if (result.success && recorded.length > 0) this.syncCopies.send(recorded[recorded.length - 1]);
    else if (recorded.length > 0) this.forgetUnsentCopies(recorded);
    return this.oneToOneResult(result, timestamp);
  }

  /** Groups v2: sender keys and one multi-recipient request, or 1:1 to each member when that fails (see groupSender.ts). */
  async sendGroupDataMessage(group: SendableGroup, message: DataMessage, timestamp: number, editTarget?: number): Promise<SendResult> {
    const { results, delivered } = await this.sendToGroup(group, dataMessageContent(message, editTarget), timestamp);
    await this.syncGroupTranscript(message, editTarget, timestamp, delivered);
    return { timestamp, results: results.map(({ fatal: _fatal, ...plain }) => plain) };
  }

  /**
   * A typing indicator, 1:1 or to a group (the group send path), not urgent: no push notification.
   * Not synced: Signal apps show typing only from others.
   */
  async sendTyping(destination: { recipient: KnownRecipient; label: string } | { group: SendableGroup }, stop: boolean, timestamp: number): Promise<SendResult> {
    if ('group' in destination) {
      const groupId = Buffer.from(destination.group.groupId, 'base64');
      const { results } = await this.sendToGroup(destination.group, typingContent(timestamp, stop, groupId), timestamp, false);
      return { timestamp, results: results.map(({ fatal: _fatal, ...plain }) => plain) };
    }
    const result = await this.sendToRecipient(destination.recipient, destination.label, typingContent(timestamp, stop, undefined), timestamp, false);
    return this.oneToOneResult(result, timestamp);
  }

  /**
   * A read or viewed receipt for the sender's messages, not urgent; then a read (viewed) sync to
   * the account's own devices, as Signal apps send when their user reads a message, so the phone
   * marks those messages read too.
   */
  async sendReceipt(recipient: KnownRecipient, label: string, kind: 'read' | 'viewed', timestamps: number[], timestamp: number): Promise<SendResult> {
    const result = await this.sendToRecipient(recipient, label, receiptContent(kind, timestamps), timestamp, false);
    if (result.success) await this.syncTranscript(readSyncContent(kind, Aci.fromUuid(recipient.aci).getServiceIdBinary(), timestamps), timestamp);
    return this.oneToOneResult(result, timestamp);
  }

  /** A delivery receipt for messages `aci` sent (see deliveryReceipts.ts): not urgent, no sync copy. */
  async sendDeliveryReceipt(aci: string, timestamps: number[]): Promise<void> {
    const result = await this.sendToAci(aci, receiptContent('delivery', timestamps), Date.now(), false);
    if (!result.success) throw result.fatal ?? new MessengerError('UNKNOWN', result.error ?? 'not delivered');
  }

  private oneToOneResult(result: RecipientResult & { fatal?: Error }, timestamp: number): SendResult {
    if (!result.success && result.error && result.fatal) throw result.fatal;
    const { fatal: _fatal, ...plain } = result;
    return { timestamp, results: [plain] };
  }

  private async sendToGroup(
    group: SendableGroup,
    content: Uint8Array,
    timestamp: number,
    urgent = true,
  ): Promise<{ results: (RecipientResult & { fatal?: Error })[]; delivered: RecipientResult[] }> {
    const members = group.members.filter((m) => m !== this.account.aci && !m.startsWith('PNI:'));
    const results = await this.groupSender.send(group, members, content, timestamp, urgent);
    const delivered = results.filter((r) => r.success);
    if (members.length > 0 && delivered.length === 0) throw results[0].fatal ?? new MessengerError('UNKNOWN', 'no group member could be reached');
    return { results, delivered };
  }

  /** What the account knows of `aci`; just the ACI when nothing. */
  /** 1:1 to a member known only by ACI (named by number in results when the account knows it). */
  private sendToAci(aci: string, content: Uint8Array, timestamp: number, urgent = true): Promise<RecipientResult & { fatal?: Error }> {
    const known = knownRecipient(this.store.recipients.byAci(aci)) ?? { aci, e164: null, profileKey: null };
    return this.sendToRecipient(known, known.e164 ?? aci, content, timestamp, urgent);
  }

  /** Tells the account's own devices what was sent to a group, and to whom it was delivered. */
  private syncGroupTranscript(message: DataMessage, editTarget: number | undefined, timestamp: number, delivered: RecipientResult[]): Promise<void> {
    const recipients = delivered.map((r) => ({ serviceIdBinary: Aci.fromUuid(r.aci!).getServiceIdBinary(), e164: r.recipient, unidentified: r.unidentified }));
    return this.syncTranscript(sentTranscriptContent(message, editTarget, timestamp, null, recipients), timestamp);
  }

  /**
   * A sync copy (transcript, read sync) is recorded before the answer and sent after it (syncCopies.ts).
   * Not recorded (the disk is full) is logged, not reported: the message itself was delivered.
   */
  private async syncTranscript(transcript: Uint8Array, timestamp: number): Promise<void> {
    try {
      this.syncCopies.record(timestamp, transcript);
    } catch (err) {
      this.log(`sync transcript not recorded, so not sent: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The message was not sent: the copies recorded with its ratchet steps are not owed. */
  private forgetUnsentCopies(copies: PendingSyncCopy[]): void {
    try {
      this.store.transaction(() => copies.forEach((copy) => this.syncCopies.forgetInTransaction(copy)));
    } catch (err) {
      this.log(`a sync copy of a message that was not sent stays recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async sendToRecipient(
    recipient: KnownRecipient,
    label: string,
    content: Uint8Array,
    timestamp: number,
    urgent = true,
    alsoCommit?: (sealed: boolean) => void,
  ): Promise<RecipientResult & { fatal?: Error }> {
    const accessKey = recipient.profileKey ? new ProfileKey(new Uint8Array(recipient.profileKey)).deriveAccessKey() : null;
    const base = { recipient: recipient.e164, aci: recipient.aci };
    try {
      const outcome = await deliver(this.deliveryEnvironment(), { serviceId: recipient.aci, label, content, timestamp, accessKey, urgent, alsoCommit });
      if (outcome.devices === 0) {
        return { ...base, success: false, unidentified: false, error: `${label} has no devices`, fatal: new MessengerError('INVALID_NUMBER', `${label} is not registered with Signal`) };
      }
      return { ...base, success: true, unidentified: outcome.unidentified };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const fatal = error instanceof MessengerError ? error : toMessengerError(error, label);
      return { ...base, success: false, unidentified: false, error: error.message, fatal };
    }
  }

  /** A Content to the account's other devices (the phone): sync copies and requests. */
  async deliverToOwnDevices(content: Uint8Array, timestamp: number, alsoCommit?: () => void): Promise<number> {
    const account = this.account;
    const result = await deliver(this.deliveryEnvironment(), {
      serviceId: account.aci,
      label: 'your own devices',
      content,
      timestamp,
      accessKey: null,
      excludeDeviceId: account.deviceId,
      urgent: false,
      alsoCommit,
    });
    return result.devices;
  }

  private deliveryEnvironment(): DeliveryEnvironment {
    const account = this.account;
    return {
      chat: this.chat,
      unauthChat: this.unauthChat,
      protocolLock: this.protocolLock,
      openBatch: () => this.store.protocolBatch('aci'),
      sendCommits: this.sendCommits,
      sessionDeviceIds: (serviceId) => this.store.sessionDeviceIds('aci', serviceId),
      localAci: account.aci,
      localDeviceId: account.deviceId,
      senderCertificate: () => this.senderCertificate(),
      noteUntrustedIdentity: (serviceId, key) => this.store.noteUntrustedIdentity(serviceId, key),
    };
  }

  private async senderCertificate(): Promise<SenderCertificate> {
    if (this.senderCert && this.senderCert.expiration() - SENDER_CERTIFICATE_MARGIN_MS > Date.now()) return this.senderCert;
    const bytes = await getSenderCertificate(await this.chat.get());
    this.senderCert = SenderCertificate.deserialize(new Uint8Array(bytes));
    return this.senderCert;
  }

  async uploadAttachments(attachments: OutgoingAttachment[]): Promise<AttachmentPointer[]> {
    const out: AttachmentPointer[] = [];
    for (const [i, a] of attachments.entries()) {
      // Encrypted while it is uploaded (and read while it is encrypted, when it is a file): never held whole.
      const encrypted = new AttachmentEncryption(a.data);
      if (encrypted.size > MAX_ATTACHMENT_BYTES) {
        throw new MessengerError('INVALID_ATTACHMENT', `attachment ${i} is ${encrypted.size} bytes; the limit is ${MAX_ATTACHMENT_BYTES}`);
      }
      let uploaded;
      try {
        uploaded = await uploadBlob(await this.chat.get(), this.https, { length: encrypted.length, chunks: encrypted.chunks() });
      } catch (err) {
        throw new MessengerError('NETWORK', `uploading attachment ${i} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      out.push({
        cdnKey: uploaded.cdnKey,
        cdnNumber: uploaded.cdnNumber,
        key: encrypted.key,
        digest: encrypted.digest,
        size: encrypted.size,
        contentType: a.contentType ?? 'application/octet-stream',
        fileName: a.filename,
        uploadTimestamp: Date.now(),
      });
    }
    return out;
  }
}

function toMessengerError(err: Error, label: string): MessengerError {
  if (err instanceof DiskFullError) {
    // The ratchet step is committed before the message goes out (deliverer.ts), so a failed commit
    // means nothing was sent: a retry once space is back sends it once.
    return new MessengerError('UNKNOWN', `disk full: nothing was sent to ${label} (the session state could not be saved); free space in ${err.directory}`, { cause: err });
  }
  const cause = { cause: err };
  if (err instanceof UnregisteredRecipientError) return new MessengerError('INVALID_NUMBER', `${label} is not registered with Signal`, cause);
  if (err instanceof ConnectionUnavailableError || err instanceof HttpError) return new MessengerError('NETWORK', `sending to ${label} failed: ${err.message}`, cause);
  if (isConnectionLost(err)) {
    return new MessengerError('NETWORK', `sending to ${label} failed: not connected to the Signal server: the connection dropped during the send (${err.message}), so it may not have been delivered`, cause);
  }
  return new MessengerError('UNKNOWN', `sending to ${label} failed: ${err.message}`, cause);
}

/** libsignal's ways of saying the chat connection went away under a request. */
function isConnectionLost(err: Error): boolean {
  if (!(err instanceof LibSignalErrorBase)) return false;
  return err.code === ErrorCode.IoError || err.code === ErrorCode.ChatServiceInactive || err.code === ErrorCode.ConnectionInvalidated;
}

