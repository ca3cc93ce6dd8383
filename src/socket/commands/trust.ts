// trust (extension): {recipient, verified} → {recipient, aci, safetyNumber}.
import { CommandArguments, trust as trustIdentity } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const trust: Handler = async (request, ctx) => {
  const params = trustIdentity.parse(new CommandArguments({ recipient: request.recipient, verified: request.verified }), ctx.limits);
  return { fields: { ...(await trustIdentity.run(ctx.messenger, params, {})) } };
};
