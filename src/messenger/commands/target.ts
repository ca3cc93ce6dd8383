// Where a message or reaction goes: exactly one of a recipient and a group.
import type { SendTarget } from '../api.js';
import { invalid, type CommandArguments } from './arguments.js';
import { parseAddress, parseGroupId } from './validation.js';

export function parseTarget(args: CommandArguments): SendTarget {
  const hasRecipient = args.has('recipient');
  const hasGroup = args.has('groupId');
  if (hasRecipient && hasGroup) {
    throw invalid('INVALID_RECIPIENT', `both ${args.label('recipient')} and ${args.label('groupId')} are set; give exactly one`);
  }
  if (!hasRecipient && !hasGroup) {
    throw invalid('INVALID_RECIPIENT', `none of ${args.label('recipient')} and ${args.label('groupId')} is set; give exactly one`);
  }
  return hasRecipient
    ? { recipient: parseAddress(args.get('recipient'), args.label('recipient')) }
    : { groupId: parseGroupId(args.get('groupId'), args.label('groupId')) };
}
