// unregister: delete the account (primary) or unlink this device (linked). The local data goes
// afterwards, once the account is closed: removeAccountData (messenger/accountFiles.ts).
import { invalid } from './arguments.js';
import type { AccountEngine, CommandDeclaration } from './declaration.js';

export interface UnregisterParams {
  confirmed: true;
}

/** Arguments: confirm (must be true: there is no undo). */
export const unregister: CommandDeclaration<Pick<AccountEngine, 'unregister'>, UnregisterParams, 'account deleted' | 'device unlinked'> = {
  name: 'unregister',
  on: 'account',
  errors: ['INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    if (args.get('confirm') !== true) throw invalid('INVALID_ARGUMENT', `unregister deletes the account from the Signal server (or unlinks this device) and its local data, and cannot be undone: confirm it with ${args.label('confirm')}`);
    return { confirmed: true };
  },
  run: (engine) => engine.unregister(),
};
