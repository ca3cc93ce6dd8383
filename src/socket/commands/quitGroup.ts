// quit_group (extension): {groupId, admins} → the engine's quitGroup.
import { CommandArguments, quitGroup as quit } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const quitGroup: Handler = async (request, ctx) => {
  const params = quit.parse(new CommandArguments({ groupId: request.groupId, admins: request.admins }), ctx.limits);
  return { fields: { ...(await quit.run(ctx.messenger, params, {})) } };
};
