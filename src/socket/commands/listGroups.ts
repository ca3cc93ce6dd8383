// list_groups → {groups}.
import { listGroups as list } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const listGroups: Handler = async (_request, ctx) => ({ fields: { groups: await list.run(ctx.messenger, {}, {}) } });
