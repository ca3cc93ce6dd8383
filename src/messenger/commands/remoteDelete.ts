// remoteDelete: take back ("delete for everyone") a message this account sent to a contact or group.
import type { Messenger, SendResult, SendTarget } from '../api.js';
import type { CommandDeclaration } from './declaration.js';
import { parseTimestamp } from './messageExtras.js';
import { parseTarget } from './target.js';

export interface RemoteDeleteParams {
  target: SendTarget;
  targetTimestamp: number;
}

/** Arguments: recipient | groupId, targetTimestamp (the sent timestamp of the message to delete). */
export const remoteDelete: CommandDeclaration<Pick<Messenger, 'remoteDelete'>, RemoteDeleteParams, SendResult> = {
  name: 'remoteDelete',
  on: 'account',
  errors: ['INVALID_RECIPIENT', 'INVALID_NUMBER', 'GROUP_NOT_FOUND', 'NOT_A_GROUP_MEMBER', 'INVALID_ARGUMENT', 'UNTRUSTED_IDENTITY', 'NETWORK', 'UNKNOWN'],
  parse: (args) => ({ target: parseTarget(args), targetTimestamp: parseTimestamp(args.get('targetTimestamp'), args.label('targetTimestamp')) }),
  run: (engine, params) => engine.remoteDelete(params.target, params.targetTimestamp),
};
