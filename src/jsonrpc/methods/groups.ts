// listGroups, updateGroup, quitGroup in signal-cli's shapes.
import type { GroupSummary, GroupUpdateResult, RecipientResult } from '../../messenger/api.js';
import { CommandArguments, listGroups, quitGroup, updateGroup } from '../../messenger/commands/index.js';
import { parseGroupId } from '../../messenger/commands/validation.js';
import type { Method } from './context.js';

export const listGroupsMethod: Method = async (params, ctx) => {
  const wanted = params.list('groupId').map((id, i) => parseGroupId(id, `groupId[${i}]`));
  const groups = await listGroups.run(ctx.engine, {}, {});
  return groups.filter((g) => wanted.length === 0 || wanted.includes(g.groupId)).map(encodeGroup);
};

/** signal-cli's JsonGroup, with what sigsock knows; see docs/jsonrpc.md for the fields left out. */
function encodeGroup(group: GroupSummary): Record<string, unknown> {
  return {
    id: group.groupId,
    name: group.title,
    isMember: group.isMember,
    isBlocked: group.isBlocked ?? false,
    members: group.members.map((m) => ({ number: m.number, uuid: m.uuid })),
    pendingMembers: group.pendingMembers.map((m) => ({ number: m.number, uuid: m.uuid })),
    revision: group.revision,
  };
}

const UPDATE_NOT_YET = ['description', 'avatar', 'admin', 'removeAdmin', 'ban', 'unban', 'resetLink', 'link', 'setPermissionAddMember', 'setPermissionEditDetails', 'setPermissionSendMessages', 'memberLabel', 'memberLabelEmoji'] as const;

export const updateGroupMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('updateGroup', UPDATE_NOT_YET);
  const args = new CommandArguments(
    {
      groupId: params.has('groupId') ? params.get('groupId') : undefined,
      name: params.has('name') ? params.get('name') : undefined,
      addMembers: params.list('member'),
      removeMembers: params.list('removeMember'),
      expiration: params.has('expiration') ? params.get('expiration') : undefined,
    },
    { addMembers: 'member', removeMembers: 'removeMember' },
  );
  const result = await updateGroup.run(ctx.engine, updateGroup.parse(args, { maxAttachmentBytes: 0 }), {});
  return { ...sendOutcome(result), ...(result.created && { groupId: result.groupId }) };
};

export const quitGroupMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('quitGroup', ['delete']);
  const args = new CommandArguments({ groupId: params.get('groupId'), admins: params.list('admin') }, { admins: 'admin' });
  return sendOutcome(await quitGroup.run(ctx.engine, quitGroup.parse(args, { maxAttachmentBytes: 0 }), {}));
};

function sendOutcome(result: GroupUpdateResult): Record<string, unknown> {
  if (result.timestamp === undefined) return {};
  return { timestamp: result.timestamp, results: result.results.map((r) => encodeGroupResult(r, result.groupId)) };
}

function encodeGroupResult(r: RecipientResult, groupId: string): Record<string, unknown> {
  return { recipientAddress: { uuid: r.aci, number: r.recipient }, groupId, type: r.success ? 'SUCCESS' : 'NETWORK_FAILURE' };
}
