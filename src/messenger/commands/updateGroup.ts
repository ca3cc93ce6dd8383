// updateGroup: create a group (no groupId), or rename it and add or remove members.
import type { GroupUpdateRequest, GroupUpdateResult, Messenger } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseGroupId, parseMemberList } from './validation.js';

/** Arguments: groupId (absent: a new group), name, addMembers, removeMembers. */
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
    if (groupId !== undefined && name === undefined && addMembers.length === 0 && removeMembers.length === 0) {
      throw invalid('INVALID_ARGUMENT', `nothing to change: give ${label('name')}, ${label('addMembers')} or ${label('removeMembers')}`);
    }
    return { groupId, title: name as string | undefined, addMembers, removeMembers };
  },
  run: (engine, params) => engine.updateGroup(params),
};
