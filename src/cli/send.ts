import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CommandArguments, sendMessage, unreadGroupSendWarning } from '../messenger/commands/index.js';
import { PreDecodedBase64 } from '../messenger/commands/attachments.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

const LABELS = { recipient: 'RECIPIENT', groupId: '-g GROUP_ID', message: '-m TEXT', attachments: '--attachment', content: 'the message' };

export const sendCommand: Command = {
  name: 'send',
  summary: 'send a text (and files) to a phone number, an ACI or a group; print the message timestamp',
  usage: '-a +NUMBER send -m TEXT [--attachment FILE]... (RECIPIENT | -g GROUP_ID)',
  options: {
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'send to this group (base64, as listGroups prints)' },
    message: { type: 'string', short: 'm', valueName: 'TEXT', description: 'the text to send' },
    attachment: { type: 'string', multiple: true, valueName: 'FILE', description: 'attach a file (repeatable)' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('send takes one RECIPIENT (+NUMBER or ACI), or -g GROUP_ID');
    const files = (ctx.values.attachment as string[] | undefined) ?? [];
    const params = parseArguments(
      sendMessage,
      new CommandArguments(
        {
          recipient: ctx.positionals[0],
          groupId: ctx.values['group-id'],
          message: ctx.values.message,
          attachments: files.map((f) => ({ base64Data: new PreDecodedBase64(readFileSync(f)), filename: basename(f) })),
        },
        LABELS,
      ),
    );
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const result = await sendMessage.run(messenger, params, {});
      ctx.stdout.write(`${result.timestamp}\n`);
      const warning = unreadGroupSendWarning(params, result);
      if (warning !== undefined) ctx.stderr.write(`sigsock: warning: ${warning}\n`);
      return 0;
    });
  },
};
