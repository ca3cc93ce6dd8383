// What every socket command handler gets and gives back.
import type { InboxLease, Messenger } from '../../messenger/api.js';
import type { PendingAcks } from '../../messenger/pendingAcks.js';
import type { SocketLimits } from '../limits.js';

export type Response = Record<string, unknown>;
export type Request = Record<string, unknown>;

export interface CommandContext {
  messenger: Messenger;
  limits: Pick<SocketLimits, 'maxAttachmentBytes' | 'maxReceiveTimeoutMs'>;
  /** Aborted when the client is gone or the server shuts down: stop waiting for messages. */
  signal?: AbortSignal;
  /** This connection's leases waiting for an `ack` (receive_messages with `ack: true`). */
  acks?: PendingAcks;
}

/** The answer's fields after its head; `lease` (receive_messages) is committed once they are written. */
export interface HandlerResult {
  fields: Response;
  lease?: InboxLease;
}

export type Handler = (request: Request, ctx: CommandContext) => Promise<HandlerResult>;
