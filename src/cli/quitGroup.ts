import { CommandArguments, quitGroup } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { reportGroupChange } from './groupReport.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

export const quitGroupCommand: Command = {
  name: 'quitGroup',
  summary: 'leave a group (or decline an invitation to it)',
  usage: '-a +NUMBER quitGroup -g GROUP_ID [--admin MEMBER...]',
  details: [
    "If this account is the group's only administrator and others remain, name a member who becomes",
    'one with --admin (as Signal\'s apps do, so the group keeps an administrator). The members are told.',
  ].join('\n'),
  jsonOutput: true,
  options: {
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'the group to leave' },
    admin: { type: 'string', multiple: true, valueName: 'MEMBER', description: 'make this member an administrator first (repeatable)' },
  },
  async run(ctx) {
    if (ctx.values['group-id'] === undefined) throw new UsageError('quitGroup needs -g GROUP_ID');
    if (ctx.positionals.length) throw new UsageError(`unexpected argument "${ctx.positionals[0]}"`);
    const args = new CommandArguments({ groupId: ctx.values['group-id'], admins: ctx.values.admin ?? [] }, { groupId: '-g GROUP_ID', admins: '--admin' });
    const params = parseArguments(quitGroup, args);
    if (ctx.global.output === 'json') return printMethodResult(ctx, 'quitGroup', optionsAsParams(ctx, {}), { online: true });
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const result = await quitGroup.run(messenger, params, {});
      const status = reportGroupChange(ctx, result);
      if (status === 0) ctx.stdout.write(`Left the group ${result.groupId} (revision ${result.revision})\n`);
      return status;
    });
  },
};
