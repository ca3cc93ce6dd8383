import type { Command } from './command.js';
import { listDevicesCommand, removeDeviceCommand } from './devices.js';
import { listAccountsCommand, listIdentitiesCommand } from './identities.js';
import { linkCommand } from './link.js';
import { listGroupsCommand } from './listGroups.js';
import { receiveCommand } from './receive.js';
import { registerCommand, verifyCommand } from './register.js';
import { sendCommand } from './send.js';
import { sandboxCommand } from './sandbox.js';
import { socketCommand } from './socket.js';
import { trustCommand } from './trust.js';
import { quitGroupCommand, updateGroupCommand } from './updateGroup.js';
import { unregisterCommand } from './unregister.js';
import { updateProfileCommand } from './updateProfile.js';

export const COMMANDS: Command[] = [
  sandboxCommand,
  linkCommand,
  registerCommand,
  verifyCommand,
  socketCommand,
  sendCommand,
  receiveCommand,
  trustCommand,
  listIdentitiesCommand,
  listGroupsCommand,
  updateGroupCommand,
  quitGroupCommand,
  listAccountsCommand,
  updateProfileCommand,
  listDevicesCommand,
  removeDeviceCommand,
  unregisterCommand,
];
