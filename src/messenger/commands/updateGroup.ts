// updateGroup: create a group (no groupId), or rename it and add or remove members.
import type { GroupUpdateRequest, GroupUpdateResult, Messenger } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseGroupId, parseMemberList } from './validation.js';

/** Arguments: groupId (absent: a new group), name, addMembers, removeMembers, expiration (seconds; an existing group). */
export const updateGroup: CommandDeclaration<Pick<Messenger, 'updateGroup'>, GroupUpdateRequest, GroupUpdateResult> = {
  name: 'updateGroup',
  on: 'account',
  errors: ['GROUP_NOT_FOUND', 'NOT_A_GROUP_MEMBER', 'INVALID_NUMBER', 'INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const label = (name: string) => args.label(name);
    const groupId = args.get('groupId') === undefined ? undefined : parseGroupId(args.get('groupId'), label('groupId'));
    const name = args.get('name');
    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) throw invalid('INVALID_ARGUMENT', `${label('name')} must be a non-empty string`);
    const addMembers = parseMemberList(args.get('addMembers'), label('addMembers'));
    const removeMembers = parseMemberList(args.get('removeMembers'), label('removeMembers'));
    if (groupId === undefined && name === undefined) {
      throw invalid('INVALID_ARGUMENT', `a new group needs a ${label('name')} (or give ${label('groupId')} to change a group)`);
    }
    if (groupId === undefined && removeMembers.length > 0) throw invalid('INVALID_ARGUMENT', `${label('removeMembers')} needs ${label('groupId')}`);
    const expiration = args.get('expiration');
    if (expiration !== undefined && (typeof expiration !== 'number' || !Number.isSafeInteger(expiration) || expiration < 0 || expiration > 0xffffffff)) {
      throw invalid('INVALID_ARGUMENT', `${label('expiration')} must be the timer in whole seconds (0 turns it off)`);
    }
    if (expiration !== undefined && groupId === undefined) throw invalid('INVALID_ARGUMENT', `${label('expiration')} needs ${label('groupId')} (set it once the group exists)`);
    if (groupId !== undefined && name === undefined && addMembers.length === 0 && removeMembers.length === 0 && expiration === undefined) {
      throw invalid('INVALID_ARGUMENT', `nothing to change: give ${label('name')}, ${label('addMembers')}, ${label('removeMembers')} or ${label('expiration')}`);
    }
    return { groupId, title: name as string | undefined, addMembers, removeMembers, ...(expiration !== undefined && { expirationSeconds: expiration as number }) };
  },
  run: (engine, params) => engine.updateGroup(params),
};

/**
 * A group just created whose members could only be invited (their profile keys are unknown here):
 * until one accepts, messages to it reach no one. Every front-end shows this with the answer.
 */
export function onlyInvitedWarning(result: GroupUpdateResult): string | undefined {
  if (!result.created || result.added.length > 0 || result.invited.length === 0) return undefined;
  return 'the group has no members but this account yet: everyone was only invited (their profile keys are not known here), and messages to the group reach no one until one of them accepts';
}
