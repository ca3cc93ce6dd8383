// ack (extension): the client has processed the messages of an answer with this `ackId`. A
// connection's own bookkeeping, not an engine command.
import { ProtocolError, StatusCode } from '../statusCodes.js';
import type { Handler } from './context.js';

export const ack: Handler = async (request, ctx) => {
  if (typeof request.ackId !== 'string' || !ctx.acks?.acknowledge(request.ackId)) {
    throw new ProtocolError(StatusCode.UNKNOWN, 'unknown ackId: acknowledge on the same connection, once, with the ackId of a receive_messages answer');
  }
  return { fields: {} };
};
