// listGroups: the groups this account knows.
import type { GroupSummary, Messenger } from '../api.js';
import type { CommandDeclaration } from './declaration.js';

export const listGroups: CommandDeclaration<Pick<Messenger, 'listGroups'>, Record<string, never>, GroupSummary[]> = {
  name: 'listGroups',
  on: 'account',
  errors: ['UNKNOWN'],
  parse: () => ({}),
  run: (engine) => engine.listGroups(),
};
