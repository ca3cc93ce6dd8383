// The acknowledgement extension for notifications (sigsock's, as the seed socket's `ack`): a client
// that calls `enableAck` (on HTTP: opens `/api/v1/events?ack=true`) gets an `ackId` in each
// notification's params and must call `ack {ackId}` before those entries leave the inbox.
// Unacknowledged ones go back when the connection (the event stream) closes or half-closes, and are
// pushed again to the next client, oldest first. Plain signal-cli clients never opt in and see no
// difference.
import type { PendingAcks } from '../messenger/pendingAcks.js';
import { INVALID_PARAMS, RpcError, USER_ERROR } from './protocol.js';

export const ENABLE_ACK_METHOD = 'enableAck';
export const ACK_METHOD = 'ack';

/**
 * `ack {ackId}` (or `[ackId]`): commits the notifications that carried it, held by one of
 * `holders` (the connection's; on HTTP, the open event streams'). `optIn` says how to opt in.
 */
export function acknowledge(holders: readonly PendingAcks[], params: Record<string, unknown> | unknown[] | undefined, optIn = `call ${ENABLE_ACK_METHOD} first`): Record<string, never> {
  if (holders.length === 0) throw new RpcError(USER_ERROR, `nothing to acknowledge: ${optIn}`);
  const ackId = Array.isArray(params) ? params[0] : params?.ackId;
  if (typeof ackId !== 'string') throw new RpcError(INVALID_PARAMS, 'ack needs params.ackId, the ackId of a notification');
  if (!holders.some((acks) => acks.acknowledge(ackId))) throw new RpcError(USER_ERROR, `unknown ackId ${JSON.stringify(ackId.slice(0, 64))}: already acknowledged, from another connection, or never given`);
  return {};
}
