// sendMessageRequestResponse: accept, delete or block message requests from recipients or groups.
import type { BlockRequest, MessageRequestResponse, Messenger } from '../api.js';
import { invalid, type CommandArguments } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseBlockRequest } from './block.js';

export interface MessageRequestResponseParams {
  targets: BlockRequest;
  response: MessageRequestResponse;
}

const RESPONSES: readonly MessageRequestResponse[] = ['accept', 'delete', 'block'];

function parseResponse(args: CommandArguments): MessageRequestResponse {
  const type = args.get('type');
  const wanted = typeof type === 'string' ? type.toLowerCase() : type;
  if (!RESPONSES.includes(wanted as MessageRequestResponse)) throw invalid('INVALID_ARGUMENT', `${args.label('type')} must be one of ${RESPONSES.join(', ')}`);
  return wanted as MessageRequestResponse;
}

/** Arguments: recipients and groupIds (as block), type: accept, delete or block. */
export const sendMessageRequestResponse: CommandDeclaration<Pick<Messenger, 'sendMessageRequestResponse'>, MessageRequestResponseParams, { syncedDevices: number | null }> = {
  name: 'sendMessageRequestResponse',
  on: 'account',
  errors: ['INVALID_NUMBER', 'INVALID_RECIPIENT', 'GROUP_NOT_FOUND', 'INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse: (args) => ({ response: parseResponse(args), targets: parseBlockRequest(args) }),
  run: (engine, { targets, response }) => engine.sendMessageRequestResponse(targets, response),
};
