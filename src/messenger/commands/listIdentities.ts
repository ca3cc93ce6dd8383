// listIdentities: contacts' identity keys with their safety numbers and trust, optionally of one contact.
import type { IdentitySummary } from '../accountMessenger.js';
import type { AccountEngine, CommandDeclaration } from './declaration.js';
import { parseAddress } from './validation.js';

export interface ListIdentitiesParams {
  /** Only this contact (E.164 or ACI); absent: everyone. */
  recipient?: string;
}

export const listIdentities: CommandDeclaration<Pick<AccountEngine, 'listIdentities'>, ListIdentitiesParams, IdentitySummary[]> = {
  name: 'listIdentities',
  on: 'account',
  errors: ['INVALID_NUMBER', 'UNKNOWN'],
  parse: (args) => (args.has('recipient') ? { recipient: parseAddress(args.get('recipient'), args.label('recipient')) } : {}),
  run: async (engine, { recipient }) => engine.listIdentities().filter((i) => !recipient || i.number === recipient || i.uuid === recipient),
};
