// receive: lease what the inbox holds, waiting up to a timeout for the first entry.
import type { InboxLease, Messenger } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseOptionalBoolean } from './validation.js';

export const DEFAULT_RECEIVE_TIMEOUT_MS = 1000;

export interface ReceiveParams {
  timeoutMs: number;
  ignoreAttachments: boolean;
}

/**
 * Arguments: timeout (ms), ignoreAttachments. The result is a lease: the front-end writes its
 * entries, then commits it once the write completed, or releases it.
 */
export const receive: CommandDeclaration<Pick<Messenger, 'takeInbox'>, ReceiveParams, InboxLease> = {
  name: 'receive',
  on: 'account',
  errors: ['INVALID_ARGUMENT', 'UNKNOWN'],
  parse(args) {
    const timeout = args.get('timeout') ?? DEFAULT_RECEIVE_TIMEOUT_MS;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
      throw invalid('INVALID_ARGUMENT', `${args.label('timeout')} must be a non-negative number of milliseconds`);
    }
    return { timeoutMs: timeout, ignoreAttachments: parseOptionalBoolean(args.get('ignoreAttachments'), args.label('ignoreAttachments')) };
  },
  run: (engine, params, options) => engine.takeInbox(params.timeoutMs, options.signal),
};
