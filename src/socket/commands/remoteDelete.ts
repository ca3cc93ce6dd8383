// remote_delete: {recipient | groupId, targetTimestamp} → the engine's remoteDelete.
import { CommandArguments, remoteDelete as takeBack } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const remoteDelete: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipient: request.recipient, groupId: request.groupId, targetTimestamp: request.targetTimestamp });
  const result = await takeBack.run(ctx.messenger, takeBack.parse(args, ctx.limits), {});
  return { fields: { timestamp: result.timestamp, results: result.results } };
};
