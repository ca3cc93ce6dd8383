// Message requests, as Signal apps have them, for a registered (primary) account: a direct message
// from someone the owner never wrote to, never accepted and has no name for is queued flagged
// `messageRequest`, so a bot can decide before acting on it. A linked device flags nothing: the
// owner's phone decides there. The response (accept, delete, block) is told to the other devices.
import type { Recipients } from '../store/recipients.js';
import type { Log } from '../util/log.js';
import type { BlockRequest, BlockResult, MessageRequestResponse } from './api.js';
import type { ContentEffects } from './contentInterpreter.js';
import { encodeContent } from '../proto/index.js';

export type { MessageRequestResponse } from './api.js';

/** SyncMessage.MessageRequestResponse.Type */
const RESPONSE_TYPE: Record<MessageRequestResponse, number> = { accept: 1, delete: 2, block: 3 };

export interface MessageRequestsDeps {
  recipients: Pick<Recipients, 'byAci' | 'setAccepted'>;
  localAci: string;
  /** Only a primary device decides on message requests. */
  isPrimary: boolean;
  /** For answers: a recipient's ACI, blocking, and the sync message to the other devices. */
  resolveAci(recipient: string): Promise<string>;
  setBlocked(request: BlockRequest, blocked: boolean): Promise<BlockResult>;
  toOwnDevices(content: Uint8Array): Promise<number>;
  log: Log;
}

export class MessageRequests {
  constructor(private readonly deps: MessageRequestsDeps) {}

  /** `effects` with its entry flagged when it is a message request; otherwise `effects` itself. */
  flag(effects: ContentEffects): ContentEffects {
    const value = effects.entry?.value;
    if (!this.deps.isPrimary || value?.kind !== 'message' || value.groupId !== null || value.sentByThisAccount) return effects;
    if (value.sender.aci === this.deps.localAci || this.isAccepted(value.sender.aci)) return effects;
    return { ...effects, entry: { ...effects.entry!, value: { ...value, messageRequest: true } } };
  }

  isAccepted(aci: string): boolean {
    const r = this.deps.recipients.byAci(aci);
    return r !== undefined && (r.accepted || r.name !== null || r.localName !== null);
  }

  /** The owner wrote to them: their messages are no longer requests. */
  wroteTo(aci: string): void {
    if (!this.isAccepted(aci)) this.deps.recipients.setAccepted(aci);
  }

  /** Applies the owner's answer to a request from `aci` (accept marks them accepted; delete and block do not). */
  respond(aci: string | null, response: MessageRequestResponse): void {
    if (aci && response === 'accept') this.deps.recipients.setAccepted(aci);
  }

  /**
   * The owner's answer to the requests of these recipients and groups: applied here (block blocks
   * them), then told to the other devices, one sync message per conversation. Resolves with how
   * many devices got them; null when telling them failed.
   */
  async answer(request: BlockRequest, response: MessageRequestResponse): Promise<{ syncedDevices: number | null }> {
    if (response === 'block') await this.deps.setBlocked(request, true);
    const threads: ({ aci: string } | { groupId: string })[] = request.groupIds.map((groupId) => ({ groupId }));
    for (const recipient of request.recipients) {
      const aci = await this.deps.resolveAci(recipient);
      this.respond(aci, response);
      threads.push({ aci });
    }
    let syncedDevices: number | null = 0;
    try {
      for (const thread of threads) syncedDevices = await this.deps.toOwnDevices(messageRequestResponseContent(thread, response));
    } catch (err) {
      syncedDevices = null;
      this.deps.log(`message request response: telling this account's other devices failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { syncedDevices };
  }
}

/** The sync message that tells the owner's other devices how a request was answered. */
export function messageRequestResponseContent(target: { aci: string } | { groupId: string }, response: MessageRequestResponse): Uint8Array {
  const thread = 'aci' in target ? { threadAci: target.aci, threadAciBinary: Buffer.from(target.aci.replace(/-/g, ''), 'hex') } : { groupId: Buffer.from(target.groupId, 'base64') };
  return encodeContent({ syncMessage: { messageRequestResponse: { ...thread, type: RESPONSE_TYPE[response] } } });
}
