// sendReaction: add or remove an emoji reaction to a message of a contact or a group.
import type { Messenger, ReactionRequest, SendResult, SendTarget } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseTarget } from './target.js';
import { parseAddress } from './validation.js';

export interface SendReactionParams {
  target: SendTarget;
  reaction: ReactionRequest;
}

/** Arguments: recipient | groupId, emoji, author, timestamp (of the reacted-to message), remove. */
export const sendReaction: CommandDeclaration<Pick<Messenger, 'sendReaction'>, SendReactionParams, SendResult> = {
  name: 'sendReaction',
  on: 'account',
  errors: ['INVALID_RECIPIENT', 'INVALID_NUMBER', 'GROUP_NOT_FOUND', 'NOT_A_GROUP_MEMBER', 'MISSING_REACTION', 'UNTRUSTED_IDENTITY', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const target = parseTarget(args);
    const missing = (why: string) => invalid('MISSING_REACTION', why);
    const emoji = args.get('emoji');
    const author = args.get('author');
    const timestamp = args.get('timestamp');
    const remove = args.get('remove');
    if (typeof emoji !== 'string' || emoji.length === 0) throw missing(`${args.label('emoji')} must be a non-empty string`);
    if (author === undefined || author === null) throw missing(`${args.label('author')} is missing`);
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0) {
      throw missing(`${args.label('timestamp')} must be the positive integer sent timestamp (ms) of the reacted-to message`);
    }
    if (remove !== undefined && remove !== null && typeof remove !== 'boolean') throw missing(`${args.label('remove')} must be true or false`);
    return { target, reaction: { emoji, author: parseAddress(author, args.label('author')), timestamp, remove: remove === true } };
  },
  run: (engine, params) => engine.sendReaction(params.target, params.reaction),
};
