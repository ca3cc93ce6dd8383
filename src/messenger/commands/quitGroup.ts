// quitGroup: leave a group, first making `admins` administrators when this account is the only one.
import type { GroupUpdateResult, Messenger } from '../api.js';
import type { CommandDeclaration } from './declaration.js';
import { parseGroupId, parseMemberList } from './validation.js';

export interface QuitGroupParams {
  groupId: string;
  admins: string[];
}

/** Arguments: groupId, admins. */
export const quitGroup: CommandDeclaration<Pick<Messenger, 'quitGroup'>, QuitGroupParams, GroupUpdateResult> = {
  name: 'quitGroup',
  on: 'account',
  errors: ['GROUP_NOT_FOUND', 'NOT_A_GROUP_MEMBER', 'INVALID_NUMBER', 'INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse: (args) => ({ groupId: parseGroupId(args.get('groupId'), args.label('groupId')), admins: parseMemberList(args.get('admins'), args.label('admins')) }),
  run: (engine, params) => engine.quitGroup(params.groupId, params.admins),
};
