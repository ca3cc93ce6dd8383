// The socket's commands, by their wire names, in the order the unknown-command answer lists them.
import { ack } from './ack.js';
import { block, getProfile, getUserStatus, listContacts, sendMessageRequestResponse, unblock, updateContact } from './contacts.js';
import type { Handler } from './context.js';
import { listDevices } from './listDevices.js';
import { listGroups } from './listGroups.js';
import { quitGroup } from './quitGroup.js';
import { receiveMessages } from './receiveMessages.js';
import { remoteDelete } from './remoteDelete.js';
import { sendMessage } from './sendMessage.js';
import { sendReaction } from './sendReaction.js';
import { sendReceipt } from './sendReceipt.js';
import { sendTyping } from './sendTyping.js';
import { setExpiration } from './setExpiration.js';
import { trust } from './trust.js';
import { updateGroup } from './updateGroup.js';

export const HANDLERS: Readonly<Record<string, Handler>> = {
  send_message: sendMessage,
  send_reaction: sendReaction,
  receive_messages: receiveMessages,
  list_groups: listGroups,
  trust: trust,
  ack: ack,
  update_group: updateGroup,
  quit_group: quitGroup,
  list_devices: listDevices,
  remote_delete: remoteDelete,
  send_typing: sendTyping,
  send_receipt: sendReceipt,
  list_contacts: listContacts,
  block: block,
  unblock: unblock,
  get_user_status: getUserStatus,
  update_contact: updateContact,
  send_message_request_response: sendMessageRequestResponse,
  get_profile: getProfile,
  set_expiration: setExpiration,
};
