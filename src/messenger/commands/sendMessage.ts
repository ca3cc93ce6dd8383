// send: a text and/or attachments to a recipient or a group, with an optional quote, mentions and
// text styles, or as an edit of an earlier message.
import type { MessageExtras, Messenger, OutgoingAttachment, SendResult, SendTarget } from '../api.js';
import { invalid } from './arguments.js';
import { parseAttachments } from './attachments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseMessageExtras } from './messageExtras.js';
import { parseTarget } from './target.js';

export interface SendMessageParams {
  target: SendTarget;
  text?: string;
  attachments: OutgoingAttachment[];
  extras: MessageExtras;
}

/**
 * Arguments: recipient | groupId, message, attachments (`content` labels the two together), and
 * optionally quote {timestamp, author, text}, mentions [{recipient, start, length}], textStyles
 * [{style, start, length}], editTimestamp.
 */
export const sendMessage: CommandDeclaration<Pick<Messenger, 'sendMessage'>, SendMessageParams, SendResult> = {
  name: 'send',
  on: 'account',
  errors: ['INVALID_RECIPIENT', 'INVALID_NUMBER', 'GROUP_NOT_FOUND', 'NOT_A_GROUP_MEMBER', 'MISSING_MESSAGE_CONTENT', 'INVALID_ATTACHMENT', 'INVALID_ARGUMENT', 'UNTRUSTED_IDENTITY', 'NETWORK', 'UNKNOWN'],
  parse(args, limits) {
    const target = parseTarget(args);
    const message = args.get('message');
    if (message !== undefined && message !== null && typeof message !== 'string') {
      throw invalid('MISSING_MESSAGE_CONTENT', `${args.label('message')} must be a string`);
    }
    const text = typeof message === 'string' && message.length > 0 ? message : undefined;
    const attachments = parseAttachments(args.get('attachments'), args.label('attachments'), limits.maxAttachmentBytes);
    const extras = parseMessageExtras(args, text, limits.maxAttachmentBytes);
    if (extras.sticker && (text !== undefined || attachments.length > 0)) {
      throw invalid('INVALID_ARGUMENT', `${args.label('sticker')} is sent alone, as Signal apps send stickers: leave out the message text and attachments`);
    }
    if (text === undefined && attachments.length === 0 && !extras.sticker) {
      throw invalid('MISSING_MESSAGE_CONTENT', `${args.label('content')} has neither message text nor attachments`);
    }
    return { target, text, attachments, extras };
  },
  run: (engine, params) => engine.sendMessage(params.target, params.text, params.attachments, params.extras),
};

/**
 * A group send that no member received still gets a timestamp: the group may hold only this account
 * and invited members (whose profile keys were unknown), who cannot read it until they accept. Every
 * front-end shows this text with the answer, so the sender is not left thinking someone read it.
 */
export function unreadGroupSendWarning(params: Pick<SendMessageParams, 'target'>, result: SendResult): string | undefined {
  if (params.target.groupId === undefined || result.results.some((r) => r.success)) return undefined;
  return result.results.length === 0
    ? 'nobody received this message: the group has no members but this account (invited members can read the group only once they accept the invitation)'
    : 'no member of the group received this message (see the results)';
}
