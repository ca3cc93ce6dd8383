// Every JSON-RPC method sigsock serves over the engine's commands, by signal-cli's name; and every
// other signal-cli method, answered with signal-cli's "method not implemented" code and a sentence
// saying sigsock does not have it yet. (subscribeReceive, unsubscribeReceive and receive belong to
// a client's session: session.ts serves them.)
import { METHOD_NOT_FOUND, RpcError } from '../protocol.js';
import { getAttachmentMethod, listAccountsMethod, listDevicesMethod, listIdentitiesMethod, removeDeviceMethod, trustMethod, updateProfileMethod, versionMethod } from './account.js';
import { blockContactsMethod, getUserStatusMethod, listContactsMethod, sendMessageRequestResponseMethod, unblockMethod, updateContactMethod } from './contacts.js';
import type { Method } from './context.js';
import { listGroupsMethod, quitGroupMethod, updateGroupMethod } from './groups.js';
import { remoteDeleteMethod, sendReceiptMethod, sendTypingMethod } from './conversation.js';
import { send, sendReactionMethod } from './send.js';

export type { Method, MethodContext } from './context.js';

export const METHODS: Readonly<Record<string, Method>> = {
  send,
  sendReaction: sendReactionMethod,
  remoteDelete: remoteDeleteMethod,
  sendTyping: sendTypingMethod,
  sendReceipt: sendReceiptMethod,
  updateContact: updateContactMethod,
  listGroups: listGroupsMethod,
  updateGroup: updateGroupMethod,
  quitGroup: quitGroupMethod,
  listIdentities: listIdentitiesMethod,
  trust: trustMethod,
  listDevices: listDevicesMethod,
  removeDevice: removeDeviceMethod,
  updateProfile: updateProfileMethod,
  listAccounts: listAccountsMethod,
  version: versionMethod,
  getAttachment: getAttachmentMethod,
  listContacts: listContactsMethod,
  block: blockContactsMethod,
  unblock: unblockMethod,
  getUserStatus: getUserStatusMethod,
  sendMessageRequestResponse: sendMessageRequestResponseMethod,
};

/** signal-cli's other methods (its commands and JSON-RPC extras), as of signal-cli 0.13. */
export const NOT_YET_SUPPORTED: readonly string[] = [
  'acceptCall', 'addDevice', 'addStickerPack', 'deleteLocalAccountData', 'finishChangeNumber', 'finishLink',
  'getAvatar', 'getSticker', 'hangupCall', 'joinGroup', 'listCalls', 'listStickerPacks',
  'register', 'rejectCall', 'removeContact', 'removePin', 'sendAdminDelete', 'sendContacts',
  'sendPaymentNotification', 'sendPinMessage', 'sendPollCreate', 'sendPollTerminate',
  'sendPollVote', 'sendStory', 'sendSyncRequest', 'sendUnpinMessage', 'setPin', 'startCall',
  'startChangeNumber', 'startLink', 'submitRateLimitChallenge', 'subscribeCallEvents', 'unsubscribeCallEvents',
  'unregister', 'updateAccount', 'updateConfiguration', 'updateDevice', 'uploadStickerPack', 'verify',
];

/** The error for a method sigsock does not serve: signal-cli's code, and whether signal-cli has it. */
export function unknownMethod(method: string): RpcError {
  const shown = method.length > 100 ? `${method.slice(0, 100)}…` : method;
  if (NOT_YET_SUPPORTED.includes(method)) {
    return new RpcError(METHOD_NOT_FOUND, `Method not implemented: ${shown} is a signal-cli method that sigsock does not support yet (see docs/jsonrpc.md)`);
  }
  return new RpcError(METHOD_NOT_FOUND, `Method not implemented: ${shown} is not a signal-cli method`);
}
