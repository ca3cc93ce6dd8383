// The one fake engine for front-end tests: records what it was asked, answers at once unless a test
// replaces a hook, and counts every call so a test can prove that nothing ran.
import type {
  BlockRequest,
  BlockResult,
  ContactFilter,
  ContactSummary,
  ProfileSummary,
  UserStatus,
  DeviceSummary,
  GroupSummary,
  GroupUpdateRequest,
  GroupUpdateResult,
  InboxEntry,
  InboxLease,
  MessageExtras,
  Messenger,
  OutgoingAttachment,
  ReactionRequest,
  ReceiptKind,
  SendResult,
  SendTarget,
} from '../../src/messenger/api.js';
import type { AttachmentContent, ReceivedMessage } from '../../src/messenger/inboxEntry.js';

/** An outgoing attachment's bytes, whole, however the front-end handed them over. */
export function bytesOf(attachment: OutgoingAttachment): Buffer {
  const { data } = attachment;
  return Buffer.isBuffer(data) ? data : Buffer.concat([...data.chunks()]);
}

/** Attachment bytes held in memory, as an entry's `content` (the inbox reads them from a file). */
export function contentOf(bytes: Uint8Array): AttachmentContent {
  return { size: bytes.length, chunks: () => [bytes] };
}

export interface FakeLease extends InboxLease {
  /** Resolves with how the lease ended. */
  settled: Promise<'committed' | 'released'>;
}

export function fakeLease(entries: InboxEntry[]): FakeLease {
  let settle!: (how: 'committed' | 'released') => void;
  const settled = new Promise<'committed' | 'released'>((resolve) => (settle = resolve));
  return { entries, settled, commit: () => settle('committed'), release: () => settle('released') };
}

export const TEST_ACI = 'a1b2c3d4-0000-4000-8000-00000000abcd';

/** The parts of a message entry that a plain message sent to this account leaves empty. */
export const PLAIN_MESSAGE: Pick<ReceivedMessage, 'quote' | 'mentions' | 'textStyles' | 'expiresInSeconds' | 'viewOnce' | 'sharedContacts' | 'sentByThisAccount' | 'destination'> & {
  sticker: null;
  previews: never[];
} = {
  quote: null,
  mentions: [],
  textStyles: [],
  expiresInSeconds: 0,
  sticker: null,
  previews: [],
  viewOnce: false,
  sharedContacts: [],
  sentByThisAccount: false,
  destination: null,
};

/** A text message as the engine hands it out (the front-end encodes it). */
export function textEntry(timestamp: number, body: string): InboxEntry {
  return { kind: 'message', sender: { aci: TEST_ACI, e164: null }, timestamp, groupId: null, body, attachments: [], reaction: null, ...PLAIN_MESSAGE };
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export type Take = (timeoutMs: number, signal?: AbortSignal) => Promise<InboxLease>;

/** Like the real inbox when nothing arrives: an empty lease after the timeout, or at once when aborted. */
export const emptyInbox: Take = async (timeoutMs, signal) => {
  if (!signal?.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return fakeLease([]);
};

export class FakeEngine implements Messenger {
  /** Every call into the engine, whatever it was. */
  calls = 0;
  sent: { target: SendTarget; text: string | undefined; attachments: OutgoingAttachment[]; extras?: MessageExtras }[] = [];
  /** Remote deletes, typing indicators and receipts, in the order asked. */
  signals: (
    | { remoteDelete: number; target: SendTarget }
    | { typing: 'start' | 'stop'; target: SendTarget }
    | { receipt: ReceiptKind; recipient: string; timestamps: number[] }
    | { expiration: number; target: SendTarget }
  )[] = [];
  reactions: { target: SendTarget; reaction: ReactionRequest }[] = [];
  groupUpdates: GroupUpdateRequest[] = [];
  takeCalls: { timeoutMs: number; signal?: AbortSignal }[] = [];
  groups: GroupSummary[] = [];
  contacts: ContactSummary[] = [];
  blockChanges: (BlockRequest & { blocked: boolean })[] = [];
  devices: DeviceSummary[] = [{ id: 1, name: null, primary: true, thisDevice: false, created: null, lastSeen: 1700000000000 }];

  /** Replace to make sends slow or failing. */
  onSend: () => Promise<void> = async () => {};
  onListGroups: () => Promise<GroupSummary[]> = async () => this.groups;
  onTake: Take = emptyInbox;
  /** The timestamp a send answers with; by default numbered by the sends so far (1700000000001 first). */
  sendTimestamp: () => number = () => 1700000000000 + this.sent.length;
  /** Every answer passes through here: replace to make any call fail (the fuzz test does). */
  outcome: <T>(value: T) => Promise<T> = async (value) => value;

  async sendMessage(target: SendTarget, text: string | undefined, attachments: OutgoingAttachment[], extras?: MessageExtras): Promise<SendResult> {
    this.calls++;
    this.sent.push({ target, text, attachments, extras });
    await this.onSend();
    return this.outcome({ timestamp: this.sendTimestamp(), results: [] });
  }

  async remoteDelete(target: SendTarget, targetTimestamp: number): Promise<SendResult> {
    return this.signal({ remoteDelete: targetTimestamp, target });
  }

  async setExpiration(target: SendTarget, seconds: number): Promise<SendResult> {
    return this.signal({ expiration: seconds, target });
  }

  async sendTyping(target: SendTarget, stop: boolean): Promise<SendResult> {
    return this.signal({ typing: stop ? 'stop' : 'start', target });
  }

  async sendReceipt(recipient: string, timestamps: number[], kind: ReceiptKind): Promise<SendResult> {
    return this.signal({ receipt: kind, recipient, timestamps });
  }

  private async signal(what: FakeEngine['signals'][number]): Promise<SendResult> {
    this.calls++;
    this.signals.push(what);
    await this.onSend();
    return this.outcome({ timestamp: 1700000000777, results: [] });
  }

  async sendReaction(target: SendTarget, reaction: ReactionRequest): Promise<SendResult> {
    this.calls++;
    this.reactions.push({ target, reaction });
    await this.onSend();
    return this.outcome({ timestamp: 1700000000999, results: [] });
  }

  async takeInbox(timeoutMs: number, signal?: AbortSignal): Promise<InboxLease> {
    this.calls++;
    this.takeCalls.push({ timeoutMs, signal });
    return this.outcome(await this.onTake(timeoutMs, signal));
  }

  async listGroups(): Promise<GroupSummary[]> {
    this.calls++;
    return this.outcome(await this.onListGroups());
  }

  async trustIdentity(recipient: string): Promise<{ aci: string; safetyNumber: string | null }> {
    this.calls++;
    return this.outcome({ aci: recipient, safetyNumber: null });
  }

  async updateGroup(request: GroupUpdateRequest): Promise<GroupUpdateResult> {
    this.calls++;
    this.groupUpdates.push(request);
    return this.outcome({
      groupId: request.groupId ?? Buffer.alloc(32, 1).toString('base64'),
      revision: 0,
      created: !request.groupId,
      unchanged: false,
      added: request.addMembers ?? [],
      invited: [],
      removed: request.removeMembers ?? [],
      notApplied: [],
      timestamp: 1700000000123,
      results: [],
    });
  }

  async quitGroup(groupId: string): Promise<GroupUpdateResult> {
    this.calls++;
    return this.outcome({ groupId, revision: 3, created: false, unchanged: false, added: [], invited: [], removed: [], notApplied: [], results: [] });
  }

  async listDevices(): Promise<DeviceSummary[]> {
    this.calls++;
    return this.outcome(this.devices);
  }

  async listContacts(filter: ContactFilter): Promise<ContactSummary[]> {
    this.calls++;
    const wanted = filter.recipients?.length ? filter.recipients : null;
    return this.outcome(
      this.contacts.filter((c) => (!wanted || (c.uuid !== null && wanted.includes(c.uuid)) || (c.number !== null && wanted.includes(c.number))) && (filter.blocked === undefined || c.isBlocked === filter.blocked)),
    );
  }

  async getProfile(recipient: string): Promise<ProfileSummary> {
    this.calls++;
    return this.outcome({ number: recipient, uuid: TEST_ACI, givenName: 'Test', familyName: null, about: null, aboutEmoji: null, avatar: null });
  }

  async sendMessageRequestResponse(): Promise<{ syncedDevices: number | null }> {
    this.calls++;
    return this.outcome({ syncedDevices: 0 });
  }

  async getUserStatus(numbers: string[]): Promise<UserStatus[]> {
    this.calls++;
    return this.outcome(numbers.map((recipient) => ({ recipient, uuid: null, isRegistered: false })));
  }

  async updateContact(recipient: string, name: string | null): Promise<ContactSummary> {
    this.calls++;
    return this.outcome({ number: recipient, uuid: null, name, contactName: null, profileName: null, profile: null, isBlocked: false, messageExpirationTime: 0 });
  }

  async setBlocked(request: BlockRequest, blocked: boolean): Promise<BlockResult> {
    this.calls++;
    this.blockChanges.push({ ...request, blocked });
    return this.outcome({ blocked: { numbers: blocked ? request.recipients : [], acis: [], groupIds: blocked ? request.groupIds : [] }, syncedDevices: 0 });
  }
}
