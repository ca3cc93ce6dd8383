// Group state from the group server (Groups v2): zkgroup auth credentials from the chat
// server, then an HTTPS fetch of the encrypted group, decrypted with the group's master key.
import { Aci, Pni } from '@signalapp/libsignal-client';
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import {
  AuthCredentialWithPniResponse,
  ClientZkAuthOperations,
  ClientZkGroupCipher,
  GroupMasterKey,
  GroupSecretParams,
  ServerPublicParams,
  UuidCiphertext,
} from '@signalapp/libsignal-client/zkgroup.js';
import {
  decodeGroupAttributeBlob,
  decodeGroupChangeActions,
  decodeGroupChangeResponse,
  decodeGroupResponse,
  encodeGroup,
  encodeGroupChange,
  encodeGroupChangeActions,
  MemberRole,
  type Group,
  type GroupChangeActions,
} from '../proto/index.js';
import { chatJson } from './chatHttp.js';
import type { HttpsClient } from './https.js';
import type { ServerConfig } from './serverConfig.js';

export interface GroupState {
  title: string;
  revision: number;
  /** Service ids (ACIs) of full members, in the server's order. */
  members: string[];
  /** The members among them who are administrators. */
  admins: string[];
  /** Invited, not yet members: their service ids (ACI, or `PNI:…`), waiting for their profile key. */
  pendingMembers: string[];
  /** The server's group send endorsements for these members (serialized), when it sent them. */
  endorsements: Uint8Array | null;
}

export class GroupAccessError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'GroupAccessError';
  }
}

/** Someone else changed the group first (HTTP 409): fetch it again and rebuild the change. */
export class GroupConflictError extends Error {
  constructor() {
    super('the group changed on the server meanwhile (revision conflict)');
    this.name = 'GroupConflictError';
  }
}

export interface AppliedChange {
  /** The server-signed GroupChange, encoded: what group-update messages carry. */
  groupChange: Uint8Array;
  /** The actions as the server applied them (it may drop what it does not support). */
  applied: GroupChangeActions;
}

const DAY_SECONDS = 86_400;
const PROTOBUF = 'application/x-protobuf';

export class GroupsApi {
  private credential: { day: number; response: Uint8Array } | null = null;

  constructor(
    private readonly config: ServerConfig,
    private readonly https: HttpsClient,
    private readonly identity: { aci: string; pni: string },
  ) {}

  async fetchGroup(chat: ChatConnection, masterKey: Uint8Array): Promise<GroupState> {
    const secretParams = secretParamsOf(masterKey);
    const res = await this.request(chat, secretParams, 'GET');
    if (res.status === 403) throw new GroupAccessError(403, 'this account is not a member of the group');
    if (res.status === 404) throw new GroupAccessError(404, 'the group does not exist on the server');
    if (res.status !== 200) throw new GroupAccessError(res.status, `group fetch failed: HTTP ${res.status}`);
    return groupStateFrom(secretParams, res.body);
  }

  /** `PUT /v2/groups`: creates the group (revision 0) that `group` describes. */
  async createGroup(chat: ChatConnection, secretParams: GroupSecretParams, group: Group): Promise<GroupState> {
    const res = await this.request(chat, secretParams, 'PUT', encodeGroup(group));
    if (res.status !== 200) throw new GroupAccessError(res.status, `creating the group failed: HTTP ${res.status}${errorText(res.body)}`);
    return groupStateFrom(secretParams, res.body);
  }

  /** `PATCH /v2/groups`: applies `actions` (whose `version` must be the current revision + 1). */
  async modifyGroup(chat: ChatConnection, masterKey: Uint8Array, actions: GroupChangeActions): Promise<AppliedChange> {
    const res = await this.request(chat, secretParamsOf(masterKey), 'PATCH', encodeGroupChangeActions(actions));
    if (res.status === 409) throw new GroupConflictError();
    if (res.status === 403) throw new GroupAccessError(403, 'the group server refused the change: this account may not make it (not a member, or not an administrator)');
    if (res.status !== 200) throw new GroupAccessError(res.status, `changing the group failed: HTTP ${res.status}${errorText(res.body)}`);
    const change = decodeGroupChangeResponse(res.body).groupChange;
    if (!change?.actions) throw new Error('group server returned no signed change');
    return { groupChange: encodeGroupChange(change), applied: decodeGroupChangeActions(change.actions) };
  }

  /** One request to `/v2/groups`, authorised for the group `secretParams` describes; protobuf both ways. */
  private async request(chat: ChatConnection, secretParams: GroupSecretParams, method: 'GET' | 'PUT' | 'PATCH', body?: Uint8Array) {
    const headers: Record<string, string> = { authorization: await this.authorization(chat, secretParams), accept: PROTOBUF };
    if (body) headers['content-type'] = PROTOBUF;
    return this.https({ method, url: `${this.config.storageUrl}/v2/groups`, headers, body, maxBodyBytes: 16 * 1024 * 1024 });
  }

  private async authorization(chat: ChatConnection, secretParams: GroupSecretParams): Promise<string> {
    const presentation = await this.presentation(chat, secretParams);
    const publicParams = secretParams.getPublicParams().serialize();
    const auth = `${Buffer.from(publicParams).toString('hex')}:${Buffer.from(presentation).toString('hex')}`;
    return `Basic ${Buffer.from(auth).toString('base64')}`;
  }

  private async presentation(chat: ChatConnection, secretParams: GroupSecretParams): Promise<Uint8Array> {
    const today = Math.floor(Date.now() / 1000 / DAY_SECONDS) * DAY_SECONDS;
    if (!this.credential || this.credential.day !== today) {
      const res = await chatJson<{ credentials: { credential: string; redemptionTime: number }[] }>(chat, {
        verb: 'GET',
        path: `/v1/certificate/auth/group?redemptionStartSeconds=${today}&redemptionEndSeconds=${today}`,
      });
      const entry = res.credentials.find((c) => c.redemptionTime === today) ?? res.credentials[0];
      if (!entry) throw new Error('the server issued no group credential');
      this.credential = { day: entry.redemptionTime, response: Buffer.from(entry.credential, 'base64') };
    }
    const ops = new ClientZkAuthOperations(new ServerPublicParams(new Uint8Array(this.config.zkgroupServerPublicParams)));
    const credential = ops.receiveAuthCredentialWithPniAsServiceId(
      Aci.fromUuid(this.identity.aci),
      Pni.fromUuid(this.identity.pni),
      this.credential.day,
      new AuthCredentialWithPniResponse(new Uint8Array(this.credential.response)),
    );
    return ops.createAuthCredentialWithPniPresentation(secretParams, credential).serialize();
  }
}

function groupStateFrom(secretParams: GroupSecretParams, body: Uint8Array): GroupState {
  const response = decodeGroupResponse(body);
  if (!response.group) throw new Error('group server returned no group');
  return decryptGroupState(secretParams, response.group, response.groupSendEndorsementsResponse);
}

export function secretParamsOf(masterKey: Uint8Array): GroupSecretParams {
  return GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(masterKey)));
}

/** The group as the server keeps it (encrypted), decrypted with the group's secret params. */
export function decryptGroupState(secretParams: GroupSecretParams, group: Group, endorsements: Uint8Array | undefined): GroupState {
  const cipher = new ClientZkGroupCipher(secretParams);
  let title = '';
  if (group.title?.length) {
    try {
      title = decodeGroupAttributeBlob(cipher.decryptBlob(new Uint8Array(group.title))).title ?? '';
    } catch {
      title = '';
    }
  }
  const decrypt = (userId: Uint8Array) => cipher.decryptServiceId(new UuidCiphertext(new Uint8Array(userId))).getServiceIdString();
  const members: string[] = [];
  const admins: string[] = [];
  for (const m of group.members ?? []) {
    if (!m.userId?.length) continue;
    const id = decrypt(m.userId);
    members.push(id);
    if (m.role === MemberRole.ADMINISTRATOR) admins.push(id);
  }
  const pendingMembers: string[] = [];
  for (const p of group.membersPendingProfileKey ?? []) {
    if (p.member?.userId?.length) pendingMembers.push(decrypt(p.member.userId));
  }
  return {
    title,
    revision: group.version ?? 0,
    members,
    admins,
    pendingMembers,
    endorsements: endorsements?.length ? new Uint8Array(endorsements) : null,
  };
}

function errorText(body: Buffer): string {
  const text = body.toString('utf8').replace(/\s+/g, ' ').slice(0, 200).trim();
  return text && /^[\x20-\x7e]+$/.test(text) ? ` (${text})` : '';
}
