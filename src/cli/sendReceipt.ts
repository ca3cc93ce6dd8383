import { CommandArguments, sendReceipt } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { timestampFlag } from './messageFlags.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

export const sendReceiptCommand: Command = {
  name: 'sendReceipt',
  summary: "tell a contact you read (or viewed) its messages; your other devices mark them read too",
  usage: '-a +NUMBER sendReceipt -t TIMESTAMP... [--type read|viewed] RECIPIENT',
  jsonOutput: true,
  options: {
    'target-timestamp': { type: 'string', short: 't', multiple: true, valueName: 'TIMESTAMP', description: "a received message's sent timestamp (repeatable)" },
    type: { type: 'string', valueName: 'read|viewed', description: 'the kind of receipt (default read)' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('sendReceipt takes one RECIPIENT (+NUMBER or ACI): the contact who sent the messages');
    const timestamps = (ctx.values['target-timestamp'] as string[] | undefined) ?? [];
    const args = new CommandArguments(
      { recipient: ctx.positionals[0], targetTimestamps: timestamps.map(timestampFlag), type: ctx.values.type },
      { recipient: 'RECIPIENT', targetTimestamps: '-t TIMESTAMP', type: '--type' },
    );
    const params = parseArguments(sendReceipt, args);
    if (ctx.global.output === 'json') {
      return printMethodResult(ctx, 'sendReceipt', optionsAsParams(ctx, { recipient: ctx.positionals[0], 'target-timestamp': timestamps.map(timestampFlag) }), { online: true });
    }
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await sendReceipt.run(messenger, params, {});
      return 0;
    });
  },
};
