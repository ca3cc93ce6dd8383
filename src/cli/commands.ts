import type { Command } from './command.js';
import { linkCommand } from './link.js';
import { listGroupsCommand } from './listGroups.js';
import { receiveCommand } from './receive.js';
import { sendCommand } from './send.js';
import { sandboxCommand } from './sandbox.js';
import { socketCommand } from './socket.js';
import { trustCommand } from './trust.js';
import { quitGroupCommand, updateGroupCommand } from './updateGroup.js';

export const COMMANDS: Command[] = [sandboxCommand, linkCommand, socketCommand, sendCommand, receiveCommand, trustCommand, listGroupsCommand, updateGroupCommand, quitGroupCommand];
