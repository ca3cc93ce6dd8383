// send_message: {recipient | groupId, dataMessage: {message, attachments, quote, mentions, textStyles,
// editTimestamp, sticker, viewOnce, previews}} → the engine's send.
import { CommandArguments, InvalidCommandError, isPlainObject, parseTarget, sendMessage as send, unreadGroupSendWarning } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

const LABELS = {
  message: 'dataMessage.message',
  attachments: 'dataMessage.attachments',
  content: 'dataMessage',
  quote: 'dataMessage.quote',
  mentions: 'dataMessage.mentions',
  textStyles: 'dataMessage.textStyles',
  editTimestamp: 'dataMessage.editTimestamp',
  sticker: 'dataMessage.sticker',
  viewOnce: 'dataMessage.viewOnce',
  previews: 'dataMessage.previews',
};

export const sendMessage: Handler = async (request, ctx) => {
  const data = request.dataMessage;
  const content = isPlainObject(data) ? data : {};
  const { message, attachments, quote, mentions, textStyles, editTimestamp, sticker, viewOnce, previews } = content;
  const args = new CommandArguments(
    { recipient: request.recipient, groupId: request.groupId, message, attachments, quote, mentions, textStyles, editTimestamp, sticker, viewOnce, previews },
    LABELS,
  );
  // The seed checks the target before the content: a request wrong in both gets the target's code.
  parseTarget(args);
  if (!isPlainObject(data)) {
    throw new InvalidCommandError('MISSING_MESSAGE_CONTENT', 'dataMessage is missing: it must be an object with message and/or attachments');
  }
  const params = send.parse(args, ctx.limits);
  const result = await send.run(ctx.messenger, params, {});
  const warning = unreadGroupSendWarning(params, result);
  return { fields: { timestamp: result.timestamp, results: result.results, ...(warning === undefined ? {} : { warning }) } };
};
