// send_receipt: {recipient, targetTimestamps, type?: read | viewed} → the engine's sendReceipt.
import { CommandArguments, sendReceipt as receipt } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const sendReceipt: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipient: request.recipient, targetTimestamps: request.targetTimestamps, type: request.type });
  const result = await receipt.run(ctx.messenger, receipt.parse(args, ctx.limits), {});
  return { fields: { timestamp: result.timestamp, results: result.results } };
};
