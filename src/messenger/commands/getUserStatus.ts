// getUserStatus: whether phone numbers are registered with Signal, and their ACIs (contact discovery).
import type { Messenger, UserStatus } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parsePhoneNumber } from './validation.js';

export interface GetUserStatusParams {
  numbers: string[];
}

/** Arguments: recipients (E.164 numbers; one or a list). */
export const getUserStatus: CommandDeclaration<Pick<Messenger, 'getUserStatus'>, GetUserStatusParams, UserStatus[]> = {
  name: 'getUserStatus',
  on: 'account',
  errors: ['INVALID_NUMBER', 'NETWORK', 'UNKNOWN'],
  parse: (args) => {
    const value = args.get('recipients');
    const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    if (list.length === 0) throw invalid('INVALID_NUMBER', `name at least one phone number (${args.label('recipients')})`);
    return { numbers: list.map((v, i) => parsePhoneNumber(v, Array.isArray(value) ? `${args.label('recipients')}[${i}]` : args.label('recipients'))) };
  },
  run: (engine, { numbers }) => engine.getUserStatus(numbers),
};
