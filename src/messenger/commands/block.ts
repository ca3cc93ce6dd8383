// block / unblock: recipients and groups, applied at once to what is received, and told to this
// account's other devices.
import type { BlockRequest, BlockResult, Messenger } from '../api.js';
import { invalid, type CommandArguments } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseAddress, parseGroupId } from './validation.js';

/** Arguments: recipients and groupIds, each a string or a list; at least one of them. */
export function parseBlockRequest(args: CommandArguments): BlockRequest {
  const list = (name: string, parse: (value: unknown, field: string) => string): string[] => {
    if (!args.has(name)) return [];
    const value = args.get(name);
    if (!Array.isArray(value)) return [parse(value, args.label(name))];
    return value.map((v, i) => parse(v, `${args.label(name)}[${i}]`));
  };
  const request = { recipients: list('recipients', parseAddress), groupIds: list('groupIds', parseGroupId) };
  if (request.recipients.length === 0 && request.groupIds.length === 0) {
    throw invalid('INVALID_RECIPIENT', `name at least one recipient (${args.label('recipients')}) or group (${args.label('groupIds')})`);
  }
  return request;
}

function declare(name: 'block' | 'unblock', blocked: boolean): CommandDeclaration<Pick<Messenger, 'setBlocked'>, BlockRequest, BlockResult> {
  return {
    name,
    on: 'account',
    errors: ['INVALID_NUMBER', 'INVALID_RECIPIENT', 'GROUP_NOT_FOUND', 'UNKNOWN'],
    parse: parseBlockRequest,
    run: (engine, request) => engine.setBlocked(request, blocked),
  };
}

export const block = declare('block', true);
export const unblock = declare('unblock', false);
