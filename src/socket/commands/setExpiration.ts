// set_expiration: {recipient, expiration} → the engine's setExpiration (a direct conversation's timer).
import { CommandArguments, setExpiration as setTimer } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const setExpiration: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipient: request.recipient, groupId: request.groupId, expiration: request.expiration });
  const result = await setTimer.run(ctx.messenger, setTimer.parse(args, ctx.limits), {});
  return { fields: { timestamp: result.timestamp, results: result.results } };
};
