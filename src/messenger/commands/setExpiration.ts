// setExpiration: a direct conversation's disappearing-message timer, announced to the contact as
// Signal apps announce it (signal-cli: `updateContact -e`).
import type { Messenger, SendResult, SendTarget } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseTarget } from './target.js';

export interface SetExpirationParams {
  target: SendTarget;
  seconds: number;
}

/** Signal apps offer up to four weeks; the protocol field is 32 bits. */
const MAX_SECONDS = 0xffffffff;

/** Arguments: recipient (a group's timer lives on the group server), expiration (seconds; 0 turns it off). */
export const setExpiration: CommandDeclaration<Pick<Messenger, 'setExpiration'>, SetExpirationParams, SendResult> = {
  name: 'setExpiration',
  on: 'account',
  errors: ['INVALID_RECIPIENT', 'INVALID_NUMBER', 'INVALID_ARGUMENT', 'UNTRUSTED_IDENTITY', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const target = parseTarget(args);
    if (target.groupId !== undefined) {
      throw invalid('INVALID_ARGUMENT', "a group's timer is part of the group: change it with update_group's expiration (updateGroup -e)");
    }
    const seconds = args.get('expiration');
    if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
      throw invalid('INVALID_ARGUMENT', `${args.label('expiration')} must be the timer in whole seconds (0 turns it off)`);
    }
    return { target, seconds };
  },
  run: (engine, params) => engine.setExpiration(params.target, params.seconds),
};
