// send_typing: {recipient | groupId, stop?} → the engine's sendTyping.
import { CommandArguments, sendTyping as typing } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const sendTyping: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipient: request.recipient, groupId: request.groupId, stop: request.stop });
  const result = await typing.run(ctx.messenger, typing.parse(args, ctx.limits), {});
  return { fields: { timestamp: result.timestamp, results: result.results } };
};
