// sendTyping: show (or stop showing) the typing indicator to a contact or in a group.
import type { Messenger, SendResult, SendTarget } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseTarget } from './target.js';

export interface SendTypingParams {
  target: SendTarget;
  stop: boolean;
}

/** Arguments: recipient | groupId, stop (absent: started). */
export const sendTyping: CommandDeclaration<Pick<Messenger, 'sendTyping'>, SendTypingParams, SendResult> = {
  name: 'sendTyping',
  on: 'account',
  errors: ['INVALID_RECIPIENT', 'INVALID_NUMBER', 'GROUP_NOT_FOUND', 'NOT_A_GROUP_MEMBER', 'INVALID_ARGUMENT', 'UNTRUSTED_IDENTITY', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const target = parseTarget(args);
    const stop = args.get('stop');
    if (stop !== undefined && stop !== null && typeof stop !== 'boolean') throw invalid('INVALID_ARGUMENT', `${args.label('stop')} must be true or false`);
    return { target, stop: stop === true };
  },
  run: (engine, params) => engine.sendTyping(params.target, params.stop),
};
