import { listGroups } from '../messenger/commands/index.js';
import { withMessenger } from './accountSetup.js';
import type { Command } from './command.js';
import { printMethodResult } from './signalCliJson.js';

export const listGroupsCommand: Command = {
  name: 'listGroups',
  summary: 'show the groups this account has seen: id, title, members, membership',
  usage: '-a +NUMBER listGroups [--json]',
  jsonOutput: true,
  details: 'A group becomes known when a message from it arrives. The socket command is list_groups.',
  options: {
    json: { type: 'boolean', description: 'one JSON object per group, as list_groups answers' },
  },
  async run(ctx) {
    if (ctx.global.output === 'json') return printMethodResult(ctx, 'listGroups', {}, { online: false });
    return withMessenger(ctx, async (messenger) => {
      for (const g of await listGroups.run(messenger, {}, {})) {
        if (ctx.values.json) {
          ctx.stdout.write(JSON.stringify(g) + '\n');
        } else {
          const members = g.members.map((m) => m.number ?? m.uuid).join(', ');
          const invited = g.pendingMembers.length ? `  invited [${g.pendingMembers.map((m) => m.number ?? m.uuid).join(', ')}]` : '';
          ctx.stdout.write(`${g.groupId}  ${g.title || '(title not fetched yet)'}  ${g.isMember ? 'member' : 'not a member'}  [${members}]${invited}\n`);
        }
      }
      return 0;
    });
  },
};
