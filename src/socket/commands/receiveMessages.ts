// receive_messages: {timeout (ms), ignoreAttachments, ack} → a lease of the inbox, written as messages[].
import type { InboxLease } from '../../messenger/api.js';
import { CommandArguments, receive } from '../../messenger/commands/index.js';
import { encodeEntry } from '../entryEncoder.js';
import type { Handler } from './context.js';

export const receiveMessages: Handler = async (request, ctx) => {
  const params = receive.parse(new CommandArguments({ timeout: request.timeout, ignoreAttachments: request.ignoreAttachments }), ctx.limits);
  const ignoreAttachments = params.ignoreAttachments;

  let lease: InboxLease;
  try {
    lease = await receive.run(ctx.messenger, { ...params, timeoutMs: Math.min(params.timeoutMs, ctx.limits.maxReceiveTimeoutMs) }, { signal: ctx.signal });
  } catch (err) {
    // Waiting was cut short (client gone, daemon stopping): nothing was taken, so nothing to report.
    if (ctx.signal?.aborted) return { fields: { messages: [] } };
    throw err;
  }
  const messages = lease.entries.map((entry) => encodeEntry(entry, { attachmentData: !ignoreAttachments }));
  if (request.ack === true && ctx.acks && lease.entries.length > 0) {
    // Kept until the client acknowledges; the connection releases it if that never comes.
    return { fields: { messages, ackId: ctx.acks.hold(lease) } };
  }
  return { fields: { messages }, lease };
};
