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
import { decodeGroupAttributeBlob, decodeGroupResponse } from '../proto/index.js';
import { chatJson } from './chatHttp.js';
import type { HttpsClient } from './https.js';
import type { ServerConfig } from './serverConfig.js';

export interface GroupState {
  title: string;
  revision: number;
  /** Service ids (ACIs) of full members, in the server's order. */
  members: string[];
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

const DAY_SECONDS = 86_400;

export class GroupsApi {
  private credential: { day: number; response: Uint8Array } | null = null;

  constructor(
    private readonly config: ServerConfig,
    private readonly https: HttpsClient,
    private readonly identity: { aci: string; pni: string },
  ) {}

  async fetchGroup(chat: ChatConnection, masterKey: Uint8Array): Promise<GroupState> {
    const secretParams = GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(masterKey)));
    const presentation = await this.presentation(chat, secretParams);
    const publicParams = secretParams.getPublicParams().serialize();
    const auth = `${Buffer.from(publicParams).toString('hex')}:${Buffer.from(presentation).toString('hex')}`;
    const res = await this.https({
      method: 'GET',
      url: `${this.config.storageUrl}/v2/groups`,
      headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}`, accept: 'application/x-protobuf' },
      maxBodyBytes: 16 * 1024 * 1024,
    });
    if (res.status === 403) throw new GroupAccessError(403, 'this account is not a member of the group');
    if (res.status === 404) throw new GroupAccessError(404, 'the group does not exist on the server');
    if (res.status !== 200) throw new GroupAccessError(res.status, `group fetch failed: HTTP ${res.status}`);
    const response = decodeGroupResponse(res.body);
    const group = response.group;
    if (!group) throw new Error('group server returned no group');
    const cipher = new ClientZkGroupCipher(secretParams);
    let title = '';
    if (group.title?.length) {
      try {
        title = decodeGroupAttributeBlob(cipher.decryptBlob(new Uint8Array(group.title))).title ?? '';
      } catch {
        title = '';
      }
    }
    const members: string[] = [];
    for (const m of group.members ?? []) {
      if (!m.userId?.length) continue;
      members.push(cipher.decryptServiceId(new UuidCiphertext(new Uint8Array(m.userId))).getServiceIdString());
    }
    const endorsements = response.groupSendEndorsementsResponse?.length ? new Uint8Array(response.groupSendEndorsementsResponse) : null;
    return { title, revision: group.version ?? 0, members, endorsements };
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
