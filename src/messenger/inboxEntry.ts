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

export type InboxEntry = ReceivedMessage | MessageEdit | RemoteDelete | TimerChange | Receipt | Typing | Unsupported | ReceiveFailure;

/** The kinds that carry attachments. */
export type EntryWithAttachments = ReceivedMessage | MessageEdit;

export type InboxEntryKind = InboxEntry['kind'];

/** For exhaustive switches over `kind`: a new variant not handled is a compile error there. */
export function unhandledKind(entry: never): never {
  throw new Error(`unhandled inbox entry kind: ${(entry as { kind?: unknown }).kind as string}`);
}
