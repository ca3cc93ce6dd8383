// Every command the engine serves, declared once each (one file per command beside this one).
// Front-ends map their input to these: cli/ (argv), socket/ (the seed's JSON), JSON-RPC next.
import type { AnyCommandDeclaration } from './declaration.js';
import { block, unblock } from './block.js';
import { getProfile } from './getProfile.js';
import { getUserStatus } from './getUserStatus.js';
import { link } from './link.js';
import { listContacts } from './listContacts.js';
import { listAccounts } from './listAccounts.js';
import { listDevices } from './listDevices.js';
import { listGroups } from './listGroups.js';
import { listIdentities } from './listIdentities.js';
import { quitGroup } from './quitGroup.js';
import { receive } from './receive.js';
import { register, verify } from './register.js';
import { remoteDelete } from './remoteDelete.js';
import { removeDevice } from './removeDevice.js';
import { sendMessage } from './sendMessage.js';
import { sendReaction } from './sendReaction.js';
import { sendMessageRequestResponse } from './sendMessageRequestResponse.js';
import { sendReceipt } from './sendReceipt.js';
import { sendTyping } from './sendTyping.js';
import { setExpiration } from './setExpiration.js';
import { trust } from './trust.js';
import { unregister } from './unregister.js';
import { updateContact } from './updateContact.js';
import { updateGroup } from './updateGroup.js';
import { updateProfile } from './updateProfile.js';

export {
  getProfile,
  sendMessageRequestResponse,
  getUserStatus,
  updateContact,
  block,
  unblock,
  listContacts,
  link,
  listAccounts,
  listDevices,
  listGroups,
  listIdentities,
  quitGroup,
  receive,
  register,
  remoteDelete,
  removeDevice,
  sendMessage,
  sendReaction,
  sendReceipt,
  sendTyping,
  setExpiration,
  trust,
  unregister,
  updateGroup,
  updateProfile,
  verify,
};
export { CommandArguments, InvalidCommandError, type ParseLimits } from './arguments.js';
export { parseTarget } from './target.js';
export { rangeNotation, stickerNotation } from './messageExtras.js';
export { unreadGroupSendWarning } from './sendMessage.js';
export { onlyInvitedWarning } from './updateGroup.js';
export { isPlainObject } from './validation.js';
export type { AccountEngine, CommandDeclaration, DataDirectoryEnvironment, RunOptions } from './declaration.js';

export const ENGINE_COMMANDS: readonly AnyCommandDeclaration[] = [
  sendMessage,
  sendReaction,
  remoteDelete,
  sendTyping,
  sendReceipt,
  setExpiration,
  receive,
  listGroups,
  updateGroup,
  quitGroup,
  trust,
  listIdentities,
  listDevices,
  removeDevice,
  updateProfile,
  register,
  verify,
  link,
  unregister,
  listAccounts,
  listContacts,
  block,
  unblock,
  getUserStatus,
  updateContact,
  sendMessageRequestResponse,
  getProfile,
];
