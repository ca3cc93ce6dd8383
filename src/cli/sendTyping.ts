import { CommandArguments, sendTyping } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

export const sendTypingCommand: Command = {
  name: 'sendTyping',
  summary: 'show the typing indicator to a contact or in a group (Signal apps hide it after 15 s or on -s)',
  usage: '-a +NUMBER sendTyping [-s | --stop] (RECIPIENT | -g GROUP_ID)',
  jsonOutput: true,
  options: {
    stop: { type: 'boolean', short: 's', description: 'stop showing the typing indicator' },
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'type in this group' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('sendTyping takes one RECIPIENT (+NUMBER or ACI), or -g GROUP_ID');
    const args = new CommandArguments(
      { recipient: ctx.positionals[0], groupId: ctx.values['group-id'], stop: ctx.values.stop === true },
      { recipient: 'RECIPIENT', groupId: '-g GROUP_ID', stop: '-s' },
    );
    const params = parseArguments(sendTyping, args);
    if (ctx.global.output === 'json') return printMethodResult(ctx, 'sendTyping', optionsAsParams(ctx, { recipient: ctx.positionals[0] }), { online: true });
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await sendTyping.run(messenger, params, {});
      return 0;
    });
  },
};
