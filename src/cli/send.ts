import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

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
    const groupId = ctx.values['group-id'] as string | undefined;
    if (groupId === undefined && ctx.positionals.length !== 1) throw new UsageError('send needs exactly one RECIPIENT (+NUMBER or ACI), or -g GROUP_ID');
    if (groupId !== undefined && ctx.positionals.length !== 0) throw new UsageError('send takes a RECIPIENT or -g GROUP_ID, not both');
    const text = ctx.values.message as string | undefined;
    const files = (ctx.values.attachment as string[] | undefined) ?? [];
    if (text === undefined && files.length === 0) throw new UsageError('nothing to send: give -m TEXT and/or --attachment FILE');
    const attachments = files.map((f) => ({ data: readFileSync(f), filename: basename(f) }));
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const target = groupId !== undefined ? { groupId } : { recipient: ctx.positionals[0] };
      const result = await messenger.sendMessage(target, text, attachments);
      ctx.stdout.write(`${result.timestamp}\n`);
      return 0;
    });
  },
};
