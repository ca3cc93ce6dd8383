// update_group (extension): {groupId?, name, addMembers, removeMembers, expiration} → the engine's updateGroup.
import { CommandArguments, onlyInvitedWarning, updateGroup as update } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const updateGroup: Handler = async (request, ctx) => {
  const { groupId, name, addMembers, removeMembers, expiration } = request;
  const params = update.parse(new CommandArguments({ groupId, name, addMembers, removeMembers, expiration }), ctx.limits);
  const result = await update.run(ctx.messenger, params, {});
  const warning = onlyInvitedWarning(result);
  return { fields: { ...result, ...(warning === undefined ? {} : { warning }) } };
};
