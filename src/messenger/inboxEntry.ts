// What the engine hands out for a received envelope: a domain value, discriminated by `kind`, that
// each front-end encodes in its own wire shape (socket/entryEncoder.ts for the seed's protocol).
// Nothing here knows a protocol's status codes or field names.
//
// Adding a kind (the next one: group changes) is adding a variant to `InboxEntry`: every encoder
// switches on `kind` exhaustively, so the compiler lists what to extend. Parts shared by several
// kinds (`Party`, `Origin`, `MessageParts`) are separate types for that reason.

/** An account as a message named it: its ACI always, its phone number when known. */
export interface Party {
  aci: string;
  e164: string | null;
  /**
   * A sender's name as the owner knows them (contact name, else their profile name): added when
   * an entry is handed out (contacts.ts), never stored; absent when unknown.
   */
  name?: string;
}

/**
 * A received attachment's bytes, read when asked for: `chunks()` yields the plaintext piece by
 * piece (from its encrypted file in the inbox), so a front-end can stream it out without holding
 * it whole. It may be read more than once (an answer that went back to the queue is written again).
 */
export interface AttachmentContent {
  /** Bytes in all. */
  readonly size: number;
  chunks(): Iterable<Uint8Array>;
}

export interface ReceivedAttachment {
  /** The decrypted bytes; null when they could not be had (then `error` says why). */
  content: AttachmentContent | null;
  filename: string | null;
  contentType: string | null;
  size: number | null;
  /** Why the attachment could not be downloaded or verified. */
  error: string | null;
}

export interface Reaction {
  emoji: string;
  /** The author of the message reacted to; both null when the sender did not say. */
  targetAuthor: { aci: string | null; e164: string | null };
  /** The sent timestamp of the message reacted to: its id in the conversation. */
  targetTimestamp: number;
  /** The sender took the reaction back. */
  remove: boolean;
}

/** The message a reply quotes: its sent timestamp (its id), its author, the text it quoted. */
export interface Quote {
  targetTimestamp: number;
  /** Both null when the sender did not say. */
  targetAuthor: { aci: string | null; e164: string | null };
  text: string | null;
}

/** An account named in the body at [start, start + length) (UTF-16 code units, as string indexes). */
export interface Mention {
  mentioned: Party;
  start: number;
  length: number;
}

export type TextStyleKind = 'bold' | 'italic' | 'spoiler' | 'strikethrough' | 'monospace';

export interface TextStyle {
  style: TextStyleKind;
  start: number;
  length: number;
}

/** A sticker: its pack (ids as hex, as Signal's sticker links write them), its id in the pack, its image. */
export interface Sticker<Image = ReceivedAttachment | null> {
  packId: string;
  packKey: string;
  stickerId: number;
  emoji: string | null;
  /** The sticker's image, downloaded like an attachment; null when the sender sent none. */
  image: Image;
}

/** A link preview the sender's app made for a url in the body. */
export interface LinkPreview<Image = ReceivedAttachment | null> {
  url: string;
  title: string | null;
  description: string | null;
  /** When the page was published (ms since the epoch), when the sender's app knew it. */
  date: number | null;
  image: Image;
}

export interface ContactField {
  value: string;
  type: 'HOME' | 'MOBILE' | 'WORK' | 'CUSTOM';
  label: string | null;
}

export interface ContactAddress {
  type: 'HOME' | 'WORK' | 'CUSTOM';
  label: string | null;
  street: string | null;
  pobox: string | null;
  neighborhood: string | null;
  city: string | null;
  region: string | null;
  postcode: string | null;
  country: string | null;
}

/** A contact card shared in a message (its avatar image is not carried). */
export interface SharedContact {
  name: { given: string | null; family: string | null; prefix: string | null; suffix: string | null; middle: string | null; nickname: string | null };
  phone: ContactField[];
  email: ContactField[];
  address: ContactAddress[];
  organization: string | null;
}

/** What a Signal message carries. */
export interface MessageParts {
  body: string | null;
  attachments: ReceivedAttachment[];
  reaction: Reaction | null;
  quote: Quote | null;
  mentions: Mention[];
  textStyles: TextStyle[];
  /** The conversation's disappearing-message timer the message carries; 0: none. */
  expiresInSeconds: number;
  sticker: Sticker | null;
  previews: LinkPreview[];
  /** The sender's app shows the attachments once, then hides them. */
  viewOnce: boolean;
  sharedContacts: SharedContact[];
}

/**
 * How the envelope reached this account, as Signal's server reported it: the sender's device, and
 * when the server received it and delivered it here (ms since the epoch; 0 when not told). Absent
 * from entries stored before sigsock recorded it.
 */
export interface Delivery {
  senderDevice: number;
  serverReceivedTimestamp: number;
  serverDeliveredTimestamp: number;
}

/**
 * Who said something, when, and in which conversation. What this account sent from another of its
 * devices (a sync transcript from the owner's phone) has this account as `sender`,
 * `sentByThisAccount` set, and the recipient as `destination` (itself for Note to Self; null in a
 * group, where `groupId` names the conversation).
 */
export interface Origin {
  sender: Party;
  /** The sender's timestamp: the id of what was sent, in its conversation (reactions and quotes name it). */
  timestamp: number;
  /** The group's id (base64); null for a direct conversation. */
  groupId: string | null;
  sentByThisAccount: boolean;
  destination: Party | null;
  delivery?: Delivery;
}

/** A message sent to this account, directly or in a group, or sent by it from another device. */
export interface ReceivedMessage extends MessageParts, Origin {
  kind: 'message';
  /**
   * A registered account's message from someone it never wrote to nor accepted (messageRequests.ts):
   * a message request. Absent otherwise.
   */
  messageRequest?: true;
}

/** A message replaced by new content (its `MessageParts`); `reaction` is always null. */
export interface MessageEdit extends MessageParts, Origin {
  kind: 'edit';
  /** The sent timestamp of the message edited (the original's, also for a second edit). */
  targetTimestamp: number;
}

/** The sender took back a message they had sent ("delete for everyone"). */
export interface RemoteDelete extends Origin {
  kind: 'remoteDelete';
  targetTimestamp: number;
}

/** The conversation's disappearing-message timer was set (0: off). */
export interface TimerChange extends Origin {
  kind: 'timerChange';
  expiresInSeconds: number;
}

export type ReceiptKind = 'delivery' | 'read' | 'viewed';

/** The sender's device got, read or viewed this account's messages with these sent timestamps. */
export interface Receipt {
  kind: 'receipt';
  sender: Party;
  delivery?: Delivery;
  /** When the receipt was sent. */
  timestamp: number;
  receipt: ReceiptKind;
  targetTimestamps: number[];
}

/**
 * What one group change did, as its group-update message tells it: who made it (`editor`; null when
 * the message did not say) and each thing changed (null or empty: unchanged). `revision` is the
 * group's revision after the change. The group's state itself is `list_groups`'.
 */
export interface GroupChangeDetails {
  revision: number;
  editor: Party | null;
  title: string | null;
  description: string | null;
  /** The group's disappearing-message timer, when the change set it (0: off). */
  expiresInSeconds: number | null;
  membersAdded: Party[];
  membersRemoved: Party[];
  membersInvited: Party[];
  /** Invitations taken back or declined. */
  invitationsRevoked: Party[];
  /** Invited members who accepted. */
  membersJoined: Party[];
  roles: { member: Party; role: 'administrator' | 'member' }[];
}

/** A group changed (title, members, invitations, timer, roles); `groupId` names it. */
export interface GroupChange extends Origin, GroupChangeDetails {
  kind: 'groupChange';
}

/** The owner read or viewed these messages on another of this account's devices. */
export interface ReadSync {
  kind: 'readSync';
  /** This account. */
  sender: Party;
  delivery?: Delivery;
  timestamp: number;
  receipt: 'read' | 'viewed';
  /** Each message by its author and sent timestamp. */
  messages: { author: Party; timestamp: number }[];
}

/**
 * Someone calls, answered, is busy or hung up (metadata only: sigsock takes no calls). `callId` ties
 * the events of one call together (a decimal string: a random 64-bit number).
 */
export interface CallEvent {
  kind: 'call';
  sender: Party;
  delivery?: Delivery;
  timestamp: number;
  event: 'offer' | 'answer' | 'busy' | 'hangup';
  callId: string | null;
  /** For an offer. */
  media: 'audio' | 'video' | null;
  /** For a hangup. */
  hangup: 'normal' | 'accepted' | 'declined' | 'busy' | 'needPermission' | null;
}

/** A MobileCoin payment notification: its note and receipt (base64); sigsock cannot redeem it. */
export interface PaymentNotification extends Origin {
  kind: 'payment';
  note: string | null;
  receipt: string | null;
}

/** A story: only when the daemon was asked to receive stories. */
export interface Story {
  kind: 'story';
  sender: Party;
  delivery?: Delivery;
  timestamp: number;
  groupId: string | null;
  /** A text story's text; null for a file story (its file is the attachment). */
  text: string | null;
  allowsReplies: boolean;
  attachments: ReceivedAttachment[];
}

export interface Typing {
  kind: 'typing';
  sender: Party;
  delivery?: Delivery;
  timestamp: number;
  action: 'started' | 'stopped';
  /** The group typed in; null in a direct conversation. */
  groupId: string | null;
}

/**
 * Something a Signal app would show (or act on) that sigsock does not interpret yet: a call, a
 * sticker, a payment, content of a kind it does not know. `contentKind` names it (see
 * contentInterpreter.ts for the names); the entry exists so that nothing is dropped without a trace.
 */
export interface Unsupported {
  kind: 'unsupported';
  sender: Party;
  delivery?: Delivery;
  timestamp: number;
  contentKind: string;
}

/**
 * Why an envelope could not become a message. `undecryptable`: decryption failed (no session, a
 * changed key, a broken ciphertext). `unparseable`: the envelope or the decrypted content is not
 * valid. The envelope is acknowledged either way: a redelivery would fail the same way.
 */
export type FailureKind = 'undecryptable' | 'unparseable';

export interface ReceiveFailure {
  kind: 'failure';
  failure: FailureKind;
  /** The sender's service id when it was known (unknown in entries queued before version 2). */
  senderServiceId: string | null;
  /** A sentence for people: what failed, from whom, and the underlying error. */
  reason: string;
}

export type InboxEntry =
  | ReceivedMessage
  | MessageEdit
  | RemoteDelete
  | TimerChange
  | GroupChange
  | Receipt
  | ReadSync
  | Typing
  | CallEvent
  | PaymentNotification
  | Story
  | Unsupported
  | ReceiveFailure;

/** The kinds that carry attachments. */
export type EntryWithAttachments = ReceivedMessage | MessageEdit | Story;

export type InboxEntryKind = InboxEntry['kind'];

/** For exhaustive switches over `kind`: a new variant not handled is a compile error there. */
export function unhandledKind(entry: never): never {
  throw new Error(`unhandled inbox entry kind: ${(entry as { kind?: unknown }).kind as string}`);
}
