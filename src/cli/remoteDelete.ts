import { CommandArguments, remoteDelete } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { timestampFlag } from './messageFlags.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

export const remoteDeleteCommand: Command = {
  name: 'remoteDelete',
  summary: 'delete a message this account sent, for everyone; print the delete message timestamp',
  usage: '-a +NUMBER remoteDelete -t TIMESTAMP (RECIPIENT | -g GROUP_ID)',
  jsonOutput: true,
  options: {
    'target-timestamp': { type: 'string', short: 't', valueName: 'TIMESTAMP', description: 'the sent timestamp of the message to delete' },
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'the message went to this group' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('remoteDelete takes one RECIPIENT (+NUMBER or ACI), or -g GROUP_ID');
    const args = new CommandArguments(
      { recipient: ctx.positionals[0], groupId: ctx.values['group-id'], targetTimestamp: timestampFlag(ctx.values['target-timestamp']) },
      { recipient: 'RECIPIENT', groupId: '-g GROUP_ID', targetTimestamp: '-t TIMESTAMP' },
    );
    const params = parseArguments(remoteDelete, args);
    if (ctx.global.output === 'json') {
      return printMethodResult(ctx, 'remoteDelete', optionsAsParams(ctx, { recipient: ctx.positionals[0], 'target-timestamp': timestampFlag(ctx.values['target-timestamp']) }), { online: true });
    }
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const result = await remoteDelete.run(messenger, params, {});
      ctx.stdout.write(`${result.timestamp}\n`);
      return 0;
    });
  },
};
