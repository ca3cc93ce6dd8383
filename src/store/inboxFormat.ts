// How the inbox keeps a received entry: JSON in `inbox.entry`, its version in `inbox.format`.
// Attachments are rows of their own (inbox_attachment), so they are not part of the JSON.
//
// Format 1 (sigsock before the domain entries) kept each entry in the seed protocol's shape;
// `fromFormat1` reads it once, in the migration that converts the queued entries to format 2.

/** The format `insertEntry` writes and `readyEntries` reads. */
export const INBOX_FORMAT = 2;

export interface PartyRecord {
  aci: string;
  e164: string | null;
}

export interface ReactionRecord {
  emoji: string;
  targetAuthor: { aci: string | null; e164: string | null };
  targetTimestamp: number;
  remove: boolean;
}

export interface QuoteRecord {
  targetTimestamp: number;
  targetAuthor: { aci: string | null; e164: string | null };
  text: string | null;
}

export interface MentionRecord {
  mentioned: PartyRecord;
  start: number;
  length: number;
}

export interface TextStyleRecord {
  style: 'bold' | 'italic' | 'spoiler' | 'strikethrough' | 'monospace';
  start: number;
  length: number;
}

/**
 * Fields added to format 2 after its first release are optional here: an entry stored before them
 * lacks them and reads as "none" (no quote, no mentions or styles, no timer, not sent by this
 * account). New kinds of entry are new variants; a release that does not know them never reads them
 * (the inbox is drained by the version that wrote it, or a later one).
 */
export interface OriginRecord {
  sender: PartyRecord;
  timestamp: number;
  groupId: string | null;
  sentByThisAccount?: boolean;
  destination?: PartyRecord | null;
}

/** `image`: the index of the sticker's image in the entry's attachments. */
export interface StickerRecord {
  packId: string;
  packKey: string;
  stickerId: number;
  emoji: string | null;
  image: number | null;
}

/** `image`: the index of the preview's image in the entry's attachments. */
export interface PreviewRecord {
  url: string;
  title: string | null;
  description: string | null;
  date: number | null;
  image: number | null;
}

export interface ContactFieldRecord {
  value: string;
  type: 'HOME' | 'MOBILE' | 'WORK' | 'CUSTOM';
  label: string | null;
}

export interface SharedContactRecord {
  name: { given: string | null; family: string | null; prefix: string | null; suffix: string | null; middle: string | null; nickname: string | null };
  phone: ContactFieldRecord[];
  email: ContactFieldRecord[];
  address: {
    type: 'HOME' | 'WORK' | 'CUSTOM';
    label: string | null;
    street: string | null;
    pobox: string | null;
    neighborhood: string | null;
    city: string | null;
    region: string | null;
    postcode: string | null;
    country: string | null;
  }[];
  organization: string | null;
}

export interface PartsRecord {
  body: string | null;
  reaction: ReactionRecord | null;
  quote?: QuoteRecord | null;
  mentions?: MentionRecord[];
  textStyles?: TextStyleRecord[];
  expiresInSeconds?: number;
  sticker?: StickerRecord | null;
  previews?: PreviewRecord[];
  viewOnce?: boolean;
  sharedContacts?: SharedContactRecord[];
}

export interface MessageRecord extends OriginRecord, PartsRecord {
  kind: 'message';
  messageRequest?: true;
}

export interface EditRecord extends OriginRecord, PartsRecord {
  kind: 'edit';
  targetTimestamp: number;
}

export interface RemoteDeleteRecord extends OriginRecord {
  kind: 'remoteDelete';
  targetTimestamp: number;
}

export interface TimerChangeRecord extends OriginRecord {
  kind: 'timerChange';
  expiresInSeconds: number;
}

export interface ReceiptRecord {
  kind: 'receipt';
  sender: PartyRecord;
  timestamp: number;
  receipt: 'delivery' | 'read' | 'viewed';
  targetTimestamps: number[];
}

export interface GroupChangeRecord extends OriginRecord {
  kind: 'groupChange';
  revision: number;
  editor: PartyRecord | null;
  title: string | null;
  description: string | null;
  expiresInSeconds: number | null;
  membersAdded: PartyRecord[];
  membersRemoved: PartyRecord[];
  membersInvited: PartyRecord[];
  invitationsRevoked: PartyRecord[];
  membersJoined: PartyRecord[];
  roles: { member: PartyRecord; role: 'administrator' | 'member' }[];
}

export interface ReadSyncRecord {
  kind: 'readSync';
  sender: PartyRecord;
  timestamp: number;
  receipt: 'read' | 'viewed';
  messages: { author: PartyRecord; timestamp: number }[];
}

export interface CallRecord {
  kind: 'call';
  sender: PartyRecord;
  timestamp: number;
  event: 'offer' | 'answer' | 'busy' | 'hangup';
  callId: string | null;
  media: 'audio' | 'video' | null;
  hangup: 'normal' | 'accepted' | 'declined' | 'busy' | 'needPermission' | null;
}

export interface PaymentRecord extends OriginRecord {
  kind: 'payment';
  note: string | null;
  receipt: string | null;
}

/** A story's file, when it has one, is the entry's one attachment. */
export interface StoryRecord {
  kind: 'story';
  sender: PartyRecord;
  timestamp: number;
  groupId: string | null;
  text: string | null;
  allowsReplies: boolean;
}

export interface TypingRecord {
  kind: 'typing';
  sender: PartyRecord;
  timestamp: number;
  action: 'started' | 'stopped';
  groupId: string | null;
}

export interface UnsupportedRecord {
  kind: 'unsupported';
  sender: PartyRecord;
  timestamp: number;
  contentKind: string;
}

export interface FailureRecord {
  kind: 'failure';
  failure: 'undecryptable' | 'unparseable';
  senderServiceId: string | null;
  reason: string;
}

/** Format 2: one variant per kind of entry, as the engine's `InboxEntry` without its attachments. */
export type InboxRecord =
  | MessageRecord
  | EditRecord
  | RemoteDeleteRecord
  | TimerChangeRecord
  | GroupChangeRecord
  | ReceiptRecord
  | ReadSyncRecord
  | TypingRecord
  | CallRecord
  | PaymentRecord
  | StoryRecord
  | UnsupportedRecord
  | FailureRecord;

export class InboxFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboxFormatError';
  }
}

/**
 * A format-1 entry as format 2. Format 1 had two shapes: a message (`timestamp`, `sender` = phone
 * number, `senderUuid`, `body`, optional `groupId` and `reaction`), and a failure (`statusCode` 8
 * for "could not decrypt", 10 for "could not parse", with `errorMessage`); no other codes were written.
 */
export function fromFormat1(json: string): InboxRecord {
  const v1 = JSON.parse(json) as Record<string, unknown>;
  if ('statusCode' in v1) {
    const failure = v1.statusCode === 8 ? 'undecryptable' : v1.statusCode === 10 ? 'unparseable' : null;
    if (failure === null || typeof v1.errorMessage !== 'string') throw new InboxFormatError(`a queued entry is not in format 1: ${describeKeys(v1)}`);
    return { kind: 'failure', failure, senderServiceId: null, reason: v1.errorMessage };
  }
  if (typeof v1.timestamp !== 'number' || typeof v1.senderUuid !== 'string') throw new InboxFormatError(`a queued entry is not in format 1: ${describeKeys(v1)}`);
  const r = v1.reaction as { emoji: string; author: string | null; authorUuid: string | null; timestamp: number; remove: boolean } | undefined;
  return {
    kind: 'message',
    sender: { aci: v1.senderUuid, e164: (v1.sender as string | null) ?? null },
    timestamp: v1.timestamp,
    groupId: (v1.groupId as string | undefined) ?? null,
    body: (v1.body as string | null) ?? null,
    reaction: r ? { emoji: r.emoji, targetAuthor: { aci: r.authorUuid, e164: r.author }, targetTimestamp: r.timestamp, remove: r.remove } : null,
  };
}

/** The keys only: an entry's values are message content, which stays out of errors and logs. */
function describeKeys(value: Record<string, unknown>): string {
  return `keys ${Object.keys(value).join(', ') || '(none)'}`;
}
