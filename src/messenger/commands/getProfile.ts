// getProfile: one contact's Signal profile (name, about, avatar), read with the key they shared.
import type { Messenger, ProfileSummary } from '../api.js';
import type { CommandDeclaration } from './declaration.js';
import { parseAddress } from './validation.js';

export const getProfile: CommandDeclaration<Pick<Messenger, 'getProfile'>, { recipient: string }, ProfileSummary> = {
  name: 'getProfile',
  on: 'account',
  errors: ['INVALID_NUMBER', 'INVALID_RECIPIENT', 'NETWORK', 'UNKNOWN'],
  parse: (args) => ({ recipient: parseAddress(args.get('recipient'), args.label('recipient')) }),
  run: (engine, { recipient }) => engine.getProfile(recipient),
};
