// list_contacts {recipients?, blocked?} → {contacts}; block / unblock {recipients?, groupIds?} →
// {blocked, syncedDevices}; get_user_status {recipients} → {users}; update_contact {recipient,
// name} → {contact}; send_message_request_response {recipients?, groupIds?, type} →
// {syncedDevices}; get_profile {recipient} → {profile} (avatar as base64Data). `recipient` and `groupId` (one value or a list) are accepted as well.
import {
  block as blockCommand,
  CommandArguments,
  getProfile as profileCommand,
  getUserStatus as statusCommand,
  listContacts as listCommand,
  sendMessageRequestResponse as respondCommand,
  unblock as unblockCommand,
  updateContact as updateCommand,
} from '../../messenger/commands/index.js';
import type { Handler, Request } from './context.js';

/** `recipients` or `recipient`, `groupIds` or `groupId`: whichever the client wrote (both: the plural). */
function either(request: Request, plural: string, singular: string): unknown {
  return request[plural] ?? request[singular];
}

export const listContacts: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipients: either(request, 'recipients', 'recipient'), blocked: request.blocked }, { recipients: 'recipients' });
  return { fields: { contacts: await listCommand.run(ctx.messenger, listCommand.parse(args, ctx.limits), {}) } };
};

function blockHandler(command: typeof blockCommand): Handler {
  return async (request, ctx) => {
    const args = new CommandArguments({ recipients: either(request, 'recipients', 'recipient'), groupIds: either(request, 'groupIds', 'groupId') }, { recipients: 'recipients', groupIds: 'groupIds' });
    return { fields: { ...(await command.run(ctx.messenger, command.parse(args, ctx.limits), {})) } };
  };
}

export const block = blockHandler(blockCommand);
export const unblock = blockHandler(unblockCommand);

export const getUserStatus: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipients: either(request, 'recipients', 'recipient') }, { recipients: 'recipients' });
  return { fields: { users: await statusCommand.run(ctx.messenger, statusCommand.parse(args, ctx.limits), {}) } };
};

export const updateContact: Handler = async (request, ctx) => {
  const args = new CommandArguments({ recipient: request.recipient, name: request.name });
  return { fields: { contact: await updateCommand.run(ctx.messenger, updateCommand.parse(args, ctx.limits), {}) } };
};

export const sendMessageRequestResponse: Handler = async (request, ctx) => {
  const args = new CommandArguments(
    { recipients: either(request, 'recipients', 'recipient'), groupIds: either(request, 'groupIds', 'groupId'), type: request.type },
    { recipients: 'recipients', groupIds: 'groupIds' },
  );
  return { fields: { ...(await respondCommand.run(ctx.messenger, respondCommand.parse(args, ctx.limits), {})) } };
};

export const getProfile: Handler = async (request, ctx) => {
  const profile = await profileCommand.run(ctx.messenger, profileCommand.parse(new CommandArguments({ recipient: request.recipient }), ctx.limits), {});
  return { fields: { profile: { ...profile, avatar: profile.avatar && { base64Data: profile.avatar, size: profile.avatar.content.size } } } };
};
