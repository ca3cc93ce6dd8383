// The daemon options that decide what the account does with what arrives, shared by `socket` and
// `daemon` (signal-cli's daemon has --send-read-receipts; stories are sigsock's opt-in).
import type { ReceivePolicy } from '../messenger/accountMessenger.js';
import type { CommandContext, OptionSpec } from './command.js';

export const RECEIVE_POLICY_OPTIONS: Record<string, OptionSpec> = {
  'receive-stories': { type: 'boolean', description: 'hand out stories as entries (off: stories are dropped once received)' },
  'send-read-receipts': { type: 'boolean', description: "send read receipts for messages once a client has taken them (as signal-cli's daemon)" },
};

export function receivePolicyOf(ctx: CommandContext): ReceivePolicy {
  return { receiveStories: ctx.values['receive-stories'] === true, sendReadReceipts: ctx.values['send-read-receipts'] === true };
}
