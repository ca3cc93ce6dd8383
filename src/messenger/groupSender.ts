// Sends one Content to a group with sender keys: our sender key goes 1:1 (a
// SenderKeyDistributionMessage) to each member device that does not have it yet, then the message
// itself is encrypted once with the sender key and sent to every member device in a single
// multi-recipient sealed-sender request, authorised by a token made from the group server's send
// endorsements. When any of that is not possible, it falls back to 1:1 delivery per member and
// says why in the log; the caller gets a result per member either way.
import {
  Aci,
  ContentHint,
  ErrorCode,
  LibSignalErrorBase,
  ProtocolAddress,
  SenderKeyDistributionMessage,
  ServiceId,
  UnidentifiedSenderMessageContent,
  groupEncrypt,
  sealedSenderMultiRecipientEncrypt,
} from '@signalapp/libsignal-client';
import {
  GroupMasterKey,
  GroupSecretParams,
  GroupSendEndorsement,
  GroupSendEndorsementsResponse,
  ServerPublicParams,
} from '@signalapp/libsignal-client/zkgroup.js';
import { encodeContent } from '../proto/index.js';
import type { Groups } from '../store/groups.js';
import type { Log } from '../util/log.js';
import { padContent } from '../util/padding.js';
import type { RecipientResult } from './api.js';
import { translateProtocolError, type DeliveryEnvironment } from './deliverer.js';
import type { SendableGroup } from './groupDirectory.js';

export type MemberResult = RecipientResult & { fatal?: Error };

export interface GroupSenderDeps {
  delivery(): DeliveryEnvironment;
  groups: Groups;
  serverPublicParams: Uint8Array;
  /** 1:1 delivery of `content` to every device of one member (sessions set up as needed). */
  sendOneToOne(aci: string, content: Uint8Array, timestamp: number, urgent?: boolean): Promise<MemberResult>;
  /** The member's phone number, when known. */
  numberOf(aci: string): string | null;
  log: Log;
}

export interface GroupSenderStats {
  /** Multi-recipient requests the server accepted. */
  multiRecipientRequests: number;
  /** Group sends that went 1:1 to (some) members instead. */
  fallbacks: number;
  /** Sender key distribution messages sent (one per member that lacked ours). */
  distributions: number;
}

class FallbackReason extends Error {}

export class GroupSender {
  readonly stats: GroupSenderStats = { multiRecipientRequests: 0, fallbacks: 0, distributions: 0 };

  constructor(private readonly deps: GroupSenderDeps) {}

  /**
   * Results in the order of `recipients` (member ACIs, not including the account). Not `urgent`
   * (typing): the server wakes no phone with a push for it.
   */
  async send(group: SendableGroup, recipients: string[], content: Uint8Array, timestamp: number, urgent = true): Promise<MemberResult[]> {
    if (recipients.length === 0) return [];
    const fallback = (targets: string[], reason: string) => this.fallback(targets, content, timestamp, reason, urgent);
    if (!group.endorsements) {
      return fallback(recipients, 'the group server sent no send endorsements for the current member list');
    }
    let prepared: Prepared;
    try {
      prepared = this.prepareToken(group, recipients);
    } catch (err) {
      return fallback(recipients, `the group send endorsements are not usable: ${describe(err)}`);
    }
    const distributionId = this.distributionIdFor(group);
    const failed = new Map<string, MemberResult>();
    let newlyShared: number;
    try {
      newlyShared = await this.distributeKey(distributionId, recipients, failed);
    } catch (err) {
      return fallback(recipients, `could not share our sender key: ${describe(err)}`);
    }
    const targets = recipients.filter((aci) => !failed.has(aci));
    let sent: MemberResult[] = [];
    if (targets.length > 0) {
      try {
        sent = await this.sendMultiRecipient(group, prepared, distributionId, targets, content, timestamp, newlyShared, urgent);
      } catch (err) {
        const reason = err instanceof FallbackReason ? err.message : `the multi-recipient send failed: ${describe(err)}`;
        sent = await fallback(targets, reason);
      }
    }
    const byAci = new Map(sent.map((r) => [r.aci!, r]));
    return recipients.map((aci) => failed.get(aci) ?? byAci.get(aci)!);
  }

  private async fallback(recipients: string[], content: Uint8Array, timestamp: number, reason: string, urgent: boolean): Promise<MemberResult[]> {
    this.stats.fallbacks++;
    this.deps.log(`group send: 1:1 delivery to ${recipients.length} member(s) instead of sender keys: ${reason}`);
    return Promise.all(recipients.map((aci) => this.deps.sendOneToOne(aci, content, timestamp, urgent)));
  }

  private prepareToken(group: SendableGroup, recipients: string[]): Prepared {
    const secretParams = GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(group.masterKey)));
    const response = new GroupSendEndorsementsResponse(new Uint8Array(group.endorsements!));
    const env = this.deps.delivery();
    const received = response.receiveWithServiceIds(
      group.members.map((m) => ServiceId.parseFromServiceIdString(m)),
      Aci.fromUuid(env.localAci),
      secretParams,
      new ServerPublicParams(new Uint8Array(this.deps.serverPublicParams)),
    );
    const byMember = new Map<string, GroupSendEndorsement>();
    group.members.forEach((m, i) => byMember.set(m, received.endorsements[i]!));
    for (const aci of recipients) if (!byMember.has(aci)) throw new Error(`no endorsement for member ${aci}`);
    return { secretParams, expiration: response.getExpiration(), byMember };
  }

  /** Our distribution id for the group; a new one when someone who had our key is no longer a member. */
  private distributionIdFor(group: SendableGroup): string {
    const store = this.deps.groups;
    const current = store.distributionId(group.groupId);
    const holders = [...store.sharedDevices(current).keys()];
    const gone = holders.filter((aci) => !group.members.includes(aci));
    if (gone.length === 0) return current;
    this.deps.log(`group send: ${gone.length} former member(s) hold our sender key; starting a new one`);
    return store.rotateDistributionId(group.groupId);
  }

  /**
   * Sends our sender key to each recipient with a device that lacks it; failures land in `failed`.
   * Returns how many members were sent it.
   */
  private async distributeKey(distributionId: string, recipients: string[], failed: Map<string, MemberResult>): Promise<number> {
    const env = this.deps.delivery();
    const local = ProtocolAddress.new(env.localAci, env.localDeviceId);
    const skdm = await env.protocolLock.run(async () => {
      const batch = env.openBatch();
      try {
        const message = await SenderKeyDistributionMessage.create(local, distributionId, batch.stores.senderKey);
        batch.commit();
        return message.serialize();
      } catch (err) {
        batch.discard();
        throw err;
      }
    });
    const shared = this.deps.groups.sharedDevices(distributionId);
    const live = await liveDevices(env, recipients);
    const lacking = recipients.filter((aci) => {
      const devices = live.get(aci) ?? [];
      const have = shared.get(aci);
      return devices.length === 0 || !have || devices.some((d) => !have.has(d));
    });
    if (lacking.length === 0) return 0;
    let sharedWith = 0;
    const content = encodeContent({ senderKeyDistributionMessage: skdm });
    await Promise.all(
      lacking.map(async (aci) => {
        const result = await this.deps.sendOneToOne(aci, content, Date.now());
        if (!result.success) {
          failed.set(aci, result);
          return;
        }
        this.stats.distributions++;
        sharedWith++;
        const devices = (await liveDevices(env, [aci])).get(aci) ?? [];
        this.deps.groups.markShared(distributionId, aci, devices);
      }),
    );
    return sharedWith;
  }

  private async sendMultiRecipient(
    group: SendableGroup,
    prepared: Prepared,
    distributionId: string,
    targets: string[],
    content: Uint8Array,
    timestamp: number,
    newlyShared: number,
    urgent: boolean,
  ): Promise<MemberResult[]> {
    const env = this.deps.delivery();
    const certificate = await env.senderCertificate();
    const local = ProtocolAddress.new(env.localAci, env.localDeviceId);
    const groupIdBytes = new Uint8Array(Buffer.from(group.groupId, 'base64'));
    const padded = new Uint8Array(padContent(content));
    const live = await liveDevices(env, targets);
    const addresses = targets.flatMap((aci) => (live.get(aci) ?? []).map((d) => ProtocolAddress.new(aci, d)));
    const payload = await env.protocolLock.run(async () => {
      const batch = env.openBatch();
      try {
        const ciphertext = await groupEncrypt(local, distributionId, batch.stores.senderKey, padded);
        const usmc = UnidentifiedSenderMessageContent.new(ciphertext, certificate, ContentHint.Default, groupIdBytes);
        const out = await sealedSenderMultiRecipientEncrypt({
          content: usmc,
          recipients: addresses,
          identityStore: batch.stores.identity,
          sessionStore: batch.stores.session,
        });
        // The sender key's chain advanced: keep that even if the network send fails.
        batch.commit();
        return out;
      } catch (err) {
        batch.discard();
        const translated = translateProtocolError(err, 'a group member');
        throw new FallbackReason(`encrypting with the sender key failed: ${describe(translated)}`);
      }
    });
    const token = GroupSendEndorsement.combine(targets.map((aci) => prepared.byMember.get(aci)!)).toFullToken(prepared.secretParams, prepared.expiration);
    let unregistered: string[];
    try {
      const response = await (await env.unauthChat.get()).sendMultiRecipientMessage({
        payload,
        timestamp,
        auth: token,
        onlineOnly: false,
        urgent,
      });
      unregistered = response.unregisteredIds.map((id) => id.getServiceIdString());
    } catch (err) {
      if (err instanceof LibSignalErrorBase && err.code === ErrorCode.MismatchedDevices) {
        // Their devices changed: they get our key again next time; 1:1 delivery now sorts out sessions.
        for (const entry of (err as unknown as { entries: { account: ServiceId }[] }).entries) {
          this.deps.groups.forgetShared(distributionId, entry.account.getServiceIdString());
        }
        throw new FallbackReason(`the server reported changed devices of some members (${describe(err)})`);
      }
      throw err;
    }
    this.stats.multiRecipientRequests++;
    this.deps.log(
      `group send: sender key to ${targets.length} member(s), ${addresses.length} device(s), in one multi-recipient request (key newly shared with ${newlyShared})` +
        (unregistered.length ? ` (${unregistered.length} no longer registered)` : ''),
    );
    return targets.map((aci) => {
      const base = { recipient: this.deps.numberOf(aci), aci };
      if (unregistered.includes(aci)) return { ...base, success: false, unidentified: true, error: 'not registered with Signal' };
      return { ...base, success: true, unidentified: true };
    });
  }
}

interface Prepared {
  secretParams: GroupSecretParams;
  expiration: Date;
  byMember: Map<string, GroupSendEndorsement>;
}

/** Devices of each member we hold a usable (current) session with. */
async function liveDevices(env: DeliveryEnvironment, acis: string[]): Promise<Map<string, number[]>> {
  return env.protocolLock.run(async () => {
    const batch = env.openBatch();
    const out = new Map<string, number[]>();
    try {
      for (const aci of acis) {
        const devices: number[] = [];
        for (const device of env.sessionDeviceIds(aci)) {
          const record = await batch.stores.session.getSession(ProtocolAddress.new(aci, device));
          if (record?.hasCurrentState()) devices.push(device);
        }
        out.set(aci, devices);
      }
    } finally {
      batch.discard();
    }
    return out;
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
