import { basename } from 'node:path';
import { CommandArguments, InvalidCommandError, sendMessage, stickerNotation, unreadGroupSendWarning } from '../messenger/commands/index.js';
import { PreDecodedBase64 } from '../messenger/commands/attachments.js';
import { fileContent } from '../util/fileContent.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { mentionFlags, textStyleFlags, timestampFlag } from './messageFlags.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

const LABELS = {
  recipient: 'RECIPIENT',
  groupId: '-g GROUP_ID',
  message: '-m TEXT',
  attachments: '--attachment',
  content: 'the message',
  quote: '--quote',
  mentions: '--mention',
  textStyles: '--text-style',
  editTimestamp: '--edit-timestamp',
  sticker: '--sticker',
  viewOnce: '--view-once',
  previews: '--preview-url',
};

export const sendCommand: Command = {
  name: 'send',
  summary: 'send a text (and files) to a phone number, an ACI or a group; print the message timestamp',
  usage:
    '-a +NUMBER send -m TEXT [--attachment FILE]... [--quote-timestamp TS --quote-author AUTHOR [--quote-message TEXT]] [--mention START:LENGTH:RECIPIENT]... [--text-style START:LENGTH:STYLE]... [--edit-timestamp TS]\n' +
    '         [--view-once] [--preview-url URL [--preview-title T] [--preview-description D] [--preview-image FILE]] (RECIPIENT | -g GROUP_ID)\n' +
    '  -a +NUMBER send --sticker PACK_ID:PACK_KEY:STICKER_ID --sticker-image FILE (RECIPIENT | -g GROUP_ID)',
  jsonOutput: true,
  options: {
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'send to this group (base64, as listGroups prints)' },
    message: { type: 'string', short: 'm', valueName: 'TEXT', description: 'the text to send' },
    attachment: { type: 'string', multiple: true, valueName: 'FILE', description: 'attach a file (repeatable)' },
    'quote-timestamp': { type: 'string', valueName: 'TS', description: 'reply quoting the message sent at this timestamp' },
    'quote-author': { type: 'string', valueName: 'AUTHOR', description: "the quoted message's author (+NUMBER or ACI)" },
    'quote-message': { type: 'string', valueName: 'TEXT', description: "the quoted message's text, as the reply shows it" },
    mention: { type: 'string', multiple: true, valueName: 'START:LENGTH:RECIPIENT', description: 'mention an account in the text (UTF-16 units; repeatable)' },
    'text-style': { type: 'string', multiple: true, valueName: 'START:LENGTH:STYLE', description: 'BOLD, ITALIC, SPOILER, STRIKETHROUGH or MONOSPACE (repeatable)' },
    'edit-timestamp': { type: 'string', valueName: 'TS', description: 'replace the content of the message this account sent at this timestamp' },
    sticker: { type: 'string', valueName: 'PACK_ID:PACK_KEY:STICKER_ID', description: "send a sticker (hex ids from the pack's link), sent alone; needs --sticker-image" },
    'sticker-image': { type: 'string', valueName: 'FILE', description: "the sticker's image (webp or png)" },
    'view-once': { type: 'boolean', description: "the recipient's app shows the attachments once" },
    'preview-url': { type: 'string', valueName: 'URL', description: 'a link preview for this url (it must be in the text)' },
    'preview-title': { type: 'string', valueName: 'TEXT', description: "the link preview's title" },
    'preview-description': { type: 'string', valueName: 'TEXT', description: "the link preview's description" },
    'preview-image': { type: 'string', valueName: 'FILE', description: "the link preview's image" },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('send takes one RECIPIENT (+NUMBER or ACI), or -g GROUP_ID');
    const files = (ctx.values.attachment as string[] | undefined) ?? [];
    const quoted = ctx.values['quote-timestamp'] !== undefined || ctx.values['quote-author'] !== undefined;
    if (quoted && (ctx.values['quote-timestamp'] === undefined || ctx.values['quote-author'] === undefined)) {
      throw new UsageError('a quote needs both --quote-timestamp and --quote-author');
    }
    const fileArgument = (path: string) => ({ base64Data: new PreDecodedBase64(fileContent(path)), filename: basename(path) });
    const stickerImage = ctx.values['sticker-image'] as string | undefined;
    if (stickerImage !== undefined && ctx.values.sticker === undefined) throw new UsageError('--sticker-image goes with --sticker');
    const previewUrl = ctx.values['preview-url'] as string | undefined;
    const previewDetails = ['preview-title', 'preview-description', 'preview-image'].filter((k) => ctx.values[k] !== undefined);
    if (previewUrl === undefined && previewDetails.length > 0) throw new UsageError(`--${previewDetails[0]} goes with --preview-url`);
    const previewImage = ctx.values['preview-image'] as string | undefined;
    if (ctx.global.output === 'json') {
      const timestamps = { 'quote-timestamp': timestampFlag(ctx.values['quote-timestamp']), 'edit-timestamp': timestampFlag(ctx.values['edit-timestamp']) };
      return printMethodResult(ctx, 'send', optionsAsParams(ctx, { recipient: ctx.positionals[0], ...timestamps }), { online: true });
    }
    const params = parseArguments(
      sendMessage,
      new CommandArguments(
        {
          recipient: ctx.positionals[0],
          groupId: ctx.values['group-id'],
          message: ctx.values.message,
          attachments: files.map(fileArgument),
          quote: quoted
            ? { timestamp: timestampFlag(ctx.values['quote-timestamp']), author: ctx.values['quote-author'], text: ctx.values['quote-message'] }
            : undefined,
          mentions: mentionFlags(ctx.values.mention as string[] | undefined),
          textStyles: textStyleFlags(ctx.values['text-style'] as string[] | undefined),
          editTimestamp: timestampFlag(ctx.values['edit-timestamp']),
          sticker: ctx.values.sticker === undefined ? undefined : usage(() => stickerNotation(ctx.values.sticker, '--sticker', stickerImage && fileArgument(stickerImage))),
          viewOnce: ctx.values['view-once'] === true ? true : undefined,
          previews:
            previewUrl === undefined
              ? undefined
              : [{ url: previewUrl, title: ctx.values['preview-title'], description: ctx.values['preview-description'], image: previewImage && fileArgument(previewImage) }],
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

/** A flag's notation is wrong: a usage error (exit 2), as the command's own argument errors are. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InvalidCommandError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}
