// The CLI's commands, in the order help lists them. Each command's module is imported only when
// that command runs (or when help lists them all): `sigsock socket` does not load linking,
// registration, the JSON-RPC server or the sandbox, which made its start-up slower
// (docs/benchmarks.md; test/unit/startupImports.test.ts).
import type { Command } from './command.js';

export interface CommandEntry {
  /** The command's name and aliases, as its module declares them (test/unit/cliCommands.test.ts). */
  names: readonly string[];
  load(): Promise<Command>;
}

export const COMMAND_ENTRIES: readonly CommandEntry[] = [
  { names: ['sandbox'], load: async () => (await import('./sandbox.js')).sandboxCommand },
  { names: ['link'], load: async () => (await import('./link.js')).linkCommand },
  { names: ['register'], load: async () => (await import('./register.js')).registerCommand },
  { names: ['verify'], load: async () => (await import('./verify.js')).verifyCommand },
  { names: ['socket'], load: async () => (await import('./socket.js')).socketCommand },
  { names: ['daemon'], load: async () => (await import('./daemon.js')).daemonCommand },
  { names: ['jsonRpc'], load: async () => (await import('./jsonRpc.js')).jsonRpcCommand },
  { names: ['send'], load: async () => (await import('./send.js')).sendCommand },
  { names: ['sendReaction'], load: async () => (await import('./sendReaction.js')).sendReactionCommand },
  { names: ['remoteDelete'], load: async () => (await import('./remoteDelete.js')).remoteDeleteCommand },
  { names: ['sendTyping'], load: async () => (await import('./sendTyping.js')).sendTypingCommand },
  { names: ['sendReceipt'], load: async () => (await import('./sendReceipt.js')).sendReceiptCommand },
  { names: ['receive'], load: async () => (await import('./receive.js')).receiveCommand },
  { names: ['trust'], load: async () => (await import('./trust.js')).trustCommand },
  { names: ['listIdentities'], load: async () => (await import('./listIdentities.js')).listIdentitiesCommand },
  { names: ['listContacts'], load: async () => (await import('./contacts.js')).listContactsCommand },
  { names: ['block'], load: async () => (await import('./contacts.js')).blockCommand },
  { names: ['unblock'], load: async () => (await import('./contacts.js')).unblockCommand },
  { names: ['getUserStatus'], load: async () => (await import('./contacts.js')).getUserStatusCommand },
  { names: ['updateContact'], load: async () => (await import('./contacts.js')).updateContactCommand },
  { names: ['sendMessageRequestResponse'], load: async () => (await import('./contacts.js')).sendMessageRequestResponseCommand },
  { names: ['getProfile'], load: async () => (await import('./contacts.js')).getProfileCommand },
  { names: ['listGroups'], load: async () => (await import('./listGroups.js')).listGroupsCommand },
  { names: ['updateGroup'], load: async () => (await import('./updateGroup.js')).updateGroupCommand },
  { names: ['quitGroup'], load: async () => (await import('./quitGroup.js')).quitGroupCommand },
  { names: ['listAccounts'], load: async () => (await import('./listAccounts.js')).listAccountsCommand },
  { names: ['updateProfile'], load: async () => (await import('./updateProfile.js')).updateProfileCommand },
  { names: ['listDevices'], load: async () => (await import('./listDevices.js')).listDevicesCommand },
  { names: ['removeDevice'], load: async () => (await import('./removeDevice.js')).removeDeviceCommand },
  { names: ['unregister'], load: async () => (await import('./unregister.js')).unregisterCommand },
];

/** The command called `name` (or aliased so), loading only its module. */
export function loadCommand(name: string): Promise<Command | undefined> {
  const entry = COMMAND_ENTRIES.find((e) => e.names.includes(name));
  return entry ? entry.load() : Promise.resolve(undefined);
}

/** Every command, for help. */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_ENTRIES.map((e) => e.load()));
}
