// What the engine hands out for a received envelope: a domain value, discriminated by `kind`, that
// each front-end encodes in its own wire shape (socket/entryEncoder.ts for the seed's protocol).
// Nothing here knows a protocol's status codes or field names.
//
// Adding a kind (the next ones: edits, remote deletes, receipts, typing, sync transcripts of what
// this account sent from another device, group changes, timer changes) is adding a variant to
// `InboxEntry`: every encoder switches on `kind` exhaustively, so the compiler lists what to extend.
// Parts shared by several kinds (`Party`, `MessageParts`) are separate types for that reason: an edit
// will carry new `MessageParts`, a sync transcript a `MessageParts` with a destination.

/** An account as a message named it: its ACI always, its phone number when known. */
export interface Party {
  aci: string;
  e164: string | null;
}

export interface ReceivedAttachment {
  /** The decrypted bytes; null when they could not be had (then `error` says why). */
  data: Uint8Array | null;
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

/** What a Signal message carries. */
export interface MessageParts {
  body: string | null;
  attachments: ReceivedAttachment[];
  reaction: Reaction | null;
}

/** A message a contact sent to this account, directly or in a group. */
export interface ReceivedMessage extends MessageParts {
  kind: 'message';
  sender: Party;
  /** The sender's timestamp: the message's id in its conversation (reactions and quotes name it). */
  timestamp: number;
  /** The group's id (base64); null for a direct message. */
  groupId: string | null;
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

export type InboxEntry = ReceivedMessage | ReceiveFailure;

export type InboxEntryKind = InboxEntry['kind'];

/** For exhaustive switches over `kind`: a new variant not handled is a compile error there. */
export function unhandledKind(entry: never): never {
  throw new Error(`unhandled inbox entry kind: ${(entry as { kind?: unknown }).kind as string}`);
}
