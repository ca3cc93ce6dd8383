// The contract between the socket protocol (above) and the account's behaviour (below).
// The socket layer depends only on this file; the messenger implements it.
import type { AttachmentContent, InboxEntry } from './inboxEntry.js';

export interface OutgoingAttachment {
  /** The bytes whole, or read chunk by chunk while they are encrypted and uploaded (a file, base64 decoded in pieces). */
  data: Buffer | AttachmentContent;
  filename?: string;
  contentType?: string;
}

/** Exactly one of the two is set; the socket layer checks that before calling. */
export interface SendTarget {
  /** E.164 phone number (`+4915...`) or an ACI UUID. */
  recipient?: string;
  /** base64 of the 32-byte group identifier. */
  groupId?: string;
}

export interface ReactionRequest {
  emoji: string;
  /** E.164 or ACI of the reacted-to message's author. */
  author: string;
  remove: boolean;
  /** Sent timestamp (ms) of the reacted-to message. */
  timestamp: number;
}

/** The message a new one replies to: its sent timestamp, author, and (optionally) its text as shown in the reply. */
export interface QuoteRequest {
  timestamp: number;
  /** E.164 or ACI. */
  author: string;
  text?: string;
}

/** Offsets and lengths count UTF-16 code units of the message text, as Signal apps do. */
export interface MentionRequest {
  /** E.164 or ACI of the mentioned account. */
  recipient: string;
  start: number;
  length: number;
}

export const TEXT_STYLES = ['BOLD', 'ITALIC', 'SPOILER', 'STRIKETHROUGH', 'MONOSPACE'] as const;
export type TextStyleName = (typeof TEXT_STYLES)[number];

export interface TextStyleRequest {
  style: TextStyleName;
  start: number;
  length: number;
}

/** What a message may carry besides text and attachments; all optional. */
export interface MessageExtras {
  quote?: QuoteRequest;
  mentions?: MentionRequest[];
  textStyles?: TextStyleRequest[];
  /** Sent timestamp of an earlier message of this account to the same conversation: this message replaces its content. */
  editTimestamp?: number;
  /** A sticker, sent alone (no text, no attachments), as Signal apps send it. */
  sticker?: StickerRequest;
  /** The recipient's app shows the attachments once. */
  viewOnce?: boolean;
  /** Link previews for urls in the text. */
  previews?: PreviewRequest[];
}

/** sigsock keeps no sticker packs: the caller names the pack (id and key, hex) and gives the sticker's image. */
export interface StickerRequest {
  packId: string;
  packKey: string;
  stickerId: number;
  emoji?: string;
  image: OutgoingAttachment;
}

export interface PreviewRequest {
  /** Must appear in the message text (Signal apps drop a preview whose url is not in the text). */
  url: string;
  title?: string;
  description?: string;
  /** When the page was published (ms since the epoch). */
  date?: number;
  image?: OutgoingAttachment;
}

/** A receipt a client sends for messages it received: `read` (the default in signal-cli) or `viewed`. */
export type ReceiptKind = 'read' | 'viewed';

export interface RecipientResult {
  recipient: string | null;
  aci: string | null;
  success: boolean;
  unidentified: boolean;
  error?: string;
}

export interface SendResult {
  timestamp: number;
  results: RecipientResult[];
}

/**
 * An attachment's bytes in an encoded entry. The socket and `sigsock receive --json` write them as
 * base64 in slices as they are read, so a large attachment is never whole in memory, nor one giant
 * string; anything else that serializes the entry gets the whole text.
 */
export class AttachmentBytes {
  readonly content: AttachmentContent;

  constructor(source: Uint8Array | AttachmentContent) {
    this.content = source instanceof Uint8Array ? { size: source.length, chunks: () => [source] } : source;
  }

  toJSON(): string {
    return Buffer.concat([...this.content.chunks()]).toString('base64');
  }
}

/** Received entries are domain values (inboxEntry.ts); each front-end encodes them. */
export type { AttachmentContent, InboxEntry, InboxEntryKind, MessageParts, Party, Reaction, ReceivedAttachment, ReceivedMessage, ReceiveFailure, FailureKind } from './inboxEntry.js';
/**
 * Entries handed out exclusively to one caller. `commit()` deletes them for good (call it only
 * once the response carrying them was written completely); `release()` returns them to the
 * front of the queue for the next caller.
 */
export interface InboxLease {
  entries: InboxEntry[];
  commit(): void;
  release(): void;
}

export interface GroupSummary {
  groupId: string;
  title: string;
  members: { number: string | null; uuid: string }[];
  /** Invited, not yet members (they accept in their app). */
  pendingMembers: { number: string | null; uuid: string }[];
  isMember: boolean;
  revision: number;
  /** Blocked by this account (`block -g`) or by the owner's phone: its messages are dropped. */
  isBlocked?: boolean;
}

export interface GroupUpdateRequest {
  /** Absent: create a new group (then `title` is required). */
  groupId?: string;
  title?: string;
  /** Phone numbers (+E.164) or ACIs. */
  addMembers?: string[];
  removeMembers?: string[];
  /** The group's disappearing-message timer in seconds (0: off). */
  expirationSeconds?: number;
}

/** What `updateGroup` / `quitGroup` did. Member lists hold the members as the caller named them. */
export interface GroupUpdateResult {
  groupId: string;
  /** The group's revision after the change. */
  revision: number;
  created: boolean;
  /** Nothing needed changing: no change was made and no message sent. */
  unchanged: boolean;
  added: string[];
  invited: string[];
  removed: string[];
  /** Asked for, but not so after the change: the server did not apply it. */
  notApplied: string[];
  /** The group-update message's timestamp, and its outcome per recipient. */
  timestamp?: number;
  results: RecipientResult[];
}

/** One device of the account, as `listDevices` shows it. */
export interface DeviceSummary {
  id: number;
  /** The name it was linked with; null for primaries, which usually have none. */
  name: string | null;
  primary: boolean;
  thisDevice: boolean;
  /** Milliseconds since the epoch, when the server says. */
  created: number | null;
  /** Rounded to the day by the server. */
  lastSeen: number | null;
}

/** One recipient the account knows, as `listContacts` shows it. */
export interface ContactSummary {
  number: string | null;
  /** Null for a number blocked by the phone whose ACI this account never learned. */
  uuid: string | null;
  /** The name to show: the one set here (`updateContact`), else the owner's contact name from the phone. */
  name: string | null;
  /** The name in the phone's contact list (contact sync, storage service). */
  contactName: string | null;
  /** The recipient's own Signal profile name (given and family name), when their profile key is known and it was fetched. */
  profileName: string | null;
  profile: { givenName: string | null; familyName: string | null } | null;
  isBlocked: boolean;
  /** The conversation's disappearing-message timer in seconds; 0: off or not known. */
  messageExpirationTime: number;
}

export interface ContactFilter {
  /** Only these recipients (E.164 or ACI); absent or empty: everyone. */
  recipients?: string[];
  /** true: only blocked recipients; false: only those not blocked; absent: both (signal-cli's --blocked). */
  blocked?: boolean;
}

/** What `block`/`unblock` applies to: recipients (E.164 or ACI) and groups (base64 ids). */
export interface BlockRequest {
  recipients: string[];
  groupIds: string[];
}

export interface BlockResult {
  /** The block list after the change. */
  blocked: { numbers: string[]; acis: string[]; groupIds: string[] };
  /** How many of this account's other devices were told (a sync message); null when telling them failed. */
  syncedDevices: number | null;
}

/** A contact's Signal profile, read with the profile key they shared. */
export interface ProfileSummary {
  number: string | null;
  uuid: string;
  givenName: string | null;
  familyName: string | null;
  about: string | null;
  aboutEmoji: string | null;
  /** The avatar image (as uploaded, zero-padded); null when they have none. */
  avatar: AttachmentBytes | null;
}

/** Whether a phone number is registered with Signal, as contact discovery answers. */
export interface UserStatus {
  recipient: string;
  /** The account's ACI; null when the number is not registered. */
  uuid: string | null;
  isRegistered: boolean;
}

/** How the owner answers a message request (signal-cli's sendMessageRequestResponse types, and block). */
export type MessageRequestResponse = 'accept' | 'delete' | 'block';

export interface Messenger {
  /** Reads `recipient`'s profile (they must have shared their profile key with this account). */
  getProfile(recipient: string): Promise<ProfileSummary>;
  /**
   * Answers message requests from recipients or groups: accept (their messages are no longer
   * flagged), delete, or block; told to this account's other devices. Resolves with how many got it.
   */
  sendMessageRequestResponse(request: BlockRequest, response: MessageRequestResponse): Promise<{ syncedDevices: number | null }>;
  /** Asks contact discovery whether these numbers are on Signal (and learns their ACIs). */
  getUserStatus(numbers: string[]): Promise<UserStatus[]>;
  /** Sets (null: clears) the name this device shows for `recipient`; the phone's contact list is not changed. */
  updateContact(recipient: string, name: string | null): Promise<ContactSummary>;
  /** Every recipient the account knows, or those the filter names. */
  listContacts(filter: ContactFilter): Promise<ContactSummary[]>;
  /** Blocks (`blocked`) or unblocks recipients and groups, at once, and tells this account's other devices. */
  setBlocked(request: BlockRequest, blocked: boolean): Promise<BlockResult>;
  sendMessage(target: SendTarget, text: string | undefined, attachments: OutgoingAttachment[], extras?: MessageExtras): Promise<SendResult>;
  sendReaction(target: SendTarget, reaction: ReactionRequest): Promise<SendResult>;
  /** Takes back ("delete for everyone") this account's message sent at `targetTimestamp` to the target. */
  remoteDelete(target: SendTarget, targetTimestamp: number): Promise<SendResult>;
  /** Sets a direct conversation's disappearing-message timer (0: off) and tells the contact. */
  setExpiration(target: SendTarget, seconds: number): Promise<SendResult>;
  /** Shows (or, with `stop`, hides) the typing indicator in the target's conversation with this account. */
  sendTyping(target: SendTarget, stop: boolean): Promise<SendResult>;
  /** Tells `recipient` that its messages sent at `timestamps` were read or viewed. */
  sendReceipt(recipient: string, timestamps: number[], kind: ReceiptKind): Promise<SendResult>;
  /** Resolves at once when entries are queued, else when the first arrives or `timeoutMs` passes (empty lease). */
  takeInbox(timeoutMs: number, signal?: AbortSignal): Promise<InboxLease>;
  listGroups(): Promise<GroupSummary[]>;
  /** Accepts the recipient's current identity key for sending (after a safety-number change). */
  trustIdentity(recipient: string, verified: boolean): Promise<{ aci: string; safetyNumber: string | null }>;
  /** Creates a group (no `groupId`), or renames it and adds or removes members; tells the members. */
  updateGroup(request: GroupUpdateRequest): Promise<GroupUpdateResult>;
  /** Leaves a group, first making `newAdmins` administrators; tells the members. */
  quitGroup(groupId: string, newAdmins: string[]): Promise<GroupUpdateResult>;
  /** The account's devices: the primary, this one and any other linked device. */
  listDevices(): Promise<DeviceSummary[]>;
}
