// Typed encode/decode for the messages of signal.proto. The schema is parsed once at start-up
// (protobufjs reflection); uint64 fields come out as JavaScript numbers (ms timestamps fit).
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const root = protobuf.parse(readFileSync(new URL('./signal.proto', import.meta.url), 'utf8'), { keepCase: true }).root;

type Bytes = Uint8Array;

export interface AttachmentPointer {
  cdnId?: number;
  cdnKey?: string;
  contentType?: string;
  key?: Bytes;
  size?: number;
  digest?: Bytes;
  fileName?: string;
  flags?: number;
  width?: number;
  height?: number;
  caption?: string;
  uploadTimestamp?: number;
  cdnNumber?: number;
  incrementalMac?: Bytes;
  chunkSize?: number;
}

export interface GroupContextV2 {
  masterKey?: Bytes;
  revision?: number;
  groupChange?: Bytes;
}

export interface Reaction {
  emoji?: string;
  remove?: boolean;
  targetAuthorAci?: string;
  targetSentTimestamp?: number;
  targetAuthorAciBinary?: Bytes;
}

export interface DataMessage {
  body?: string;
  attachments?: AttachmentPointer[];
  flags?: number;
  expireTimer?: number;
  profileKey?: Bytes | null;
  timestamp?: number;
  groupV2?: GroupContextV2;
  reaction?: Reaction;
  delete?: { targetSentTimestamp?: number };
  isViewOnce?: boolean;
}

export interface UnidentifiedDeliveryStatus {
  unidentified?: boolean;
  destinationServiceId?: string;
  destinationServiceIdBinary?: Bytes;
}

export interface SyncMessage {
  sent?: {
    destinationE164?: string;
    destinationServiceId?: string;
    destinationServiceIdBinary?: Bytes;
    timestamp?: number;
    message?: DataMessage;
    unidentifiedStatus?: UnidentifiedDeliveryStatus[];
    isRecipientUpdate?: boolean;
  };
  contacts?: { blob?: AttachmentPointer; complete?: boolean };
  request?: { type?: number };
  read?: { timestamp?: number; senderAci?: string; senderAciBinary?: Bytes }[];
  padding?: Bytes;
}

export interface Content {
  dataMessage?: DataMessage;
  syncMessage?: SyncMessage;
  callMessage?: Bytes;
  nullMessage?: { padding?: Bytes };
  receiptMessage?: { type?: number; timestamp?: number[] };
  typingMessage?: { timestamp?: number; action?: number; groupId?: Bytes };
  senderKeyDistributionMessage?: Bytes;
  decryptionErrorMessage?: Bytes;
  storyMessage?: Bytes;
  editMessage?: { targetSentTimestamp?: number; dataMessage?: DataMessage };
}

export interface Envelope {
  type?: number;
  clientTimestamp?: number;
  sourceDevice?: number;
  content?: Bytes;
  serverGuid?: string;
  serverTimestamp?: number;
  sourceServiceId?: string;
  destinationServiceId?: string;
  urgent?: boolean;
  story?: boolean;
  sourceServiceIdBinary?: Bytes;
  destinationServiceIdBinary?: Bytes;
}

export interface ContactDetails {
  number?: string;
  name?: string;
  avatar?: { contentType?: string; length?: number };
  aci?: string;
  aciBinary?: Bytes;
  profileKey?: Bytes;
}

export interface ProvisionEnvelope {
  publicKey?: Bytes;
  body?: Bytes;
}

export interface ProvisionMessage {
  aciIdentityKeyPublic?: Bytes;
  aciIdentityKeyPrivate?: Bytes;
  pniIdentityKeyPublic?: Bytes;
  pniIdentityKeyPrivate?: Bytes;
  number?: string;
  provisioningCode?: string;
  profileKey?: Bytes;
  aci?: string;
  pni?: string;
  aciBinary?: Bytes;
  pniBinary?: Bytes;
  masterKey?: Bytes;
  accountEntropyPool?: string;
  provisioningVersion?: number;
}

export interface DeviceName {
  ephemeralPublic?: Bytes;
  syntheticIv?: Bytes;
  ciphertext?: Bytes;
}

export interface Group {
  publicKey?: Bytes;
  title?: Bytes;
  version?: number;
  members?: { userId?: Bytes; role?: number; profileKey?: Bytes; joinedAtVersion?: number }[];
}

export interface GroupResponse {
  group?: Group;
  groupSendEndorsementsResponse?: Bytes;
}

export interface GroupAttributeBlob {
  title?: string;
  descriptionText?: string;
  disappearingMessagesDuration?: number;
}

interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

function codec<T>(name: string): Codec<T> {
  const type = root.lookupType(`signalservice.${name}`);
  return {
    encode: (value) => type.encode(type.fromObject(value as Record<string, unknown>)).finish(),
    // defaults: false keeps absent fields absent, so `?.` tells "not sent" from "sent empty".
    decode: (bytes) => type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: false, arrays: false }) as T,
  };
}

const envelope = codec<Envelope>('Envelope');
const content = codec<Content>('Content');
const attachmentPointer = codec<AttachmentPointer>('AttachmentPointer');
const contactDetails = codec<ContactDetails>('ContactDetails');
const provisionEnvelope = codec<ProvisionEnvelope>('ProvisionEnvelope');
const provisionMessage = codec<ProvisionMessage>('ProvisionMessage');
const deviceName = codec<DeviceName>('DeviceName');
const groupResponse = codec<GroupResponse>('GroupResponse');
const groupAttributeBlob = codec<GroupAttributeBlob>('GroupAttributeBlob');

export const decodeEnvelope = envelope.decode;
export const encodeEnvelope = envelope.encode;
export const decodeContent = content.decode;
export const encodeContent = content.encode;
export const decodeAttachmentPointer = attachmentPointer.decode;
export const encodeAttachmentPointer = attachmentPointer.encode;
export const decodeContactDetails = contactDetails.decode;
export const encodeContactDetails = contactDetails.encode;
export const decodeProvisionEnvelope = provisionEnvelope.decode;
export const encodeProvisionEnvelope = provisionEnvelope.encode;
export const decodeProvisionMessage = provisionMessage.decode;
export const encodeProvisionMessage = provisionMessage.encode;
export const decodeDeviceName = deviceName.decode;
export const encodeDeviceName = deviceName.encode;
export const decodeGroupResponse = groupResponse.decode;
export const decodeGroupAttributeBlob = groupAttributeBlob.decode;
