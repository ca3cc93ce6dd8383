// receive_messages: {timeout (ms), ignoreAttachments, ack} → a lease of the inbox, written as messages[].
import type { InboxEntry, InboxLease } from '../../messenger/api.js';
import { CommandArguments, receive } from '../../messenger/commands/index.js';
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
  const messages = ignoreAttachments ? lease.entries.map(withoutAttachmentData) : lease.entries;
  if (request.ack === true && ctx.acks && lease.entries.length > 0) {
    // Kept until the client acknowledges; the connection releases it if that never comes.
    return { fields: { messages, ackId: ctx.acks.hold(lease) } };
  }
  return { fields: { messages }, lease };
};

/** A copy without `base64Data`: the lease's own entries stay as they are. */
function withoutAttachmentData(entry: InboxEntry): InboxEntry {
  if (!('attachments' in entry)) return entry;
  return { ...entry, attachments: entry.attachments.map(({ base64Data: _data, ...rest }) => rest) };
}
