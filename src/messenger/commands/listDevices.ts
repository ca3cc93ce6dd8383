// listDevices: the account's devices on the server.
import type { DeviceSummary, Messenger } from '../api.js';
import type { CommandDeclaration } from './declaration.js';

export const listDevices: CommandDeclaration<Pick<Messenger, 'listDevices'>, Record<string, never>, DeviceSummary[]> = {
  name: 'listDevices',
  on: 'account',
  errors: ['NETWORK', 'UNKNOWN'],
  parse: () => ({}),
  run: (engine) => engine.listDevices(),
};
