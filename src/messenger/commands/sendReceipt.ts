// sendReceipt: tell a contact that its messages were read (the default) or viewed.
import type { Messenger, ReceiptKind, SendResult } from '../api.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration } from './declaration.js';
import { parseTimestamp } from './messageExtras.js';
import { parseAddress } from './validation.js';

export interface SendReceiptParams {
  recipient: string;
  targetTimestamps: number[];
  kind: ReceiptKind;
}

/** Arguments: recipient, targetTimestamps (one or more sent timestamps of its messages), type read | viewed. */
export const sendReceipt: CommandDeclaration<Pick<Messenger, 'sendReceipt'>, SendReceiptParams, SendResult> = {
  name: 'sendReceipt',
  on: 'account',
  errors: ['INVALID_RECIPIENT', 'INVALID_NUMBER', 'INVALID_ARGUMENT', 'UNTRUSTED_IDENTITY', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    if (!args.has('recipient')) throw invalid('INVALID_RECIPIENT', `${args.label('recipient')} is missing: a receipt goes to the contact who sent the messages`);
    const recipient = parseAddress(args.get('recipient'), args.label('recipient'));
    const timestamps = args.get('targetTimestamps');
    const field = args.label('targetTimestamps');
    if (!Array.isArray(timestamps)) throw invalid('INVALID_ARGUMENT', `${field} must be an array of the messages' sent timestamps (ms)`);
    if (timestamps.length === 0) throw invalid('INVALID_ARGUMENT', `${field} names no message: give at least one sent timestamp (ms)`);
    const type = args.get('type') ?? 'read';
    if (type !== 'read' && type !== 'viewed') throw invalid('INVALID_ARGUMENT', `${args.label('type')} must be read or viewed`);
    return { recipient, targetTimestamps: timestamps.map((t, i) => parseTimestamp(t, `${field}[${i}]`)), kind: type };
  },
  run: (engine, params) => engine.sendReceipt(params.recipient, params.targetTimestamps, params.kind),
};
