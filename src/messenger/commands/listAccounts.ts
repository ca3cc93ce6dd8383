// listAccounts: the accounts (phone numbers) in the data directory; no network.
import { listAccounts as accountsIn } from '../accountFiles.js';
import type { CommandDeclaration, DataDirectoryEnvironment } from './declaration.js';

export const listAccounts: CommandDeclaration<Pick<DataDirectoryEnvironment, 'dataDir'>, Record<string, never>, string[]> = {
  name: 'listAccounts',
  on: 'dataDirectory',
  errors: ['UNKNOWN'],
  parse: () => ({}),
  run: async (env) => accountsIn(env.dataDir),
};
