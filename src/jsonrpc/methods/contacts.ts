// listContacts, block, unblock in signal-cli's shapes (JsonContact for listContacts).
import type { ContactSummary } from '../../messenger/api.js';
import { block, CommandArguments, getUserStatus, listContacts, sendMessageRequestResponse, setExpiration, unblock, updateContact } from '../../messenger/commands/index.js';
import type { Method } from './context.js';

const NO_LIMITS = { maxAttachmentBytes: 0 };

export const listContactsMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('listContacts', ['name']);
  const recipients = params.list('recipient');
  const args = new CommandArguments(
    { recipients: recipients.length ? recipients : undefined, blocked: params.has('blocked') ? params.get('blocked') : undefined },
    { recipients: 'recipient', blocked: 'blocked' },
  );
  return (await listContacts.run(ctx.engine, listContacts.parse(args, NO_LIMITS), {})).map(encodeContact);
};

/**
 * signal-cli's JsonContact with what sigsock knows. `name` is the owner's name for the contact;
 * givenName/familyName are not split by the phone's contact sync, so `givenName` carries it whole.
 */
function encodeContact(c: ContactSummary): Record<string, unknown> {
  return {
    number: c.number,
    uuid: c.uuid,
    username: null,
    name: c.name ?? '',
    givenName: c.name,
    familyName: null,
    nickName: null,
    nickGivenName: null,
    nickFamilyName: null,
    note: null,
    color: null,
    isArchived: false,
    isBlocked: c.isBlocked,
    isHidden: false,
    messageExpirationTime: c.messageExpirationTime,
    profileSharing: false,
    unregistered: false,
    profile: c.profile && {
      lastUpdateTimestamp: 0,
      givenName: c.profile.givenName,
      familyName: c.profile.familyName,
      about: null,
      aboutEmoji: null,
      hasAvatar: false,
      mobileCoinAddress: null,
    },
  };
}

function blockMethod(command: typeof block): Method {
  return async (params, ctx) => {
    const recipients = params.list('recipient');
    const groupIds = params.list('groupId');
    const args = new CommandArguments(
      { recipients: recipients.length ? recipients : undefined, groupIds: groupIds.length ? groupIds : undefined },
      { recipients: 'recipient', groupIds: 'groupId' },
    );
    await command.run(ctx.engine, command.parse(args, NO_LIMITS), {});
    return {};
  };
}

export const blockContactsMethod = blockMethod(block);
export const unblockMethod = blockMethod(unblock);

/** signal-cli's JsonUserStatus list: recipient, number, uuid, isRegistered. */
export const getUserStatusMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('getUserStatus', ['username']);
  const args = new CommandArguments({ recipients: params.list('recipient') }, { recipients: 'recipient' });
  const statuses = await getUserStatus.run(ctx.engine, getUserStatus.parse(args, NO_LIMITS), {});
  return statuses.map((s) => ({ recipient: s.recipient, number: s.recipient, uuid: s.uuid, isRegistered: s.isRegistered }));
};

/**
 * signal-cli's updateContact: the name parameters (a name on this device) and `expiration` (the
 * conversation's disappearing timer, announced to the contact); both are checked before either runs.
 */
export const updateContactMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('updateContact', ['nickGivenName', 'nickFamilyName', 'note']);
  const text = (name: string) => (params.has(name) ? params.get(name) : undefined);
  const given = text('givenName') ?? text('name');
  const family = text('familyName');
  const name = given === undefined && family === undefined ? undefined : [given, family].filter((p) => typeof p === 'string' && p).join(' ');
  const recipient = params.get('recipient');
  const timer = params.has('expiration') ? setExpiration.parse(new CommandArguments({ recipient, expiration: params.get('expiration') }, { recipient: 'recipient', expiration: 'expiration' }), NO_LIMITS) : undefined;
  const naming = name !== undefined || !timer ? updateContact.parse(new CommandArguments({ recipient, name }, { recipient: 'recipient', name: 'name' }), NO_LIMITS) : undefined;
  if (naming) await updateContact.run(ctx.engine, naming, {});
  if (!timer) return {};
  const result = await setExpiration.run(ctx.engine, timer, {});
  return { timestamp: result.timestamp };
};

/** signal-cli's sendMessageRequestResponse: recipient and groupId lists, type accept or delete (and block). */
export const sendMessageRequestResponseMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('sendMessageRequestResponse', ['username']);
  const recipients = params.list('recipient');
  const groupIds = params.list('groupId');
  const args = new CommandArguments(
    { recipients: recipients.length ? recipients : undefined, groupIds: groupIds.length ? groupIds : undefined, type: params.get('type') },
    { recipients: 'recipient', groupIds: 'groupId', type: 'type' },
  );
  await sendMessageRequestResponse.run(ctx.engine, sendMessageRequestResponse.parse(args, NO_LIMITS), {});
  return {};
};
