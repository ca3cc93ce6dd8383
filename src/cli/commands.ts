import type { Command } from './command.js';
import { listAccountsCommand } from './listAccounts.js';
import { listDevicesCommand } from './listDevices.js';
import { listIdentitiesCommand } from './listIdentities.js';
import { linkCommand } from './link.js';
import { listGroupsCommand } from './listGroups.js';
import { receiveCommand } from './receive.js';
import { quitGroupCommand } from './quitGroup.js';
import { registerCommand } from './register.js';
import { remoteDeleteCommand } from './remoteDelete.js';
import { removeDeviceCommand } from './removeDevice.js';
import { sendCommand } from './send.js';
import { sandboxCommand } from './sandbox.js';
import { sendReceiptCommand } from './sendReceipt.js';
import { sendTypingCommand } from './sendTyping.js';
import { socketCommand } from './socket.js';
import { daemonCommand } from './daemon.js';
import { jsonRpcCommand } from './jsonRpc.js';
import { trustCommand } from './trust.js';
import { updateGroupCommand } from './updateGroup.js';
import { updateContactCommand } from './updateContact.js';
import { unregisterCommand } from './unregister.js';
import { updateProfileCommand } from './updateProfile.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: Command[] = [
  sandboxCommand,
  linkCommand,
  registerCommand,
  verifyCommand,
  socketCommand,
  daemonCommand,
  jsonRpcCommand,
  sendCommand,
  remoteDeleteCommand,
  sendTypingCommand,
  sendReceiptCommand,
  updateContactCommand,
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
