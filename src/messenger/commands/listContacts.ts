// listContacts: every recipient the account knows with names, profile name, block state and timer.
import type { ContactFilter, ContactSummary, Messenger } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseAddress } from './validation.js';

/** Arguments: recipients (a list; absent: everyone), blocked (true/false: only those; absent: both). */
export const listContacts: CommandDeclaration<Pick<Messenger, 'listContacts'>, ContactFilter, ContactSummary[]> = {
  name: 'listContacts',
  on: 'account',
  errors: ['INVALID_NUMBER', 'INVALID_ARGUMENT', 'UNKNOWN'],
  parse: (args) => {
    const filter: ContactFilter = {};
    if (args.has('recipients')) {
      const value = args.get('recipients');
      const list = Array.isArray(value) ? value : [value];
      filter.recipients = list.map((v, i) => parseAddress(v, Array.isArray(value) ? `${args.label('recipients')}[${i}]` : args.label('recipients')));
    }
    if (args.has('blocked')) {
      const blocked = args.get('blocked');
      if (typeof blocked !== 'boolean') throw invalid('INVALID_ARGUMENT', `${args.label('blocked')} must be true or false`);
      filter.blocked = blocked;
    }
    return filter;
  },
  run: (engine, filter) => engine.listContacts(filter),
};
