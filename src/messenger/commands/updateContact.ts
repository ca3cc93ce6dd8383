// updateContact: the name this device shows for a recipient (the phone's contact list is left alone).
import type { ContactSummary, Messenger } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseAddress } from './validation.js';

export interface UpdateContactParams {
  recipient: string;
  /** Null clears the name set here (the phone's name shows again). */
  name: string | null;
}

const MAX_NAME_LENGTH = 256;

/** Arguments: recipient; name (a string; empty or null clears it). */
export const updateContact: CommandDeclaration<Pick<Messenger, 'updateContact'>, UpdateContactParams, ContactSummary> = {
  name: 'updateContact',
  on: 'account',
  errors: ['INVALID_NUMBER', 'INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse: (args) => {
    const recipient = parseAddress(args.get('recipient'), args.label('recipient'));
    const name = args.get('name');
    if (name === undefined) throw invalid('INVALID_ARGUMENT', `${args.label('name')} is missing (an empty name clears the one set here)`);
    if (name !== null && typeof name !== 'string') throw invalid('INVALID_ARGUMENT', `${args.label('name')} must be a string`);
    if (typeof name === 'string' && name.length > MAX_NAME_LENGTH) throw invalid('INVALID_ARGUMENT', `${args.label('name')} is longer than ${MAX_NAME_LENGTH} characters`);
    return { recipient, name: name ? name.trim() || null : null };
  },
  run: (engine, { recipient, name }) => engine.updateContact(recipient, name),
};
