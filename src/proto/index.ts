// Typed encode/decode for the messages of signal.proto. The schema is parsed once, on first use,
// with protobufjs reflection (no generated code to keep in step with the .proto file).
//
// Decoded objects are plain: absent fields stay absent (so `?.` tells "not sent" from "sent
// empty"), enums are numbers, bytes are Uint8Array views into the input, and 64-bit integers are
// JavaScript numbers (millisecond timestamps are far below 2^53). The one exception is the legacy
// `AttachmentPointer.cdnId`, a random 64-bit id that a number would round: it is a decimal string.
// Unknown fields are skipped, as protobuf requires.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';

let library: typeof protobuf | undefined;
let parsed: protobuf.Root | undefined;

/**
 * protobufjs and the schema, loaded and parsed on first use (~20 ms and ~10–20 ms of CPU): a
 * daemon answers its first request before it needs protobuf, so start-up does not wait for them
 * (docs/benchmarks.md). protobufjs is CommonJS, so a synchronous require can load it late.
 */
function protobufjs(): typeof protobuf {
  return (library ??= createRequire(import.meta.url)('protobufjs') as typeof protobuf);
}

function schema(): protobuf.Root {
  if (!parsed) {
    parsed = protobufjs().parse(readFileSync(new URL('./signal.proto', import.meta.url), 'utf8'), { keepCase: true }).root;
    parsed.resolveAll();
  }
  return parsed;
}

type Bytes = Uint8Array;

// ---------------------------------------------------------------- message shapes

export interface Envelope {
  type?: number;
  clientTimestamp?: number;
  sourceDevice?: number;
  content?: Bytes;
  serverGuid?: string;
  serverTimestamp?: number;
  sourceServiceId?: string;
  ephemeral?: boolean;
  destinationServiceId?: string;
  urgent?: boolean;
  updatedPni?: string;
  story?: boolean;
  reportSpamToken?: Bytes;
  sourceServiceIdBinary?: Bytes;
  destinationServiceIdBinary?: Bytes;
  serverGuidBinary?: Bytes;
  updatedPniBinary?: Bytes;
}

export interface AttachmentPointer {
  /** Legacy CDN 0 id, as a decimal string (it does not fit a double). */
  cdnId?: string;
  cdnKey?: string;
  contentType?: string;
  key?: Bytes;
  size?: number;
  thumbnail?: Bytes;
  digest?: Bytes;
  fileName?: string;
  flags?: number;
  width?: number;
  height?: number;
  caption?: string;
  blurHash?: string;
  uploadTimestamp?: number;
  cdnNumber?: number;
  chunkSize?: number;
  incrementalMac?: Bytes;
  clientUuid?: Bytes;
}

export interface GroupContextV2 {
  masterKey?: Bytes;
  revision?: number;
  groupChange?: Bytes;
}

export interface Quote {
  id?: number;
  text?: string;
  /** QuotedAttachment messages, undecoded. */
  attachments?: Bytes[];
  authorAci?: string;
  type?: number;
  authorAciBinary?: Bytes;
}

export interface Reaction {
  emoji?: string;
  remove?: boolean;
  targetAuthorAci?: string;
  targetSentTimestamp?: number;
  targetAuthorAciBinary?: Bytes;
}

/** A mention (one of the `mentionAci` fields) or a text style of the body's [start, start + length). */
export interface BodyRange {
  start?: number;
  length?: number;
  mentionAci?: string;
  /** One of {@link BodyRangeStyle}. */
  style?: number;
  mentionAciBinary?: Bytes;
}

export interface DataMessage {
  body?: string;
  attachments?: AttachmentPointer[];
  /** Bit set of {@link DataMessageFlags}. */
  flags?: number;
  expireTimer?: number;
  profileKey?: Bytes | null;
  timestamp?: number;
  quote?: Quote;
  contact?: SharedContact[];
  preview?: Preview[];
  sticker?: Sticker;
  requiredProtocolVersion?: number;
  isViewOnce?: boolean;
  groupV2?: GroupContextV2;
  reaction?: Reaction;
  delete?: { targetSentTimestamp?: number };
  bodyRanges?: BodyRange[];
  groupCallUpdate?: Bytes;
  payment?: Payment;
  storyContext?: Bytes;
  giftBadge?: Bytes;
  expireTimerVersion?: number;
}

export interface Sticker {
  packId?: Bytes;
  packKey?: Bytes;
  stickerId?: number;
  data?: AttachmentPointer;
  emoji?: string;
}

export interface Preview {
  url?: string;
  title?: string;
  image?: AttachmentPointer;
  description?: string;
  date?: number;
}

export interface ContactField {
  value?: string;
  /** 1 home, 2 mobile, 3 work, 4 custom (then `label`). */
  type?: number;
  label?: string;
}

export interface PostalAddress {
  /** 1 home, 2 work, 3 custom. */
  type?: number;
  label?: string;
  street?: string;
  pobox?: string;
  neighborhood?: string;
  city?: string;
  region?: string;
  postcode?: string;
  country?: string;
}

export interface SharedContact {
  name?: { givenName?: string; familyName?: string; prefix?: string; suffix?: string; middleName?: string; nickname?: string };
  number?: ContactField[];
  email?: ContactField[];
  address?: PostalAddress[];
  avatar?: { avatar?: AttachmentPointer; isProfile?: boolean };
  organization?: string;
}

export interface Payment {
  notification?: { mobileCoin?: { receipt?: Bytes }; note?: string };
  /** Type 0: a request to activate payments; 1: payments activated. */
  activation?: { type?: number };
}

/** Call signalling; ids are decimal strings (random 64-bit numbers). */
export interface CallMessage {
  /** type 0 audio, 1 video. */
  offer?: { id?: string; type?: number; opaque?: Bytes };
  answer?: { id?: string; opaque?: Bytes };
  iceUpdate?: { id?: string; opaque?: Bytes }[];
  busy?: { id?: string };
  /** type: 0 normal, 1 accepted, 2 declined, 3 busy, 4 need permission. */
  hangup?: { id?: string; type?: number; deviceId?: number };
  destinationDeviceId?: number;
  opaque?: Bytes;
}

export interface StoryMessage {
  profileKey?: Bytes;
  group?: GroupContextV2;
  fileAttachment?: AttachmentPointer;
  textAttachment?: { text?: string };
  allowsReplies?: boolean;
}

export interface EditMessage {
  targetSentTimestamp?: number;
  dataMessage?: DataMessage;
}

export interface UnidentifiedDeliveryStatus {
  unidentified?: boolean;
  destinationServiceId?: string;
  destinationPniIdentityKey?: Bytes;
  destinationServiceIdBinary?: Bytes;
}

export interface SentTranscript {
  destinationE164?: string;
  timestamp?: number;
  message?: DataMessage;
  expirationStartTimestamp?: number;
  unidentifiedStatus?: UnidentifiedDeliveryStatus[];
  isRecipientUpdate?: boolean;
  destinationServiceId?: string;
  editMessage?: EditMessage;
  destinationServiceIdBinary?: Bytes;
}

/** One message someone read or viewed: its author and sent timestamp. */
export interface MessageRef {
  timestamp?: number;
  senderAci?: string;
  senderAciBinary?: Bytes;
}

export interface SyncMessage {
  sent?: SentTranscript;
  contacts?: { blob?: AttachmentPointer; complete?: boolean };
  request?: { type?: number };
  read?: MessageRef[];
  blocked?: { numbers?: string[]; groupIds?: Bytes[]; acis?: string[]; acisBinary?: Bytes[] };
  padding?: Bytes;
  configuration?: { readReceipts?: boolean; unidentifiedDeliveryIndicators?: boolean; typingIndicators?: boolean; linkPreviews?: boolean };
  fetchLatest?: { type?: number };
  keys?: { master?: Bytes; accountEntropyPool?: string; mediaRootBackupKey?: Bytes };
  messageRequestResponse?: { threadAci?: string; groupId?: Bytes; type?: number; threadAciBinary?: Bytes };
  viewed?: MessageRef[];
}

export interface Content {
  dataMessage?: DataMessage;
  syncMessage?: SyncMessage;
  callMessage?: CallMessage;
  nullMessage?: { padding?: Bytes };
  receiptMessage?: { type?: number; timestamp?: number[] };
  typingMessage?: { timestamp?: number; action?: number; groupId?: Bytes };
  senderKeyDistributionMessage?: Bytes;
  decryptionErrorMessage?: Bytes;
  storyMessage?: StoryMessage;
  pniSignatureMessage?: { pni?: Bytes; signature?: Bytes };
  editMessage?: EditMessage;
}

export interface ContactDetails {
  number?: string;
  name?: string;
  avatar?: { contentType?: string; length?: number };
  profileKey?: Bytes;
  expireTimer?: number;
  aci?: string;
  inboxPosition?: number;
  expireTimerVersion?: number;
  aciBinary?: Bytes;
}

export interface ProvisioningAddress {
  address?: string;
}

export interface ProvisionEnvelope {
  publicKey?: Bytes;
  body?: Bytes;
}

export interface ProvisionMessage {
  aciIdentityKeyPublic?: Bytes;
  aciIdentityKeyPrivate?: Bytes;
  number?: string;
  provisioningCode?: string;
  userAgent?: string;
  profileKey?: Bytes;
  readReceipts?: boolean;
  aci?: string;
  provisioningVersion?: number;
  pni?: string;
  pniIdentityKeyPublic?: Bytes;
  pniIdentityKeyPrivate?: Bytes;
  masterKey?: Bytes;
  ephemeralBackupKey?: Bytes;
  accountEntropyPool?: string;
  mediaRootBackupKey?: Bytes;
  aciBinary?: Bytes;
  pniBinary?: Bytes;
  authCredentialSalt?: Bytes;
}

export interface DeviceName {
  ephemeralPublic?: Bytes;
  syntheticIv?: Bytes;
  ciphertext?: Bytes;
}

export interface AccessControl {
  attributes?: number;
  members?: number;
  addFromInviteLink?: number;
  memberLabel?: number;
}

export interface Member {
  userId?: Bytes;
  role?: number;
  profileKey?: Bytes;
  presentation?: Bytes;
  joinedAtVersion?: number;
}

export interface MemberPendingProfileKey {
  member?: Member;
  addedByUserId?: Bytes;
  timestamp?: number;
}

export interface MemberPendingAdminApproval {
  userId?: Bytes;
  profileKey?: Bytes;
  presentation?: Bytes;
  timestamp?: number;
}

export interface MemberBanned {
  userId?: Bytes;
  timestamp?: number;
}

export interface Group {
  publicKey?: Bytes;
  title?: Bytes;
  avatarUrl?: string;
  disappearingMessagesTimer?: Bytes;
  accessControl?: AccessControl;
  version?: number;
  members?: Member[];
  membersPendingProfileKey?: MemberPendingProfileKey[];
  membersPendingAdminApproval?: MemberPendingAdminApproval[];
  inviteLinkPassword?: Bytes;
  description?: Bytes;
  announcementsOnly?: boolean;
  membersBanned?: MemberBanned[];
  terminated?: boolean;
}

/** Exactly one of the fields is set (a oneof on the wire). */
export interface GroupAttributeBlob {
  title?: string;
  avatar?: Bytes;
  disappearingMessagesDuration?: number;
  descriptionText?: string;
}

/** Only the actions sigsock reads or writes are typed; the others are kept as opaque bytes. */
export interface GroupChangeActions {
  sourceUserId?: Bytes;
  version?: number;
  addMembers?: { added?: Member; joinFromInviteLink?: boolean }[];
  deleteMembers?: { deletedUserId?: Bytes }[];
  modifyMemberRoles?: { userId?: Bytes; role?: number }[];
  modifyMemberProfileKeys?: { presentation?: Bytes; userId?: Bytes; profileKey?: Bytes }[];
  addMembersPendingProfileKey?: { added?: MemberPendingProfileKey }[];
  deleteMembersPendingProfileKey?: { deletedUserId?: Bytes }[];
  promoteMembersPendingProfileKey?: { presentation?: Bytes; userId?: Bytes; profileKey?: Bytes }[];
  modifyTitle?: { title?: Bytes };
  modifyDisappearingMessageTimer?: { timer?: Bytes };
  modifyDescription?: { description?: Bytes };
  groupId?: Bytes;
}

export interface GroupChange {
  /** Encoded {@link GroupChangeActions}; the server's signature covers these exact bytes. */
  actions?: Bytes;
  serverSignature?: Bytes;
  changeEpoch?: number;
}

export interface GroupChanges {
  groupChanges?: { groupChange?: GroupChange; groupState?: Group }[];
  groupSendEndorsementsResponse?: Bytes;
}

export interface GroupResponse {
  group?: Group;
  groupSendEndorsementsResponse?: Bytes;
}

export interface GroupChangeResponse {
  groupChange?: GroupChange;
  groupSendEndorsementsResponse?: Bytes;
}

export interface StorageManifest {
  version?: number;
  value?: Bytes;
}

export interface ManifestRecord {
  version?: number;
  identifiers?: { raw?: Bytes; type?: number }[];
  sourceDevice?: number;
  recordIkm?: Bytes;
}

export interface ReadOperation {
  readKey?: Bytes[];
}

export interface StorageItems {
  items?: { key?: Bytes; value?: Bytes }[];
}

export interface ContactRecord {
  aci?: string;
  e164?: string;
  profileKey?: Bytes;
  givenName?: string;
  familyName?: string;
  blocked?: boolean;
  whitelisted?: boolean;
  systemGivenName?: string;
  systemFamilyName?: string;
  systemNickname?: string;
  nickname?: { given?: string; family?: string };
  aciBinary?: Bytes;
}

export interface StorageRecord {
  contact?: ContactRecord;
  groupV2?: { masterKey?: Bytes; blocked?: boolean };
}

// ---------------------------------------------------------------- enum values

export const EnvelopeType = { UNKNOWN: 0, CIPHERTEXT: 1, PREKEY_BUNDLE: 3, SERVER_DELIVERY_RECEIPT: 5, UNIDENTIFIED_SENDER: 6, PLAINTEXT_CONTENT: 8 } as const;
export const DataMessageFlags = { END_SESSION: 1, EXPIRATION_TIMER_UPDATE: 2, PROFILE_KEY_UPDATE: 4 } as const;
export const BodyRangeStyle = { NONE: 0, BOLD: 1, ITALIC: 2, SPOILER: 3, STRIKETHROUGH: 4, MONOSPACE: 5 } as const;
export const ReceiptType = { DELIVERY: 0, READ: 1, VIEWED: 2 } as const;
export const TypingAction = { STARTED: 0, STOPPED: 1 } as const;
export const SyncRequestType = { UNKNOWN: 0, CONTACTS: 1, BLOCKED: 3, CONFIGURATION: 4, KEYS: 5 } as const;
export const MemberRole = { UNKNOWN: 0, DEFAULT: 1, ADMINISTRATOR: 2 } as const;
export const StorageItemType = { UNKNOWN: 0, CONTACT: 1, GROUPV1: 2, GROUPV2: 3, ACCOUNT: 4 } as const;
export const AccessRequired = { UNKNOWN: 0, ANY: 1, MEMBER: 2, ADMINISTRATOR: 3, UNSATISFIABLE: 4 } as const;

// ---------------------------------------------------------------- codecs

export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

type Plain = Record<string, unknown>;

// 64-bit fields decode as strings first (exact), then those that hold timestamps and counters
// become numbers. fixed64 is Signal's type for random ids (cdnId), which stay strings, as do
// fields marked `[jstype = JS_STRING]` (call ids).
const WIDE_AS_NUMBER = new Set(['uint64', 'int64', 'sint64', 'sfixed64']);

interface NumberPlan {
  numbers: string[];
  nested: [string, NumberPlan][];
}

const plans = new Map<protobuf.Type, NumberPlan>();

function numberPlan(type: protobuf.Type): NumberPlan {
  const known = plans.get(type);
  if (known) return known;
  // Registered before the fields are walked: DataMessage ↔ EditMessage is a cycle.
  const plan: NumberPlan = { numbers: [], nested: [] };
  plans.set(type, plan);
  for (const field of type.fieldsArray) {
    const exact = (field.options as { jstype?: string } | undefined)?.jstype === 'JS_STRING';
    if (WIDE_AS_NUMBER.has(field.type) && !exact) plan.numbers.push(field.name);
    else if (field.resolvedType instanceof protobufjs().Type) plan.nested.push([field.name, numberPlan(field.resolvedType)]);
  }
  return plan;
}

function widenToNumbers(value: Plain, plan: NumberPlan): void {
  for (const name of plan.numbers) {
    const v = value[name];
    if (Array.isArray(v)) value[name] = v.map(Number);
    else if (v !== undefined) value[name] = Number(v);
  }
  for (const [name, inner] of plan.nested) {
    const v = value[name];
    if (Array.isArray(v)) for (const item of v as Plain[]) widenToNumbers(item, inner);
    else if (v !== undefined) widenToNumbers(v as Plain, inner);
  }
}

/** A codec for one message of signal.proto, by its name inside the package (e.g. "SyncMessage.Sent"). */
export function codec<T extends object>(name: string): Codec<T> {
  let resolved: { type: protobuf.Type; plan: NumberPlan } | undefined;
  const lookup = () => {
    if (!resolved) {
      const type = schema().lookupType(`signalservice.${name}`);
      resolved = { type, plan: numberPlan(type) };
    }
    return resolved;
  };
  return {
    encode: (value) => {
      const { type } = lookup();
      return type.encode(type.fromObject(value as Plain)).finish();
    },
    decode: (bytes) => {
      const { type, plan } = lookup();
      const plain = type.toObject(type.decode(bytes), { longs: String, enums: Number, defaults: false, arrays: false }) as Plain;
      widenToNumbers(plain, plan);
      return plain as T;
    },
  };
}

export const { encode: encodeEnvelope, decode: decodeEnvelope } = codec<Envelope>('Envelope');
export const { encode: encodeContent, decode: decodeContent } = codec<Content>('Content');
export const { encode: encodeDataMessage, decode: decodeDataMessage } = codec<DataMessage>('DataMessage');
export const { encode: encodeAttachmentPointer, decode: decodeAttachmentPointer } = codec<AttachmentPointer>('AttachmentPointer');
export const { encode: encodeContactDetails, decode: decodeContactDetails } = codec<ContactDetails>('ContactDetails');
export const { encode: encodeProvisioningAddress, decode: decodeProvisioningAddress } = codec<ProvisioningAddress>('ProvisioningAddress');
export const { encode: encodeProvisionEnvelope, decode: decodeProvisionEnvelope } = codec<ProvisionEnvelope>('ProvisionEnvelope');
export const { encode: encodeProvisionMessage, decode: decodeProvisionMessage } = codec<ProvisionMessage>('ProvisionMessage');
export const { encode: encodeDeviceName, decode: decodeDeviceName } = codec<DeviceName>('DeviceName');
export const { encode: encodeMember, decode: decodeMember } = codec<Member>('Member');
export const { encode: encodeGroup, decode: decodeGroup } = codec<Group>('Group');
export const { encode: encodeGroupAttributeBlob, decode: decodeGroupAttributeBlob } = codec<GroupAttributeBlob>('GroupAttributeBlob');
export const { encode: encodeGroupChange, decode: decodeGroupChange } = codec<GroupChange>('GroupChange');
export const { encode: encodeGroupChangeActions, decode: decodeGroupChangeActions } = codec<GroupChangeActions>('GroupChange.Actions');
export const { encode: encodeGroupChanges, decode: decodeGroupChanges } = codec<GroupChanges>('GroupChanges');
export const { encode: encodeGroupResponse, decode: decodeGroupResponse } = codec<GroupResponse>('GroupResponse');
export const { encode: encodeGroupChangeResponse, decode: decodeGroupChangeResponse } = codec<GroupChangeResponse>('GroupChangeResponse');

export const { encode: encodeStorageManifest, decode: decodeStorageManifest } = codec<StorageManifest>('StorageManifest');
export const { encode: encodeManifestRecord, decode: decodeManifestRecord } = codec<ManifestRecord>('ManifestRecord');
export const { encode: encodeReadOperation, decode: decodeReadOperation } = codec<ReadOperation>('ReadOperation');
export const { encode: encodeStorageItems, decode: decodeStorageItems } = codec<StorageItems>('StorageItems');
export const { encode: encodeStorageRecord, decode: decodeStorageRecord } = codec<StorageRecord>('StorageRecord');

/** The enum values the schema declares, by enum name (e.g. "Envelope.Type"); tests hold the constants above to it. */
export function schemaEnum(name: string): Readonly<Record<string, number>> {
  return schema().lookupEnum(`signalservice.${name}`).values;
}
